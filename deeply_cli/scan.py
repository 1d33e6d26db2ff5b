"""The article files under an archive, and a digest that changes whenever one of them does.

Checking the size and times of every file is most of what a read costs on a large
archive: a stat call takes microseconds, and there is one a file. So the launcher starts the
scan in a forked child while it imports Typer and Rich (`prefetch`), and that child shares the
work with one more: half of the archive's folders each, or half of one big folder's files. The
listing travels as bytes and is decoded only when its digest differs from the index's.
"""

from __future__ import annotations

import errno
import hashlib
import os
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG

from deeply_cli.errors import Problem, UsageError
from deeply_cli.forked import in_child

ARTICLE_SUFFIXES = (".txt", ".md")
SHARE_FROM = 4096  # files in one folder before two processes share their stat calls
HOW_TO_POINT = (
    "pass --archive DIR, set DEEPLY_ARCHIVE, or run deeply inside a folder with articles/"
)

FROM_ENVIRONMENT = "it comes from DEEPLY_ARCHIVE: set that to the folder that holds the articles"

# relative path -> (size, mtime, ctime in ns), in folder order. The status time (ctime) changes
# with every write, chmod, rename or `touch`, also when size and mtime stay (a text replaced
# and its time set back, a file made unreadable); it is no use to follow a move by (`mv` sets
# it), nor across copies.
Listing = dict[str, tuple[int, int, int]]


def current_folder() -> Path | None:
    """The current folder; None when it is gone (removed while a shell was in it)."""
    try:
        return Path.cwd()
    except OSError:
        return None


_GONE = "the current folder no longer exists"


def find_archive(option: Path | None, env: Mapping[str, str], cwd: Path | None) -> Path:
    """--archive, else $DEEPLY_ARCHIVE, else the nearest articles/ from cwd upwards; `cwd`
    None: the current folder is gone, and only an absolute path can be found."""
    chosen = option or (Path(env["DEEPLY_ARCHIVE"]) if env.get("DEEPLY_ARCHIVE") else None)
    if chosen is not None:
        hint = HOW_TO_POINT if option else FROM_ENVIRONMENT
        if cwd is None and not chosen.is_absolute():
            raise UsageError(f"{_GONE}, so {chosen} cannot be found: give its full path")
        if (wrong := _not_an_archive(chosen, hint)) is not None:
            raise UsageError(wrong)
        return chosen.resolve()
    if cwd is None:
        raise UsageError(f"no archive found: {_GONE} ({HOW_TO_POINT})")
    for folder in (cwd, *cwd.parents):
        if (folder / "articles").is_dir():
            return (folder / "articles").resolve()
    raise UsageError(f"no archive found: {HOW_TO_POINT}")


