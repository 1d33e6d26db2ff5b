"""Atomic file writes: a temporary file beside the target, then a rename (or a no-clobber link)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from deeply_cli.errors import DeeplyError

EXISTS = "already exists (use --force to overwrite)"


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool) -> None:
    """Leave either the old file or the complete new one, never half of one."""
    payload = data.encode("utf-8") if isinstance(data, str) else data

    def write(handle: BinaryIO, temp: Path) -> None:
        handle.write(payload)

    build_atomic(path, write, overwrite=overwrite)


def build_atomic(path: Path, build: Callable[[BinaryIO, Path], None], *, overwrite: bool) -> None:
    """Build the file under a temporary name beside the target, then move it into place."""
    if path.is_dir():
        raise DeeplyError("is a folder, not a file", str(path))
    try:
        mode: int | None = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with _terminable():
            _build_into(path, build)  # a pipe or a device (`-o /dev/stdout`): never replaced
        return
    if mode is not None and path.is_symlink():
        path = Path(os.path.realpath(path))  # the file the link leads to, not the link
    with _terminable():
        _build_beside(path, build, overwrite=overwrite)


def _build_beside(path: Path, build: Callable[[BinaryIO, Path], None], *, overwrite: bool) -> None:
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise DeeplyError(f"cannot write here ({exc.strerror or exc})", str(path)) from None
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            build(handle, Path(temp))
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(temp, path)
        else:
            _link_new(temp, path)
    except FileExistsError:
        raise DeeplyError(EXISTS, str(path)) from None
    except OSError as exc:
        raise DeeplyError(f"cannot write ({exc.strerror or exc})", str(path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


class _Terminated(BaseException):
    """SIGTERM while a file is built: raised so that its temporary file is removed."""


@contextlib.contextmanager
def _terminable() -> Iterator[None]:
    """SIGTERM (a `kill`, a shutdown) in the block raises _Terminated, as Ctrl-C raises
    KeyboardInterrupt, so that the block's cleanup runs (a temporary file beside the target
    was left behind); then the process ends by that signal, as it would have. A SIGTERM that
    is ignored stays so, and a child forked meanwhile ends by it at once."""
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_IGN or previous is None:  # ignored, or not set from Python
        yield
        return
    owner, fired = os.getpid(), []

    def terminated(signum: int, _frame: object) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        elif not fired:  # once: a second one must not stop the cleanup of the first
            fired.append(signum)
            raise _Terminated

    try:
        signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: signals are not ours to handle
        yield
        return
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        signal.raise_signal(signal.SIGTERM)  # the default ends the process here
        raise SystemExit(128 + signal.SIGTERM) from None  # a handler of the caller's returned
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_new(path: Path) -> None:
    """Refuse at once what a write without --force would refuse at its end (for --dry-run,
    and before a long export): a folder, a file, a link to one or a broken link. A pipe or
    a device is written into, and passes."""
    if path.is_dir():
        raise DeeplyError("is a folder, not a file", str(path))
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return
    except OSError:
        pass
    if os.path.lexists(path):
        raise DeeplyError(EXISTS, str(path))


def check_plain(path: Path) -> None:
    """Refuse a target that is there but no plain file (for articles `import` writes into the
    archive): a symbolic link, which may lead outside the archive or to another article; a
    pipe, which would hold the write until something reads it; a device or a folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DeeplyError(f"cannot write ({exc.strerror or exc})", str(path)) from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise DeeplyError("is a folder, not a file", str(path))
    what = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
    raise DeeplyError(f"is {what}; not written (remove it first)", str(path))


def _link_new(temp: str, path: Path) -> None:
    """Give `temp` the name `path` only if no file has it: a hard link fails if one does,
    with no check-then-write race. FAT, exFAT and many network shares have no hard links:
    there the name is first taken by an empty file made only if none exists, then replaced."""
    try:
        os.link(temp, path)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.replace(temp, path)


_NO_LINKS = {
    getattr(errno, name)
    for name in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK")
    if hasattr(errno, name)
}


def _build_into(target: Path, build: Callable[[BinaryIO, Path], None]) -> None:
    """Build in a temporary folder, then write the result into the pipe or device."""
    try:
        with tempfile.TemporaryDirectory(prefix="deeply-") as folder:
            temp = Path(folder, "out")
            with open(temp, "w+b") as handle:
                build(handle, temp)
            with open(temp, "rb") as built, open(target, "wb") as out:
                shutil.copyfileobj(built, out)
    except OSError as exc:
        raise DeeplyError(f"cannot write ({exc.strerror or exc})", str(target)) from None


def _mode_for(path: Path) -> int:
    """Keep an overwritten file's mode; a new file gets the usual 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
