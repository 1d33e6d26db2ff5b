"""The launch-time scan in a child process gives the same answers as scanning in place."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from deeply_cli import forked, scan
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


def test_a_folder_that_cannot_be_entered_is_reported(tmp_path: Path, monkeypatch) -> None:
    """A folder may be listed but not entered (read without search permission): each check
    of its entries is refused. That is one problem for the folder, not silence."""
    for rel in ("a/1.txt", "b/2.txt", "locked/3.txt", "locked/sub/4.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("Title\n\nSyria Deeply: Why?\n\nJane Roe: Yes.\n")
    real_stat = os.stat
    locked = str(tmp_path / "locked") + os.sep

    def stat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).startswith(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(scan, "_BY_FOLDER", False)  # full paths, so the fake can tell
    monkeypatch.setattr(scan.os, "stat", stat)
    monkeypatch.setattr(scan, "in_child", lambda work: lambda: None)
    found = scan.scan(tmp_path)
    assert sorted(found.files()) == ["a/1.txt", "b/2.txt"] and found.count == 2
    assert [(p.path, p.message) for p in found.problems] == [
        ("locked/", "cannot read folder (Permission denied)")
    ]


def test_an_entry_that_becomes_a_folder_while_we_look_is_walked(
    tmp_path: Path, monkeypatch
) -> None:
    for rel in ("a/1.txt", "b/2.txt", "c/3.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("Title\n\nSyria Deeply: Why?\n\nJane Roe: Yes.\n")
    read_top = scan._read_top

    def seen_as_a_file(folder, problems):  # type: ignore[no-untyped-def]
        folders, others = read_top(folder, problems)
        return [f for f in folders if f[1] != "c/"], [*others, "c"]

    monkeypatch.setattr(scan, "_read_top", seen_as_a_file)
    found = scan.scan(tmp_path)
    assert sorted(found.files()) == ["a/1.txt", "b/2.txt", "c/3.txt"]


def _deeply(folder: Path, tmp_path: Path, *args: str, **kwargs) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DEEPLY_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYTHONUNBUFFERED", None)  # output buffered, as it usually is
    command = [sys.executable, "-m", "deeply_cli", "--archive", str(folder), *args]
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE, **kwargs)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs the /dev/full device")
@pytest.mark.parametrize(
    "command", [["list"], ["list", "--json"], ["search", "harbour"], ["--help"], ["speakers"]]
)
def test_a_full_disk_is_one_line_and_a_failure(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "a"
    make_archive(folder, 3)
    with open("/dev/full", "wb") as full:
        process = _deeply(folder, tmp_path, *command, stdout=full)
        _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert err.decode() == "deeply: error: cannot write output (No space left on device)\n"


@pytest.mark.parametrize("command", [["list", "--limit", "0"], ["list", "--json"]])
def test_a_reader_that_leaves_early_is_quiet(tmp_path: Path, command: list[str]) -> None:
    """As with `deeply list | head -1`: nothing on stderr, and exit 1, as Rich and Click do
    it (the JSON is still buffered when the process ends)."""
    folder = tmp_path / "a"
    make_archive(folder, 40)
    process = _deeply(folder, tmp_path, *command, stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # long before deeply writes: its first write finds no reader
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (1, b"")


@pytest.mark.parametrize(
    ("command", "status"), [(["search", "zzzzq"], 1), (["list"], 0), (["list", "--json"], 0)]
)
def test_the_exit_status_survives_the_quick_exit(
    tmp_path: Path, command: list[str], status: int
) -> None:
    folder = tmp_path / "a"
    make_archive(folder, 3)
    process = _deeply(folder, tmp_path, *command, stdout=subprocess.PIPE)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == status and out  # and the output was flushed


@pytest.mark.parametrize("share_from", [2, 4096])
def test_names_that_are_not_utf8_are_skipped_and_the_rest_kept_exact(
    tmp_path: Path, monkeypatch, share_from: int
) -> None:
    """Dropping such a name drops its size and time too, whichever process found it."""
    monkeypatch.setattr(scan, "SHARE_FROM", share_from)
    wanted = {}
    for i, rel in enumerate(["a.txt", "b\xff.txt", "c.txt", "s/d\xfe.txt", "s/e.txt", "t/f.txt"]):
        path = os.fsencode(tmp_path) + b"/" + rel.encode("latin-1")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"x" * (i + 1))
        if rel.isascii():
            stat = os.stat(path)
            wanted[rel] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    found = scan.scan(tmp_path)
    assert found.files() == wanted and found.count == len(wanted)
    assert sorted(p.path for p in found.problems) == ["b\\xff.txt", "s/d\\xfe.txt"]


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["show", "harbour-talk-u"], b"\\xdcber"),
        (["list"], b"\\xdcber"),
        (["speakers"], b"Roe"),
        (["list", "--json"], b"\\u00dcber"),  # JSON's own escape, which a JSON reader takes
    ],
)
def test_an_output_that_cannot_encode_everything_shows_escapes(
    tmp_path: Path, command: list[str], shown: bytes
) -> None:
    folder = tmp_path / "a"
    make_archive(folder, 3)
    (folder / "x.txt").write_text(
        "Harbour Talk – Über “Quotes”\n\nSyria Deeply: Why?\n\nJane Roe: Ça va — yes.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "DEEPLY_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "ascii"}
    result = subprocess.run(
        [sys.executable, "-m", "deeply_cli", "--archive", str(folder), *command, "--width", "200"],
        env=env, capture_output=True, check=False,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, b"")
    assert shown in result.stdout
    if "--json" in command:
        assert any(
            item["title"].startswith("Harbour Talk – Über") for item in json.loads(result.stdout)
        )


def test_hidden_files_backups_and_autosaves_are_skipped_but_a_hash_name_is_kept(
    tmp_path: Path,
) -> None:
    for name in ("a.txt~", ".a.txt.swp", ".hidden.txt", "#a.txt#", "#1 one-on-one.txt", "b.md"):
        (tmp_path / name).write_text("Title\n\nSyria Deeply: Why?\n\nJane Roe: Yes.\n")
    (tmp_path / "#notes#").mkdir()
    (tmp_path / "#notes#" / "c.txt").write_text("")
    assert sorted(scan.scan(tmp_path).files()) == ["#1 one-on-one.txt", "b.md"]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["list", "--width", "0"], "invalid value for '--width'"),
        (["list", "--bogus"], "no such option: --bogus"),
        (["lst"], "no such command 'lst'"),
        (["show"], "missing argument"),
        (["search", "--jsn", "x"], "no such option: --jsn"),
        (["index", "--archive", "."], "no such option: --archive: it goes before the command"),
        (["list", "--archive=."], "no such option: --archive: it goes before the command"),
        (["search", "x", "--archive", "."], "no such option: --archive: it goes before"),
    ],
)
def test_a_mistyped_command_line_is_one_line_of_error(
    tmp_path: Path, command: list[str], message: str
) -> None:
    folder = tmp_path / "a"
    make_archive(folder, 3)
    process = _deeply(folder, tmp_path, *command, stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=120)
    assert (process.returncode, out) == (2, b"")
    [line] = err.decode().splitlines()
    assert line.startswith("deeply: error: " + message) and line.endswith("--help`)")


def test_a_forked_child_leaves_ctrl_c_to_its_parent() -> None:
    """A terminal's Ctrl-C reaches the child too: it just ends, the parent answers."""
    answer = forked.in_child(lambda: signal.getsignal(signal.SIGINT))
    assert answer() == signal.SIG_DFL
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_DFL


