"""The console entry point: list the archive's files in a child process while this one
imports the rest of deeply.

Checking the size and modification time of every article file is most of what a read costs
on a large archive. A forked child does it on the second core while the parent spends its
first tenths of a second importing Typer and Rich; `scan.scan` then takes the child's answer
instead of scanning again. Only the small scan module is imported before the fork.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

TYPE_CHECKING = False  # `typing` costs milliseconds before the fork, where every one counts
if TYPE_CHECKING:
    from typing import NoReturn


def _archive_option(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--archive" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--archive="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-"):
            return None  # the command: a global option comes before it
    return None


def _prefetch() -> None:
    from deeply_cli import scan
    from deeply_cli.errors import DeeplyError

    if not hasattr(os, "fork") or os.environ.get("DEEPLY_NO_PREFETCH"):
        return
    option = _archive_option(sys.argv[1:])
    try:
        chosen = Path(option) if option else None
        root = scan.find_archive(chosen, os.environ, scan.current_folder())
    except DeeplyError:
        return  # reported properly once the command runs
    scan.prefetch(root)


def main() -> NoReturn:
    """Console entry point: an output that cannot be written is one line on stderr (none
    for a closed pipe), and the process ends without the interpreter's teardown."""
    _open_closed_streams()
    _prefetch()
    from deeply_cli.cli import main as run

    try:
        run()
        status = 0
    except SystemExit as exc:
        status = _status(exc.code)
    except OSError as exc:
        if (ended := output_ended(exc)) is None:
            raise
        status = ended
    _leave(status)


def _open_closed_streams() -> None:
    """A standard stream closed by the caller (`deeply index >&-`, as daemons run) reads or
    takes nothing: it becomes /dev/null, on its own descriptor, so that no file deeply opens
    (the index) gets that number and, with it, the output."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        setattr(sys, name, open(os.devnull, "r" if fd == 0 else "w", encoding="utf-8"))  # noqa: SIM115


def _status(code: object) -> int:
    """The exit status `sys.exit(code)` would give, its message printed as Python would."""
    if code is None or isinstance(code, int):
        return int(code or 0)
    sys.stderr.write(f"{code}\n")
    return 1


# A full disk, a quota, a file too big, a device that failed: no article or cache file is
# named in such an error when it comes from writing the output.
_WRITE_ERRORS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO") if hasattr(errno, name)
)


def output_ended(exc: OSError) -> int | None:
    """The exit status (1) when `exc` is stdout failing; None when it is something else, a
    bug to show in full.

    A full disk is reported in one line. A reader that left (`deeply list | head -1`) is
    not reported, and fails as Rich and Click make it fail. Whatever is still buffered is
    dropped, so that it does not fail again on the way out.
    """
    if not isinstance(exc, BrokenPipeError):
        if exc.filename is not None or exc.errno not in _WRITE_ERRORS:
            return None
        sys.stderr.write(f"deeply: error: cannot write output ({exc.strerror})\n")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 1


def _leave(status: int) -> NoReturn:
    """Flush the output and end the process without tearing down the interpreter.

    Teardown frees every object of Typer, Pydantic and Rich one at a time, a few hundredths
    of a second: longer than most reads take. It has nothing else to do here: a command has
    committed its writes and closed its files before it returns. A run that started worker
    processes leaves the ordinary way, so that multiprocessing's own exit handlers run.
    """
    try:
        sys.stdout.flush()
    except OSError as exc:
        if (ended := output_ended(exc)) is None:
            raise
        status = status or ended
    if "multiprocessing" in sys.modules:
        sys.exit(status)
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(status)
