"""The cache folder's files: each index's writer lock, and the removal of indexes left behind.

Each archive has an index `KEY.sqlite` (with SQLite's -wal, -shm or -journal beside it) and
a lock file `KEY.lock`, KEY a digest of the archive's path. An archive moved or deleted would
leave them behind for good: whenever deeply makes a new index file, it removes those of every
archive that is gone and has not been used for UNUSED_DAYS (`sweep`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Long enough that an archive on a drive left unplugged for a while keeps its index.
UNUSED_DAYS = 30
_NAME = re.compile(r"([0-9a-f]{16})\.(?:sqlite(?:-wal|-shm|-journal)?|lock)")
_SUFFIXES = (".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal", ".lock")  # lock last


def take(lock_path: Path) -> BinaryIO:
    """The lock file, locked by this process: others wait. OSError if it cannot be opened."""
    lock = _take(lock_path, fcntl.LOCK_EX)
    assert lock is not None  # a blocking lock is always given in the end
    return lock


@contextlib.contextmanager
def held(lock: BinaryIO) -> Iterator[None]:
    """Keep `lock` (from `take`) for the block. Unlocked before it is closed: parsing workers
    forked meanwhile hold copies of the file, which would keep it locked."""
    with lock:
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _take(lock_path: Path, flags: int) -> BinaryIO | None:
    """Lock the file at `lock_path`; None when `flags` ask not to wait and another holds it.

    A `sweep` may remove the file while we wait for it, and a lock on a file no longer at
    its path keeps no one out: then the file there now is locked instead."""
    while True:
        lock = open(lock_path, "a+b")  # noqa: SIM115 - returned open, or closed here
        try:
            fcntl.flock(lock, flags)
        except BlockingIOError:
            lock.close()
            return None
        except BaseException:
            lock.close()
            raise
        if _same_file(lock, lock_path):
            return lock
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def _same_file(lock: BinaryIO, path: Path) -> bool:
    try:
        there = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(lock.fileno())
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def sweep(folder: Path, own: str) -> list[str]:
    """Remove the index files of each archive but `own` (a key) that is gone, or whose index
    cannot be read, and whose files have not changed for UNUSED_DAYS (every command touches
    its archive's lock file); never those of an index another process holds the lock of.
    Returns the keys removed."""
    with os.scandir(folder) as entries:
        keys = {m[1] for e in entries if (m := _NAME.fullmatch(e.name)) and m[1] != own}
    removed = []
    for key in sorted(keys):
        times = _times(folder, key)
        if not _left_behind(folder, key, times):
            continue
        lock = _take(folder / f"{key}.lock", fcntl.LOCK_EX | fcntl.LOCK_NB)  # may create it
        if lock is None:
            continue  # in use
        with held(lock):
            # Again, now that no deeply can start on it; a lock file touched meanwhile is a
            # command that began to read it.
            now = _times(folder, key)
            if ".lock" not in times:
                now.pop(".lock", None)  # made by `_take` just now
            elif now.get(".lock") != times[".lock"]:
                continue
            if _left_behind(folder, key, now):
                for suffix in _SUFFIXES:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(folder / f"{key}{suffix}")
                removed.append(key)
    return removed


def _times(folder: Path, key: str) -> dict[str, float]:
    """The modification time of each of the key's files there is, by suffix; but for the
    -wal and -shm files, which SQLite makes and touches for any reader (this one too)."""
    times = {}
    for suffix in (".sqlite", ".sqlite-journal", ".lock"):
        with contextlib.suppress(FileNotFoundError):
            times[suffix] = os.stat(folder / f"{key}{suffix}").st_mtime
    return times


def _left_behind(folder: Path, key: str, times: dict[str, float]) -> bool:
    since = time.time() - UNUSED_DAYS * 86400
    unused = all(t < since for t in times.values())
    return unused and _archive_gone(folder / f"{key}.sqlite", key)


def _archive_gone(db: Path, key: str) -> bool:
    """Whether the archive this index was made for is no longer there, or the index is of no
    use (not a database, damaged, without its root); False when that cannot be told (the
    index locked or unreadable now, the archive's folder behind a permission or a failing
    disk, a root that is not the key's)."""
    if not db.exists():
        return True  # a lock file alone
    # Read as it is, leaving no -wal and -shm behind, when there is no -wal to read it with.
    wal = os.path.exists(f"{db}-wal")
    try:
        uri = db.absolute().as_uri() + ("?mode=ro" if wal else "?mode=ro&immutable=1")
        conn = sqlite3.connect(uri, uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        return str(exc).startswith("no such table")  # busy, locked, I/O: cannot tell
    except sqlite3.DatabaseError:
        return True  # not a database, or damaged: any use of it would rebuild it
    if row is None:
        return True
    root = str(row[0]).encode("utf-8", "surrogateescape")
    if hashlib.sha256(root).hexdigest()[:16] != key:
        return False  # a name that was not UTF-8, stored escaped: not this path
    try:
        return not stat.S_ISDIR(os.stat(root).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
