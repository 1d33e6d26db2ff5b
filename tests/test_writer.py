"""Atomic writes: an interrupted write leaves the old file or the new one, never half of one."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

import pytest

from deeply_cli.errors import DeeplyError
from deeply_cli.writer import build_atomic, write_atomic


def test_interrupted_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "article.md"
    target.write_text("old\n", encoding="utf-8")

    def half_then_ctrl_c(handle: BinaryIO, temp: Path) -> None:
        handle.write(b"new, but only ha")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_atomic(target, half_then_ctrl_c, overwrite=True)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["article.md"]  # no temporary file left


@pytest.mark.parametrize("pipe", [False, True])
def test_sigterm_mid_write_keeps_the_old_file_and_leaves_no_temporary_one(
    tmp_path: Path, pipe: bool
) -> None:
    """A `kill` (SIGTERM), not only Ctrl-C, in the middle of `export -o FILE` or `import`
    left its hidden .NAME.XXXX.tmp beside the target; the process still ends by the signal."""
    target = tmp_path / "out" / "article.md"
    target.parent.mkdir()
    if pipe:
        os.mkfifo(target)
    else:
        target.write_text("old\n", encoding="utf-8")
    temps = tmp_path / "temps"
    temps.mkdir()
    code = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from deeply_cli.writer import build_atomic\n"
        "def build(handle, temp):\n"
        "    handle.write(b'new, but only ha')\n"
        "    handle.flush()\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(30)\n"
        "build_atomic(Path(sys.argv[1]), build, overwrite=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        env={**os.environ, "TMPDIR": str(temps)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr
    assert [p.name for p in target.parent.iterdir()] == ["article.md"]  # no temporary file
    assert list(temps.iterdir()) == []
    if not pipe:
        assert target.read_text(encoding="utf-8") == "old\n"


def test_complete_write_replaces(tmp_path: Path) -> None:
    target = tmp_path / "article.md"
    target.write_text("old\n", encoding="utf-8")
    write_atomic(target, "new\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new\n"


def test_no_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "article.md"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(DeeplyError, match="already exists"):
        write_atomic(target, "new\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["article.md"]


def test_unwritable_target_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(DeeplyError, match="cannot write here"):
        write_atomic(blocker / "article.md", "new\n", overwrite=False)
    with pytest.raises(DeeplyError, match="is a folder"):
        write_atomic(tmp_path, "new\n", overwrite=True)


@pytest.mark.parametrize("force", [False, True])
def test_a_named_pipe_is_written_into_not_replaced(tmp_path: Path, force: bool) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_atomic(pipe, "through the pipe\n", overwrite=force)
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_force_through_a_link_replaces_the_file_it_leads_to(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real.name)
    write_atomic(link, "new\n", overwrite=True)
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert real.read_text(encoding="utf-8") == "new\n"


def test_a_file_system_without_hard_links_still_writes_new_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FAT, exFAT and many network shares refuse link(2) with EPERM."""

    def no_links(src: str, dst: str, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted", src, None, dst)

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "article.md"
    write_atomic(target, "new\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "new\n"
    with pytest.raises(DeeplyError, match="already exists"):
        write_atomic(target, "other\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["article.md"]  # no temporary file left
