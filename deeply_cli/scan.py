"""The article files under an archive, and a digest that changes whenever one of them does.

Checking the size and modification time of every file is most of what a read costs on a large
archive: a stat call takes microseconds, and there is one a file. So the launcher starts the
scan in a forked child while it imports Typer and Rich (`prefetch`), and from `SHARE_FROM` files
on a second process takes half of the stat calls. Both hand back bytes: the listing is decoded
only when its digest differs from the one the index recorded.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from deeply_cli.errors import Problem, UsageError

ARTICLE_SUFFIXES = (".txt", ".md")
# Files before a second process shares the stat calls. Below it the scan (about 5 µs a file)
# ends within the imports it runs beside, and a third process would only slow those down.
SHARE_FROM = 32768
HOW_TO_POINT = (
    "pass --archive DIR, set DEEPLY_ARCHIVE, or run deeply inside a folder with articles/"
)

Listing = dict[str, tuple[int, int]]  # relative path -> (size, mtime in ns), in folder order
Stat = tuple[int, int] | None  # None: the file vanished while we looked


def find_archive(option: Path | None, env: Mapping[str, str], cwd: Path) -> Path:
    """--archive, else $DEEPLY_ARCHIVE, else the nearest articles/ from cwd upwards."""
    chosen = option or (Path(env["DEEPLY_ARCHIVE"]) if env.get("DEEPLY_ARCHIVE") else None)
    if chosen is not None:
        if not chosen.is_dir():
            raise UsageError(f"archive folder not found: {chosen} ({HOW_TO_POINT})")
        return chosen.resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "articles").is_dir():
            return (folder / "articles").resolve()
    raise UsageError(f"no archive found: {HOW_TO_POINT}")


@dataclass(frozen=True, slots=True)
class Scan:
    """What the archive holds now: a digest of the listing, its size, and its problems."""

    digest: str  # changes whenever a file is added, removed, renamed, resized or touched
    count: int
    problems: tuple[Problem, ...]
    listing: bytes  # the pickled Listing

    def files(self) -> Listing:
        files: Listing = pickle.loads(self.listing)
        return files


_PREFETCH: dict[Path, tuple[int, int]] = {}  # archive root -> (child pid, read end of a pipe)


def prefetch(root: Path) -> None:
    """Scan `root` in a forked child; the next `scan(root)` in this process takes its answer."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: scan, send, and leave without running the parent's exit code
        os.close(read_end)
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(_scan(root), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write_end)
    _PREFETCH[root] = (pid, read_end)


def scan(root: Path) -> Scan:
    """The article files under root, from the launch-time child if there is one."""
    if root in _PREFETCH:
        pid, read_end = _PREFETCH.pop(root)
        found = _receive(pid, read_end)
        if isinstance(found, Scan):
            return found
    return _scan(root)


def _receive(pid: int, read_end: int) -> object:
    """What a child sent down the pipe; None if it failed, the caller then does the work."""
    try:
        with os.fdopen(read_end, "rb") as pipe:
            return pickle.load(pipe)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    finally:
        os.waitpid(pid, 0)


def _scan(root: Path) -> Scan:
    """Hidden entries, backups and links leading outside the archive are skipped."""
    entries, problems = _list(root)
    stats = _stat_shared(entries) if len(entries) >= SHARE_FROM else _stat(entries)
    files = {rel: stat for (rel, _), stat in zip(entries, stats, strict=True) if stat}
    listing = pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.blake2b(listing, digest_size=16).hexdigest()
    return Scan(digest, len(files), tuple(problems), listing)


def _list(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(relative path, full path) of every article file, without a stat call for any."""
    real_root = root.resolve()
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            problems.append(Problem(prefix or ".", f"cannot read folder ({exc.strerror})"))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "#")) or name.endswith("~"):
                continue
            rel = prefix + name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, rel + "/"))
                    continue
                if not name.lower().endswith(ARTICLE_SUFFIXES):
                    continue
                if entry.is_symlink() and not _inside(Path(entry.path), real_root):
                    problems.append(Problem(rel, "symbolic link to outside the archive; skipped"))
                    continue
            except OSError:
                continue  # vanished while we looked: it is simply not there
            found.append((rel, entry.path))
    return found, problems


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False


def _stat(entries: list[tuple[str, str]]) -> list[Stat]:
    stats: list[Stat] = []
    for _, path in entries:
        try:
            stat = os.stat(path)
        except OSError:
            stats.append(None)
            continue
        stats.append((stat.st_size, stat.st_mtime_ns))
    return stats


def _stat_shared(entries: list[tuple[str, str]]) -> list[Stat]:
    """The second half in a forked process, the first half here, at the same time."""
    half = len(entries) // 2
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return _stat(entries)
    if pid == 0:
        os.close(read_end)
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(_stat(entries[half:]), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write_end)
    first = _stat(entries[:half])
    second = _receive(pid, read_end)
    if not (isinstance(second, list) and len(second) == len(entries) - half):
        second = _stat(entries[half:])
    return first + second
