"""The launch-time scan in a child process gives the same answers as scanning in place."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deeply_cli import scan
from deeply_cli.launch import _archive_option
from tests.factory import make_archive


@pytest.mark.parametrize(
    ("argv", "want"),
    [
        (["--archive", "/x", "list"], "/x"),
        (["--archive=/y", "show", "a"], "/y"),
        (["list", "--archive", "/z"], None),
        (["--version"], None),
        ([], None),
    ],
)
def test_archive_option(argv: list[str], want: str | None) -> None:
    assert _archive_option(argv) == want


def test_prefetched_scan_equals_a_scan_in_place(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    make_archive(folder, 30)
    (folder / "bin.txt").write_bytes(b"\x00")
    scan.prefetch(folder)
    prefetched = scan.scan(folder)
    assert prefetched == scan.scan(folder)  # the second call scans in place
    assert len(prefetched.files()) == prefetched.count == 31


@pytest.mark.parametrize(
    "command", [["list", "--limit", "0", "--json"], ["search", "harbour", "--json"]]
)
def test_whole_process_output_is_the_same_either_way(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "a"
    make_archive(folder, 30)
    outputs = []
    for prefetch in ("", "1"):
        env = {
            **os.environ,
            "DEEPLY_CACHE_DIR": str(tmp_path / "cache"),
            "DEEPLY_NO_PREFETCH": prefetch,
        }
        result = subprocess.run(
            [sys.executable, "-m", "deeply_cli", "--archive", str(folder), *command],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] and outputs[0]


@pytest.mark.parametrize("flat", [False, True])
def test_shared_work_gives_the_same_scan(tmp_path: Path, monkeypatch, flat: bool) -> None:
    """Two processes sharing the folders, or one folder's files, change nothing in the answer."""
    folder = tmp_path / "a"
    pages = make_archive(folder, 30)
    if flat:  # one folder of files, no subfolders
        for page in pages:
            page.rename(folder / f"{page.parent.name}-{page.name}")
        for sub in {page.parent for page in pages}:
            sub.rmdir()
    (folder / "notes.doc").write_text("not an article", encoding="utf-8")
    monkeypatch.setattr(scan, "in_child", lambda work: lambda: None)  # as if no child answered
    alone = scan.scan(folder)
    monkeypatch.undo()
    monkeypatch.setattr(scan, "SHARE_FROM", 2)
    shared = scan.scan(folder)
    assert shared == alone and shared.count == 30
    assert sorted(shared.files()) == sorted(alone.files())
    assert all("/" in rel for rel in shared.files()) is not flat


def test_a_newline_in_a_file_name_survives_the_listing(tmp_path: Path) -> None:
    """Regression (found by Hypothesis): the packed listing once split names on newlines."""
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "\n.txt").write_text("Title\n\nSyria Deeply: Why?\n\nJane Roe: Yes.\n")
    (folder / "two\nlines.md").write_text("")
    found = scan.scan(folder)
    assert sorted(found.files()) == ["\n.txt", "two\nlines.md"] and found.count == 2