@pytest.mark.parametrize("closed", [">&-", "2>&- >/dev/null", ">&- 2>&-", "<&- >/dev/null"])
def test_a_closed_standard_stream_is_nothing_to_read_or_write(tmp_path: Path, closed: str) -> None:
    """As daemons and cron jobs run: no traceback, exit 0, and the work is done (the index
    holds every article; nothing of deeply's output went into it)."""
    folder = tmp_path / "a"
    make_archive(folder, 5)
    env = {**os.environ, "DEEPLY_CACHE_DIR": str(tmp_path / "cache")}
    deeply = [sys.executable, "-m", "deeply_cli", "--archive", str(folder), "list", "--json"]
    shell = ["bash", "-c", f'"$@" {closed}; echo "exit $?"', "_", *deeply]
    done = subprocess.run(shell, env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout == "exit 0\n" and "Traceback" not in done.stderr, done.stderr
    listed = subprocess.run(deeply, env=env, capture_output=True, text=True, timeout=120)
    assert len(json.loads(listed.stdout)) == 5


def test_a_current_folder_that_is_gone_is_one_line(tmp_path: Path) -> None:
    """A shell left in a folder since removed: an archive named by its full path still
    works; one to look for from there, or named relative to it, is one line and exit 2."""
    folder = tmp_path / "a"
    make_archive(folder, 3)
    gone = tmp_path / "gone"
    env = {**os.environ, "DEEPLY_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DEEPLY_ARCHIVE", None)
    runs = {
        "absolute": ["--archive", str(folder), "list", "--json"],
        "found": ["list"],
        "relative": ["--archive", "a", "list"],
        "version": ["--version"],
    }
    done = {}
    for name, args in runs.items():
        gone.mkdir()
        script = f'cd "{gone}" && rmdir "{gone}" && exec "$@"'
        command = ["bash", "-c", script, "_", sys.executable, "-m", "deeply_cli", *args]
        done[name] = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in done[name].stderr, done[name].stderr
    assert done["absolute"].returncode == 0 and len(json.loads(done["absolute"].stdout)) == 3
    assert (done["found"].returncode, done["relative"].returncode) == (2, 2)
    assert done["found"].stderr.startswith("deeply: error: no archive found: the current folder")
    assert "a cannot be found: give its full path" in done["relative"].stderr
    assert done["version"].returncode == 0 and done["version"].stdout.startswith("deeply ")


def test_files_that_only_share_an_inode_number_are_two_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system that makes up inode numbers (some network and FUSE ones) may give two
    files the same one: hard links also share their size and time, which these do not."""
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "one.txt").write_text("One\n\nJane Roe: Yes.\n", encoding="utf-8")
    (folder / "two.txt").write_text("Two\n\nJane Roe: No, not at all.\n", encoding="utf-8")
    real = os.stat

    def made_up(path: object, *args: Any, **kwargs: Any) -> os.stat_result:
        found = real(path, *args, **kwargs)  # type: ignore[arg-type]
        if not str(path).endswith(".txt"):
            return found
        make, (fields, extra) = found.__reduce__()  # type: ignore[misc]
        fields = (found.st_mode, 4242, found.st_dev, 2, *fields[4:])  # the inode, two links
        return make(fields, extra)  # type: ignore[no-any-return]

    monkeypatch.setattr(os, "stat", made_up)
    assert sorted(scan.scan(folder).files()) == ["one.txt", "two.txt"]
