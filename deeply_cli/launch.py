"""The console entry point: list the archive's files in a child process while this one
imports the rest of deeply.

Checking the size and modification time of every article file is most of what a read costs
on a large archive. A forked child does it on the second core while the parent spends its
first tenths of a second importing Typer and Rich; `scan.scan` then takes the child's answer
instead of scanning again. Only the small scan module is imported before the fork.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


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
        root = scan.find_archive(Path(option) if option else None, os.environ, Path.cwd())
    except DeeplyError:
        return  # reported properly once the command runs
    scan.prefetch(root)


def main() -> None:
    _prefetch()
    from deeply_cli.cli import main as run

    run()