def _not_an_archive(path: Path, hint: str) -> str | None:
    """What keeps a folder the user named from being read as an archive, in one line; None
    when nothing does. Checked here, before the scan: the scan reports an unreadable folder
    as a problem in the archive and goes on, which reads as an empty archive."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # missing, a name too long, a dangling link: no folder by that name
        return f"archive folder not found: {path} ({hint})"
    if not S_ISDIR(mode):
        what = "a file, not an archive folder" if S_ISREG(mode) else "not a folder"
        return f"{path} is {what} ({hint})"
    try:
        with os.scandir(path):
            pass  # opened, not read: listing a large archive is the scan's work
    except OSError as exc:
        return f"cannot read archive folder {path}: {exc.strerror} (check its permissions)"
    if not os.access(path, os.X_OK):  # listed, but no file in it can be opened
        return f"cannot read archive folder {path}: Permission denied (check its permissions)"
    return None


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
    ctimes: bytes

    def files(self) -> Listing:
        if not self.paths:
            return {}
        paths = self.paths.decode("utf-8", "surrogateescape").split("\0")
        sizes, mtimes, ctimes = (array("q", t) for t in (self.sizes, self.mtimes, self.ctimes))
        signatures = zip(sizes, mtimes, ctimes, strict=True)
        return dict(zip(paths, signatures, strict=True))


_PREFETCH: dict[Path, Callable[[], object]] = {}  # archive root -> the child's answer


def prefetch(root: Path) -> None:
    """Scan `root` in a forked child; the next `scan(root)` in this process takes its answer."""
    _PREFETCH[root] = in_child(lambda: _scan(root))


def scan(root: Path) -> Scan:
    """The article files under root, from the launch-time child if there is one."""
    answer = _PREFETCH.pop(root, lambda: None)()
    return answer if isinstance(answer, Scan) else _scan(root)


class _Part:
    """Files found by one process, in walk order: relative paths, sizes, times; problems.

    Paths are packed into bytes (`pack`) before they cross to another process: a list of
    a hundred thousand strings takes longer to pickle than it took to find them.
    """

    __slots__ = ("ctimes", "hard", "links", "mtimes", "packed", "problems", "rels", "sizes")

    def __init__(self) -> None:
        self.rels: list[str] = []  # not yet packed
        self.packed: list[bytes] = []  # NUL-joined paths, each chunk non-empty
        self.sizes: array[int] = array("q")
        self.mtimes: array[int] = array("q")
        self.ctimes: array[int] = array("q")
        self.problems: list[Problem] = []
        self.links: list[tuple[str, str]] = []  # (link, the archive file it leads to)
        self.hard: list[tuple[str, tuple[int, ...]]] = []  # (a file of several names, its id)

    def add(
        self, folder: str, prefix: str, names: list[str], real_root: Path
    ) -> list[tuple[str, str]]:
        """Record the article files among `names` in `folder`; return the subfolders.

        One `lstat` an entry, relative to the open folder where the system allows it: on a
        large archive this loop is most of what a read costs.
        """
        subfolders: list[tuple[str, str]] = []
        try:
            fd: int | None = os.open(folder, _FOLDER_FLAGS) if _BY_FOLDER else None
        except OSError:
            fd = None
        base = "" if fd is not None else os.path.join(folder, "")
        try:
            for name in names:
                try:
                    stat = os.stat(base + name, dir_fd=fd, follow_symlinks=False)
                except FileNotFoundError:
                    continue  # vanished while we looked: it is simply not there
                except PermissionError as exc:  # a folder we may list but not enter
                    self.problems.append(_unreadable(prefix, exc))
                    break
                except OSError as exc:
                    self.problems.append(Problem(prefix + name, f"cannot check ({exc.strerror})"))
                    continue
                mode = stat.st_mode
                if S_ISDIR(mode):
                    subfolders.append((os.path.join(folder, name), prefix + name + "/"))
                    continue
                if not name.lower().endswith(ARTICLE_SUFFIXES):
                    continue
                if S_ISLNK(mode):
                    linked = self._linked(Path(folder, name), prefix + name, real_root)
                    if linked is None:
                        continue
                    stat, target = linked
                    self.links.append((prefix + name, target))
                elif not S_ISREG(mode):
                    self.problems.append(Problem(prefix + name, _NOT_A_FILE))
                    continue
                elif stat.st_nlink > 1:  # a hard link: the same file may be listed again
                    # its size and time too: a file system that makes up inode numbers
                    # (some network and FUSE ones) must not make two articles one
                    same = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
                    self.hard.append((prefix + name, same))
                self.rels.append(prefix + name)
                self.sizes.append(stat.st_size)
                self.mtimes.append(stat.st_mtime_ns)
                self.ctimes.append(stat.st_ctime_ns)
        finally:
            if fd is not None:
                os.close(fd)
        return subfolders

    def _linked(self, path: Path, rel: str, real_root: Path) -> tuple[os.stat_result, str] | None:
        """The file a link inside the archive leads to, and its path in the archive; links
        leading outside are skipped."""
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, before Python 3.13
            if isinstance(exc, FileNotFoundError):
                why = "leads nowhere (its target is missing)"
            elif isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
                why = "loops back on itself"
            else:
                why = f"cannot be followed ({exc.strerror})"
            self.problems.append(Problem(rel, f"symbolic link {why}; skipped"))
            return None
        if not target.is_relative_to(real_root):
            self.problems.append(Problem(rel, "symbolic link to outside the archive; skipped"))
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if not S_ISREG(stat.st_mode):
            self.problems.append(Problem(rel, _NOT_A_FILE))
            return None
        return stat, target.relative_to(real_root).as_posix()

    def pack(self) -> _Part:
        if self.rels:  # no name holds a NUL
            try:
                self.packed.append("\0".join(self.rels).encode("utf-8"))
            except UnicodeEncodeError:
                self._drop_undecodable()
                self.packed.append("\0".join(self.rels).encode("utf-8"))
            self.rels = []
        return self

    def _drop_undecodable(self) -> None:
        """Skip, with a problem each, the paths that are not valid UTF-8: the index can hold
        no such text. (Rare, so only looked for once a whole chunk fails to encode.)"""
        first = len(self.sizes) - len(self.rels)  # where these paths' sizes and times start
        keep = []
        for i, rel in enumerate(self.rels):
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
                self.problems.append(Problem(shown, _NOT_UTF8))
                continue
            keep.append(i)
        self.rels = [self.rels[i] for i in keep]
        self.sizes[first:] = array("q", [self.sizes[first + i] for i in keep])
        self.mtimes[first:] = array("q", [self.mtimes[first + i] for i in keep])
        self.ctimes[first:] = array("q", [self.ctimes[first + i] for i in keep])

    def extend(self, other: _Part) -> None:
        self.pack()
        self.packed += other.pack().packed
        self.sizes += other.sizes
        self.mtimes += other.mtimes
        self.ctimes += other.ctimes
        self.problems += other.problems
        self.links += other.links
        self.hard += other.hard

    def drop_second_copies(self) -> None:
        """Keep one path for each file: a link to an article the archive lists already, or
        to one an earlier link leads to, would show the same interview twice; so would the
        other names of a file with hard links, of which the first in path order is kept."""
        paths = b"\0".join(self.pack().packed).decode("utf-8").split("\0")
        links = dict(self.links)
        names: dict[tuple[int, ...], list[str]] = {}
        listed = set(paths)  # not those skipped since (a name not valid UTF-8)
        for rel, file_id in self.hard:
            if rel in listed:
                names.setdefault(file_id, []).append(rel)
        kept = {rel: min(same) for same in names.values() for rel in same}
        seen = {path for path in paths if path not in links and kept.get(path, path) == path}
        keep = []
        for i, path in enumerate(paths):
            if kept.get(path, path) != path:
                continue
            target = links.get(path)
            if target is not None:
                target = kept.get(target, target)
                if target in seen:
                    continue
                seen.add(target)
            keep.append(i)
        self.packed = ["\0".join(paths[i] for i in keep).encode("utf-8")] if keep else []
        self.sizes = array("q", [self.sizes[i] for i in keep])
        self.mtimes = array("q", [self.mtimes[i] for i in keep])
        self.ctimes = array("q", [self.ctimes[i] for i in keep])
        self.links = []
        self.hard = []


_BY_FOLDER = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NOT_A_FILE = "not a regular file; skipped"
_NOT_UTF8 = "file name is not valid UTF-8 (rename the file to read it); skipped"


def _scan(root: Path) -> Scan:
    """Hidden entries, backups, special files and links leading outside the archive are
    skipped.

    Two processes share the work when there is a lot of it: the archive's folders, or the
    entries of one big folder.
    """
    real_root = root.resolve()
    found = _Part()
    top = str(root)
    folders, others = _read_top(top, found.problems)
    if len(folders) >= 2:
        theirs = in_child(lambda: _walk(folders[1::2], real_root).pack())
        late = found.add(top, "", others, real_root)  # entries that became folders meanwhile
        found.extend(_walk(folders[::2] + late, real_root))
        found.extend(_part(theirs()) or _walk(folders[1::2], real_root))
    else:
        half = len(others) // 2 if len(others) >= SHARE_FROM else len(others)
        rest = others[half:]
        theirs = in_child(lambda: _added(top, rest, real_root).pack()) if rest else None
        folders += found.add(top, "", others[:half], real_root)
        if theirs:
            found.extend(_part(theirs()) or _added(top, rest, real_root))
        found.extend(_walk(folders, real_root))
    if found.links or found.hard:
        found.drop_second_copies()
    times = found.sizes.tobytes(), found.mtimes.tobytes(), found.ctimes.tobytes()
    listing = (b"\0".join(found.pack().packed), *times)
    digest = hashlib.blake2b(b"\0".join(listing), digest_size=16).hexdigest()
    return Scan(digest, len(found.sizes), tuple(found.problems), *listing)


def _part(answer: object) -> _Part | None:
    return answer if isinstance(answer, _Part) else None


def _added(top: str, names: list[str], real_root: Path) -> _Part:
    """These entries of the archive's own folder, and any that became folders meanwhile."""
    part = _Part()
    part.extend(_walk(part.add(top, "", names, real_root), real_root))
    return part


