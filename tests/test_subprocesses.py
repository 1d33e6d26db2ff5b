"""Real processes: an index killed halfway, two indexers at once, a search during a rebuild,
and Ctrl-C. Every case ends with every article and no traceback."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factory import make_archive

PAGES = 6000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "archive"
    make_archive(folder, PAGES)
    return folder


def deeply(folder: Path, cache: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "deeply_cli", "--archive", str(folder), *args]


def env(cache: Path) -> dict[str, str]:
    return {**os.environ, "DEEPLY_CACHE_DIR": str(cache), "NO_COLOR": "1"}


def run(folder: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        deeply(folder, cache, *args), env=env(cache), capture_output=True, text=True, timeout=300
    )


def indexed(cache: Path) -> int:
    [db] = cache.glob("*.sqlite")
    return _count(db)


def _count(db: Path) -> int:
    """Files stored so far; 0 while the index is created (read-only: never makes a file)."""
    try:
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0  # replaced by a new, empty index as the build starts
    try:
        return conn.execute("SELECT count(*) FROM files").fetchone()[0]
    except sqlite3.Error:
        return 0  # still being created
    finally:
        conn.close()


def started_indexing(folder: Path, cache: Path, session: bool = False) -> subprocess.Popen[str]:
    """`deeply index`, returned once its first batch is stored (in a session of its own,
    as a terminal would start it, when `session`)."""
    proc = subprocess.Popen(
        deeply(folder, cache, "index"),
        env=env(cache),
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=session,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        # One look at the folder: a starting build deletes and recreates the file.
        if any(_count(db) > 0 for db in cache.glob("*.sqlite")):
            break
        time.sleep(0.02)
    return proc


def test_index_killed_halfway_then_complete(big: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    proc = started_indexing(big, cache)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = indexed(cache)
    assert 0 < partial < PAGES, "the kill should land in the middle of the build"
    result = run(big, cache, "list", "--limit", "0", "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert len(json.loads(result.stdout)) == PAGES
    assert indexed(cache) == PAGES


def test_two_indexers_at_once(big: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    procs = [
        subprocess.Popen(
            deeply(big, cache, "index"), env=env(cache), stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    result = run(big, cache, "list", "--limit", "0", "--json")
    assert len(json.loads(result.stdout)) == PAGES


def test_search_during_a_rebuild(big: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    want = run(big, cache, "search", "harbour", "--limit", "0", "--json")
    assert want.returncode == 0
    rebuild = subprocess.Popen(
        deeply(big, cache, "index", "--rebuild"), env=env(cache), stderr=subprocess.PIPE, text=True
    )
    time.sleep(0.3)
    got = run(big, cache, "search", "harbour", "--limit", "0", "--json")
    _, err = rebuild.communicate(timeout=300)
    assert rebuild.returncode == 0 and "Traceback" not in err
    assert got.returncode == 0 and "Traceback" not in got.stderr
    key = lambda h: (h["path"], h["exchange"], h["speaker"], h["is_question"])  # noqa: E731
    assert sorted(map(key, json.loads(got.stdout))) == sorted(map(key, json.loads(want.stdout)))


@pytest.mark.parametrize("group", [False, True], ids=["process", "process-group"])
def test_ctrl_c_exits_130(big: Path, tmp_path: Path, group: bool) -> None:
    """Ctrl-C in the middle of parsing. A terminal sends it to the whole process group, the
    parsing workers too: they must leave the answer to deeply, and nothing may hang."""
    cache = tmp_path / "cache"
    proc = started_indexing(big, cache, session=group)
    assert proc.poll() is None, "the signal should land in the middle of the build"
    if group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    result = run(big, cache, "list", "--limit", "0", "--json")
    assert len(json.loads(result.stdout)) == PAGES
