"""The article files under an archive, and a digest that changes whenever one of them does.

Checking the size and modification time of every file is most of what a read costs on a large
archive: a stat call takes microseconds, and there is one a file. So the launcher starts the
scan in a forked child while it imports Typer and Rich (`prefetch`), and that child shares the
work with one more: half of the archive's folders each, or half of one big folder's files. The
listing travels as bytes and is decoded only when its digest differs from the index's.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from deeply_cli.errors import Problem, UsageError
from deeply_cli.forked import in_child

ARTICLE_SUFFIXES = (".txt", ".md")
SHARE_FROM = 4096  # files in one folder before two processes share their stat calls
HOW_TO_POINT = (
    "pass --archive DIR, set DEEPLY_ARCHIVE, or run deeply inside a folder with articles/"
)

Listing = dict[str, tuple[int, int]]  # relative path -> (size, mtime in ns), in folder order
GONE = -1  # the size of a file that vanished while we looked


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
    """What the archive holds now: a digest of the listing, its size, and its problems.

    The listing stays in the compact form it was made in (paths joined by NULs, sizes
    and times as machine integers) until `files()` is asked for it.
    """

    digest: str  # changes whenever a file is added, removed, renamed, resized or touched
    count: int
    problems: tuple[Problem, ...]
    paths: bytes
    sizes: bytes
    mtimes: bytes

    def files(self) -> Listing:
        if not self.paths:
            return {}
        paths = self.paths.decode("utf-8", "surrogateescape").split("\0")
        sizes, mtimes = array("q", self.sizes), array("q", self.mtimes)
        return {
            path: (size, mtime)
            for path, size, mtime in zip(paths, sizes, mtimes, strict=True)
            if size != GONE
        }


_PREFETCH: dict[Path, Callable[[], object]] = {}  # archive root -> the child's answer


def prefetch(root: Path) -> None:
    """Scan `root` in a forked child; the next `scan(root)` in this process takes its answer."""
    _PREFETCH[root] = in_child(lambda: _scan(root))


def scan(root: Path) -> Scan:
    """The article files under root, from the launch-time child if there is one."""
    answer = _PREFETCH.pop(root, lambda: None)()
    return answer if isinstance(answer, Scan) else _scan(root)


class _Part:
    """Files found by one process, in walk order: relative paths, sizes, times; problems."""

    __slots__ = ("mtimes", "problems", "rels", "sizes")

    def __init__(self) -> None:
        self.rels: list[str] = []
        self.sizes: array[int] = array("q")
        self.mtimes: array[int] = array("q")
        self.problems: list[Problem] = []

    def check(self, files: list[tuple[str, str]]) -> None:
        """Add files with their sizes and modification times (GONE if they vanished)."""
        self.rels += [rel for rel, _ in files]
        for _, path in files:
            try:
                stat = os.stat(path)
            except OSError:
                self.sizes.append(GONE)
                self.mtimes.append(GONE)
                continue
            self.sizes.append(stat.st_size)
            self.mtimes.append(stat.st_mtime_ns)

    def extend(self, other: _Part) -> None:
        self.rels += other.rels
        self.sizes += other.sizes
        self.mtimes += other.mtimes
        self.problems += other.problems


def _scan(root: Path) -> Scan:
    """Hidden entries, backups and links leading outside the archive are skipped.

    Two processes share the work when there is a lot of it: the archive's folders, or the
    files of one big folder.
    """
    real_root = root.resolve()
    found = _Part()
    files, folders = _read_folder(str(root), "", real_root, found.problems)
    if len(folders) >= 2:
        theirs = in_child(lambda: _walk(folders[1::2], real_root))
        found.check(files)
        found.extend(_walk(folders[::2], real_root))
        found.extend(_part(theirs()) or _walk(folders[1::2], real_root))
    else:
        half = len(files) // 2 if len(files) >= SHARE_FROM else len(files)
        theirs = in_child(lambda: _checked(files[half:])) if half < len(files) else None
        found.check(files[:half])
        if theirs:
            found.extend(_part(theirs()) or _checked(files[half:]))
        found.extend(_walk(folders, real_root))
    listing = (
        "\0".join(found.rels).encode("utf-8", "surrogateescape"),  # no name holds a NUL
        found.sizes.tobytes(),
        found.mtimes.tobytes(),
    )
    digest = hashlib.blake2b(b"\0".join(listing), digest_size=16).hexdigest()
    count = len(found.sizes) - found.sizes.count(GONE)
    return Scan(digest, count, tuple(found.problems), *listing)


def _part(answer: object) -> _Part | None:
    return answer if isinstance(answer, _Part) else None


def _checked(files: list[tuple[str, str]]) -> _Part:
    part = _Part()
    part.check(files)
    return part


def _walk(folders: list[tuple[str, str]], real_root: Path) -> _Part:
    """Every article file below these folders, depth first, checked as each folder is read."""
    part = _Part()
    pending = folders[::-1]
    while pending:
        files, found = _read_folder(*pending.pop(), real_root, part.problems)
        part.check(files)
        pending += found[::-1]
    return part


def _read_folder(
    folder: str, prefix: str, real_root: Path, problems: list[Problem]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(relative path, full path) of the article files and of the folders in one folder."""
    files: list[tuple[str, str]] = []
    folders: list[tuple[str, str]] = []
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as exc:
        problems.append(Problem(prefix or ".", f"cannot read folder ({exc.strerror})"))
        return files, folders
    for entry in entries:
        name = entry.name
        if name[0] in ".#" or name[-1] == "~":
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, prefix + name + "/"))
                continue
            if not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            if entry.is_symlink() and not _inside(Path(entry.path), real_root):
                problem = "symbolic link to outside the archive; skipped"
                problems.append(Problem(prefix + name, problem))
                continue
        except OSError:
            continue  # vanished while we looked: it is simply not there
        files.append((prefix + name, entry.path))
    return files, folders


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False