def _walk(folders: list[tuple[str, str]], real_root: Path) -> _Part:
    """Every article file below these folders, depth first, checked as each folder is read."""
    part = _Part()
    pending = folders[::-1]
    while pending:
        folder, prefix = pending.pop()
        names = _names(folder, prefix, part.problems)
        pending += part.add(folder, prefix, names, real_root)[::-1]
    return part


def _names(folder: str, prefix: str, problems: list[Problem]) -> list[str]:
    """The entries of one folder, less hidden ones and backups."""
    try:
        names = os.listdir(folder)
    except OSError as exc:
        problems.append(_unreadable(prefix, exc))
        return []
    return [name for name in names if _shown(name)]


def _unreadable(prefix: str, exc: OSError) -> Problem:
    return Problem(prefix or ".", f"cannot read folder ({exc.strerror})")


def _shown(name: str) -> bool:
    """Not hidden, nor an editor's backup (`a.txt~`) or autosave (`#a.txt#`): `#1 Talk.txt`
    is an article."""
    autosave = len(name) > 1 and name[0] == name[-1] == "#"
    return name[0] != "." and name[-1] != "~" and not autosave


def _read_top(folder: str, problems: list[Problem]) -> tuple[list[tuple[str, str]], list[str]]:
    """The archive's own folder: its subfolders (path, prefix), and its other entries' names.

    The entry types come with the listing, so the work can be shared before any `lstat`.
    """
    try:
        with os.scandir(folder) as listing:
            entries = [entry for entry in listing if _shown(entry.name)]
    except OSError as exc:
        problems.append(_unreadable("", exc))
        return [], []
    folders: list[tuple[str, str]] = []
    others: list[str] = []
    for entry in entries:
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_folder = False  # `add` looks again, and skips it if it is gone
        if is_folder:
            folders.append((entry.path, entry.name + "/"))
        else:
            others.append(entry.name)
    return folders, others
