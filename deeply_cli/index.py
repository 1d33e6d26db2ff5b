"""The SQLite FTS5 cache: build, refresh and query. Always rebuildable from the article files."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from deeply_cli import archive
from deeply_cli.errors import DeeplyError, Problem
from deeply_cli.fts import TOKENIZE
from deeply_cli.rows import BATCH, parsed_rows
from deeply_cli.scan import Listing, Scan, scan
from deeply_cli.text import fold

if TYPE_CHECKING:
    from deeply_cli.parser import ParseConfig

SCHEMA_VERSION = 25  # also when parsing changes: an index holds parses
PAGE_BYTES = 16384  # fewer overflow pages for long answers: a faster build, a smaller file

# The turns' own indexes: dropped while a build fills an empty index, made once at its end.
_TURN_INDEXES = {
    "turns_path": "turns(path)",
    "turns_speaker": "turns(speaker, is_question, path, words, role, label)",  # covers figures
}
BULK_FROM = 1000  # files that make a build from nothing a bulk load

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(
    path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ctime INTEGER, slug TEXT, title TEXT,
    authors TEXT, published TEXT, speakers TEXT, questions INTEGER, answers INTEGER,
    publication TEXT, url TEXT, problem TEXT, problem_line INTEGER,
    fatal INTEGER NOT NULL DEFAULT 0, final_slug TEXT);
CREATE TABLE turns(
    id INTEGER PRIMARY KEY, path TEXT NOT NULL, exchange INTEGER, position INTEGER,
    speaker TEXT, label TEXT, is_question INTEGER, question TEXT, asker TEXT, paragraphs TEXT,
    role TEXT, line INTEGER, paragraph INTEGER, words INTEGER, folded TEXT);
CREATE INDEX files_slug ON files(final_slug) WHERE fatal = 0;
CREATE INDEX files_problem ON files(path) WHERE problem IS NOT NULL;
CREATE INDEX files_renamed ON files(path) WHERE final_slug != slug;
CREATE TABLE speakers(
    name TEXT PRIMARY KEY, answers INTEGER, articles INTEGER, words INTEGER, roles TEXT,
    folded TEXT, labels TEXT);
CREATE INDEX speakers_rank ON speakers(answers DESC, folded);
-- What the full-text index holds: the text, or its fold where FTS5 would not fold it alike.
CREATE VIEW turns_indexed AS SELECT id, coalesce(folded, paragraphs) AS paragraphs FROM turns;
CREATE VIRTUAL TABLE turns_fts USING fts5(
    paragraphs, content='turns_indexed', content_rowid='id', tokenize='{TOKENIZE}');
"""


class Progress(Protocol):
    def advance(self, count: int = 1) -> None: ...


ProgressFactory = Callable[[int], contextlib.AbstractContextManager[Progress]]


@dataclass(frozen=True, slots=True)
class Refreshed:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False


def _follow_moves(
    held: dict[str, str], stored: Listing, todo: list[str], gone: list[str], files: Listing
) -> None:
    """A file moved or renamed keeps its slug: the one new path with the size and mtime
    (which `mv` keeps; not the ctime, which it sets) of exactly one path that went inherits
    that path's slug."""
    if not gone:
        return
    left: dict[tuple[int, int], list[str]] = {}
    for rel in gone:
        left.setdefault(stored[rel][:2], []).append(rel)
    came: dict[tuple[int, int], list[str]] = {}
    for rel in todo:
        if rel not in stored and files[rel][:2] in left:
            came.setdefault(files[rel][:2], []).append(rel)
    for signature, new in came.items():
        old = left[signature]
        if len(old) == len(new) == 1 and old[0] in held:
            held[new[0]] = held[old[0]]


@dataclass(slots=True)
class Index:
    root: Path
    conn: sqlite3.Connection
    config: ParseConfig | None
    config_key: str
    db_path: Path | None  # None: an in-memory index, the cache being unusable
    lock_path: Path | None
    problems: list[Problem] = field(default_factory=list)
    inode: int = 0
    _slugs: dict[str, str] | None = None

    # -- refresh -------------------------------------------------------------------------------
    def refresh(self, progress: ProgressFactory | None = None, rebuild: bool = False) -> Refreshed:
        """Index files added or changed (size, mtime or ctime) since the last run; drop
        removed ones."""
        found = scan(self.root)
        self.problems += found.problems
        try:
            return self._refresh(found, progress, rebuild)
        except sqlite3.OperationalError as exc:
            if "readonly database" not in str(exc) or not self._writable_again():
                raise
        return self._refresh(found, progress, rebuild)

    def _writable_again(self) -> bool:
        """SQLite makes the -wal and -shm with the index file's mode: made while it was
        read-only, they stayed read-only once it was writable again, and every write failed.
        They are the cache's own: given the index file's mode, and the index opened anew.
        False when the index file itself is not writable, or they cannot be changed."""
        if self.db_path is None or not os.access(self.db_path, os.W_OK):
            return False
        mode = os.stat(self.db_path).st_mode & 0o777
        mended = False
        for suffix in ("-wal", "-shm"):
            side = f"{self.db_path}{suffix}"
            if os.path.exists(side) and not os.access(side, os.W_OK):
                try:
                    os.chmod(side, mode)
                except OSError:
                    return False
                mended = True
        if not mended:
            return False
        self.conn.close()
        conn = _open_valid(self.db_path, self.root)
        if conn is None:
            self.conn = _connect(":memory:")  # closed by the caller, who works from memory
            return False
        self.conn = conn
        return True

    def _refresh(self, found: Scan, progress: ProgressFactory | None, rebuild: bool) -> Refreshed:
        if not rebuild and not self._stale(found):
            return Refreshed(unchanged=found.count)
        files = found.files()
        with self._locked():
            self._follow_replacement()
            # Before a rebuild or a change forgets them; and those an index built anew kept.
            held = {**self._kept_slugs(), **self.held_slugs()}
            known = self._meta("config")
            rebuilt = rebuild or (known is not None and known != self.config_key)
            if rebuilt or known is None:
                with self.conn:
                    self.conn.execute("DELETE FROM turns")
                    self.conn.execute("INSERT INTO turns_fts(turns_fts) VALUES('delete-all')")
                    self.conn.execute("DELETE FROM files")
                    self.conn.execute("DELETE FROM meta WHERE key = 'scan'")  # stale till done
                    self._set_meta("config", self.config_key)
            stored = dict(self._signatures())
            todo = [rel for rel, sig in files.items() if stored.get(rel) != sig]
            gone = [rel for rel in stored if rel not in files]
            _follow_moves(held, stored, todo, gone, files)
            # Speakers whose figures change: all of them when starting from nothing, or
            # after a refresh that stopped before its end (killed, Ctrl-C): the speakers of
            # the files it stored or deleted are known to no one now.
            finished = self._meta("scan") is not None
            touched: set[str] | None = set() if stored and finished else None
            bulk = not stored and len(todo) >= BULK_FROM
            with self.conn:
                self.conn.execute("DELETE FROM meta WHERE key = 'scan'")  # set again at the end
                self._turn_indexes(drop=bulk)
                self._delete(gone + [rel for rel in todo if rel in stored], touched)
            self._index(sorted(todo), progress, touched)
            with self.conn:
                self._turn_indexes(drop=False)
                self._summarize(touched, held)
                self._set_meta("scan", found.digest)
                self.conn.execute("DELETE FROM meta WHERE key = 'kept_slugs'")  # given now
        added = sum(1 for rel in todo if rel not in stored)
        return Refreshed(added, len(todo) - added, len(gone), len(files) - len(todo), rebuilt)

    def _turn_indexes(self, *, drop: bool) -> None:
        """Drop the turns' indexes before a bulk load (building each once at the end costs a
        sixth less of the writing process's time than keeping it row by row), or make sure
        they exist, also after a build that was killed before its end."""
        for name, columns in _TURN_INDEXES.items():
            if drop:
                self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            else:
                self.conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")

    def _follow_replacement(self) -> None:
        """Another process may have rebuilt the index as a new file while we waited: use it."""
        if self.db_path is None:
            return
        try:
            replaced = os.stat(self.db_path).st_ino != self.inode
        except OSError:
            replaced = True
        if replaced:
            self.conn.close()
            self.conn = _open_valid(self.db_path, self.root) or _recreate(self.db_path, self.root)
            self.inode = os.stat(self.db_path).st_ino

    def _stale(self, found: Scan) -> bool:
        if self._meta("config") != self.config_key:
            return True
        known = self._meta("scan")  # written only where a refresh ran to its end
        if known == found.digest:
            return False  # the same files, sizes and times as at the last refresh
        if known is None or dict(self._signatures()) != found.files():
            return True
        with contextlib.suppress(sqlite3.Error), self.conn:
            self._set_meta("scan", found.digest)  # same files, listed in another order
        return False

    def _signatures(self) -> Iterator[tuple[str, tuple[int, int, int]]]:
        rows = self.conn.execute("SELECT path, size, mtime, ctime FROM files")
        for path, size, mtime, ctime in rows:
            yield path, (size, mtime, ctime)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time across processes; others wait, then see its work."""
        if self.lock_path is None:
            yield
            return
        from deeply_cli import cache  # not on the way of a read with nothing to refresh

        try:
            lock = cache.take(self.lock_path)
        except OSError as exc:
            raise DeeplyError(
                f"cannot lock the index ({exc.strerror or exc})", str(self.lock_path)
            ) from None
        with cache.held(lock):
            yield

    def _delete(self, paths: Sequence[str], touched: set[str] | None) -> None:
        """Drop these files and their turns, each kind of row in one statement for all: FTS5
        reads and writes its own bookkeeping once a statement, so a statement a file made
        deleting 1,000 files of a 100,000-page index take 1.7 s instead of 0.63 s."""
        if not paths:
            return
        import json

        chosen, listed = "path IN (SELECT value FROM json_each(?))", (json.dumps(list(paths)),)
        if touched is not None:
            rows = self.conn.execute(f"SELECT DISTINCT speaker FROM turns WHERE {chosen}", listed)
            touched.update(speaker for (speaker,) in rows)
        self.conn.execute(
            "INSERT INTO turns_fts(turns_fts, rowid, paragraphs) "
            f"SELECT 'delete', id, coalesce(folded, paragraphs) FROM turns WHERE {chosen}",
            listed,
        )
        self.conn.execute(f"DELETE FROM turns WHERE {chosen}", listed)
        self.conn.execute(f"DELETE FROM files WHERE {chosen}", listed)

    def _index(
        self, todo: list[str], progress: ProgressFactory | None, touched: set[str] | None
    ) -> None:
        """Parse and store in batches; each batch is one transaction, so a killed run keeps
        every batch it committed and the next run carries on from there."""
        if not todo:
            return
        bar = progress(len(todo)) if progress else contextlib.nullcontext(None)
        with bar as meter:
            batch: list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = []
            # Closed at once on any exit (Ctrl-C too), which stops the parsing workers: left
            # to the garbage collector, they could outlive the interpreter's exit handlers.
            rows = contextlib.closing(parsed_rows(self.root, self.config, todo))
            with rows as parsed_files:
                for parsed in parsed_files:
                    batch.append(parsed)
                    if touched is not None:
                        touched.update(turn[3] for turn in parsed[1])  # each turn's speaker
                    if meter is not None:
                        meter.advance()
                    if len(batch) >= BATCH:
                        self._store(batch)
                        batch = []
            self._store(batch)

    def _store(self, batch: list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]) -> None:
        with self.conn:
            self.conn.execute("BEGIN")
            last = self.conn.execute("SELECT coalesce(max(id), 0) FROM turns").fetchone()[0]
            self.conn.executemany(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL)",
                (row for row, _ in batch),
            )
            self.conn.executemany(
                "INSERT INTO turns(path, exchange, position, speaker, label, is_question, question,"
                " asker, paragraphs, role, line, paragraph, words, folded)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (turn for _, turns in batch for turn in turns),
            )
            self.conn.execute(
                "INSERT INTO turns_fts(rowid, paragraphs) SELECT id, coalesce(folded, paragraphs)"
                " FROM turns WHERE id > ?",
                (last,),
            )

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- what the index knows ------------------------------------------------------------------
    def stored_problems(self) -> list[Problem]:
        rows = self.conn.execute(
            "SELECT path, problem, problem_line, fatal FROM files"
            " WHERE problem IS NOT NULL ORDER BY path"
        )
        return [Problem(path, msg, line, bool(fatal)) for path, msg, line, fatal in rows]

    def held_slugs(self) -> dict[str, str]:
        """The slug each article was given so far: it keeps it when a file that wants the
        same one is added, changed or sorts before it."""
        rows = self.conn.execute(
            "SELECT path, final_slug FROM files WHERE fatal = 0 AND final_slug IS NOT NULL"
        )
        return dict(rows.fetchall())

    def _kept_slugs(self) -> dict[str, str]:
        import json

        kept = self._meta("kept_slugs")
        return json.loads(kept) if kept else {}

    def _summarize(self, touched: set[str] | None, held: dict[str, str]) -> None:
        """What every read needs and a query over all turns would recompute: distinct slugs,
        and the answers, articles and words of each speaker in `touched` (None: of all)."""
        rows = self.conn.execute(
            "SELECT path, slug, final_slug FROM files WHERE fatal = 0"
        ).fetchall()
        slugs, _ = archive.distinct_slugs([(path, slug) for path, slug, _ in rows], held)
        self.conn.executemany(
            "UPDATE files SET final_slug = ? WHERE path = ?",
            [(slugs[path], path) for path, _, final in rows if slugs[path] != final],
        )
        self._set_meta("articles", str(len(rows)))
        figures = (  # all from the covering index turns_speaker, never the turns themselves
            "INSERT INTO speakers SELECT speaker, count(*), count(DISTINCT path), sum(words),"
            " (SELECT group_concat(role, char(31)) FROM (SELECT DISTINCT role FROM turns r"
            "  WHERE r.speaker = t.speaker AND r.is_question = 0 AND r.role IS NOT NULL"
            "  ORDER BY role)), fold(speaker),"
            " (SELECT group_concat(label, char(31)) FROM (SELECT DISTINCT label FROM turns r"
            "  WHERE r.speaker = t.speaker AND r.is_question = 0 AND r.label IS NOT NULL))"
            " FROM turns t WHERE is_question = 0 {} GROUP BY speaker"
        )
        if touched is None:
            self.conn.execute("DELETE FROM speakers")
            self.conn.execute(figures.format(""))
            return
        for name in touched:
            self.conn.execute("DELETE FROM speakers WHERE name = ?", (name,))
            self.conn.execute(figures.format("AND speaker = ?"), (name,))

    def parse_config(self) -> ParseConfig:
        """What articles are parsed with: deeply.yaml's settings, or the defaults."""
        return self.config or archive.load_config(self.root)[0]

    def aliases(self) -> Mapping[str, str]:
        """deeply.yaml's speaker aliases; without the file there are none, and the parser's
        rules need not be loaded (hundredths of a second) to say so."""
        return self.config.aliases if self.config else {}

    def slugs(self) -> dict[str, str]:
        """path -> slug, distinct and stable (the same rule as parsing the folder)."""
        if self._slugs is None:
            self._slugs = self.held_slugs()
        return self._slugs

    def path_of(self, slug_query: str) -> tuple[str, str]:
        """(slug, path) of the article a slug or a unique prefix names, looked up in the
        slug index; only a miss reads every slug, to explain itself."""
        from deeply_cli.query import find_slug

        wanted = slug_query.strip().lower()
        bound = _after_prefix(wanted)
        if bound is not None:
            rows = self.conn.execute(
                "SELECT final_slug, path FROM files WHERE fatal = 0 AND final_slug = ?"
                " UNION ALL SELECT * FROM (SELECT final_slug, path FROM files WHERE fatal = 0"
                " AND final_slug > ? AND final_slug < ? ORDER BY final_slug LIMIT 2)",
                (wanted, wanted, bound),
            ).fetchall()
            if len(rows) == 1 or (rows and rows[0][0] == wanted):
                return rows[0]
        by_slug = {slug: path for path, slug in self.slugs().items()}
        slug = find_slug(list(by_slug), slug_query)  # raises: ambiguous or unknown
        return slug, by_slug[slug]

    def slug_problems(self) -> list[Problem]:
        rows = self.conn.execute(
            "SELECT path, slug, final_slug FROM files WHERE fatal = 0 AND final_slug != slug"
        )
        return [
            Problem(path, f"slug '{slug}' is taken; using '{final}'", fatal=False)
            for path, slug, final in rows
        ]

    def article_count(self) -> int:
        return int(self._meta("articles") or 0)


# -- opening -----------------------------------------------------------------------------------
_DAMAGE = (
    "malformed",
    "not a database",
    "vtable constructor failed",
    "corrupt",
    "no such table",  # a table gone, or a schema of another deeply under the same version
    "no such column",
    "fts5 file format",  # the full-text index's own version: another SQLite's, or damage
    "missing row",  # the full-text index holds a turn the turns table does not
)


def damaged(exc: Exception) -> bool:
    """Whether SQLite says the index file is damaged, which a rebuild mends (a busy or
    full disk is another matter)."""
    return isinstance(exc, sqlite3.DatabaseError) and any(word in str(exc) for word in _DAMAGE)


# The cache folder's disk, not the index, is at fault: the command works from memory.
_UNUSABLE = ("disk is full", "disk I/O error", "unable to open", "readonly database", "locked")


def unusable(exc: Exception) -> bool:
    """Whether SQLite says the cache cannot be written now (a full disk or quota, a failing
    or read-only disk, a lock never released): no rebuild mends that."""
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc) for w in _UNUSABLE)


def in_memory(root: Path, index: Index, reason: str) -> Index:
    """The same archive's index, in memory: for when the cache cannot take the refresh. The
    slugs the cache gave out so far, if it can still be read, are kept: an article whose
    namesake was added later must not take its slug because the disk is full."""
    held: dict[str, str] = {}
    with contextlib.suppress(sqlite3.Error):
        held = {**index._kept_slugs(), **index.held_slugs()}
    with contextlib.suppress(sqlite3.Error):
        index.conn.close()
    where = index.db_path.parent if index.db_path else Path("cache")
    problems = [*index.problems, _unusable_cache(where, reason)]
    conn = _memory(root)
    _keep_slugs(conn, held)
    return Index(root, conn, index.config, index.config_key, None, None, problems, 0)


def _unusable_cache(folder: Path, reason: str) -> Problem:
    return Problem(str(folder), f"cache unusable ({reason}); working without it", fatal=False)


def _memory(root: Path) -> sqlite3.Connection:
    conn = _connect(":memory:")
    _create(conn, root)
    return conn


def cache_dir(env: Mapping[str, str]) -> Path:
    """$DEEPLY_CACHE_DIR, else $XDG_CACHE_HOME/deeply, else ~/.cache/deeply. A relative
    XDG_CACHE_HOME or home is ignored, as the XDG rules say: it would put the cache in
    whatever folder deeply runs in, perhaps the archive. OSError when there is no home."""
    if env.get("DEEPLY_CACHE_DIR", "").strip():  # blank is unset; relative is from here
        return Path(env["DEEPLY_CACHE_DIR"]).absolute()  # held as a whole path
    xdg = env.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "deeply"
    try:
        home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    except (RuntimeError, KeyError):  # no $HOME and no entry for this user
        home = Path()
    if not home.is_absolute():
        raise OSError(errno.ENOENT, "no home folder to keep it in; set DEEPLY_CACHE_DIR")
    return home / ".cache" / "deeply"


def open_index(root: Path, env: Mapping[str, str], *, fresh: bool = False) -> Index:
    """The archive's index in the cache; in memory (with a warning) if the cache is unusable."""
    data = archive.config_bytes(root)  # read once: for the settings, and for the key
    there = data is not None or (root / archive.CONFIG_NAME).exists()
    config, problem = archive.read_config(root, data) if there else (None, None)
    config_key = hashlib.sha256(data or b"").hexdigest()[:16]
    problems = [problem] if problem else []
    key = hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
    folder = Path("~/.cache/deeply")  # named in the warning when there is no home
    try:
        folder = cache_dir(env)
        folder.mkdir(parents=True, exist_ok=True)
        db_path, lock_path = folder / f"{key}.sqlite", folder / f"{key}.lock"
        lock_path.touch(exist_ok=True)
        conn = _open_file(db_path, lock_path, root, fresh)
    except InTheWay as exc:
        problems.append(Problem(exc.filename, str(exc), fatal=False))
        conn, db_path, lock_path = _memory(root), None, None
    except (OSError, sqlite3.OperationalError) as exc:
        problems.append(_unusable_cache(folder, getattr(exc, "strerror", None) or str(exc)))
        conn, db_path, lock_path = _memory(root), None, None
    inode = os.stat(db_path).st_ino if db_path else 0
    return Index(root, conn, config, config_key, db_path, lock_path, problems, inode)


def _connect(target: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=60, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 60000")
    conn.execute("PRAGMA synchronous = NORMAL")  # a cache: safe in WAL mode, and much faster
    conn.create_function("fold", 1, lambda s: fold(s) if s else s, deterministic=True)
    return conn


def _open_file(db_path: Path, lock_path: Path, root: Path, fresh: bool) -> sqlite3.Connection:
    """Open and validate; a corrupt, foreign or old index is replaced, under the writer's lock."""
    conn = None if fresh else _open_valid(db_path, root)
    if conn is not None:
        return conn
    from deeply_cli import cache

    with cache.held(cache.take(lock_path)):
        conn = None if fresh else _open_valid(db_path, root)
        return conn or _recreate(db_path, root)  # another process may have rebuilt it


def _open_valid(db_path: Path, root: Path) -> sqlite3.Connection | None:
    try:
        conn = _connect(db_path)
        if _valid(conn, root):
            return conn
        conn.close()
    except sqlite3.DatabaseError:
        pass
    return None


def _recreate(db_path: Path, root: Path) -> sqlite3.Connection:
    """A new, empty index in place of whatever was there, and those of archives gone long
    ago removed (`cache.sweep`). Call with the writer's lock held.
    The slugs of articles that share one with another are carried over: they must not
    change under the user because the index was rebuilt (`--rebuild`, a new deeply)."""
    from deeply_cli import cache

    kept = _shared_slugs(db_path)
    for suffix in ("", "-wal", "-shm", "-journal"):
        _remove(f"{db_path}{suffix}")
    with contextlib.suppress(OSError, sqlite3.Error):  # tidying up must not stop the command
        cache.sweep(db_path.parent, db_path.stem)
    conn = _connect(db_path)
    conn.execute(f"PRAGMA page_size = {PAGE_BYTES}")  # before any table: turns hold ~1 KB texts
    conn.execute("PRAGMA journal_mode = WAL")
    _create(conn, root)
    _keep_slugs(conn, kept)
    return conn


def _keep_slugs(conn: sqlite3.Connection, kept: dict[str, str]) -> None:
    """Hold `kept` (path -> slug) in a new index for its first refresh to give out again
    (`Index._kept_slugs`)."""
    if kept:
        import json

        with conn:
            conn.execute("INSERT INTO meta VALUES ('kept_slugs', ?)", (json.dumps(kept),))


class InTheWay(OSError):
    """A folder with something in it where an index file goes: not deeply's to remove."""

    def __init__(self, path: str) -> None:
        super().__init__(
            errno.EISDIR,
            "a folder that is not empty has the index file's name; working without the"
            " cache (move or remove that folder)",
            path,
        )

    def __str__(self) -> str:
        return str(self.strerror)


def _remove(path: str) -> None:
    """Remove an index file of the cache folder, if there is one. A folder of its name is
    removed only when it is empty (nothing is lost, and `rmdir` refuses one that is not);
    one with anything in it may be someone's data, and raises InTheWay."""
    try:
        os.unlink(path)
        return
    except FileNotFoundError:
        return
    except OSError as exc:
        if exc.errno not in (errno.EISDIR, errno.EPERM, errno.EACCES) or not os.path.isdir(path):
            raise
        if os.path.islink(path):
            raise
    try:
        os.rmdir(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise InTheWay(path) from None
        raise


def _shared_slugs(db_path: Path) -> dict[str, str]:
    """path -> slug of the articles an old index gave a slug some other article wants too
    (the others get the numbered ones); none when it cannot be read."""
    if not db_path.exists():
        return {}
    try:
        old = sqlite3.connect(db_path)
        try:
            rows = old.execute(
                "SELECT path, final_slug FROM files WHERE fatal = 0 AND final_slug IS NOT NULL"
                " AND slug IN (SELECT slug FROM files WHERE fatal = 0 AND final_slug != slug)"
            )
            return dict(rows.fetchall())
        finally:
            old.close()
    except sqlite3.Error:
        return {}


def _valid(conn: sqlite3.Connection, root: Path) -> bool:
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        return False
    row = conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
    return bool(row) and row[0] == _root_text(root)


def _root_text(root: Path) -> str:
    """The archive's path as text SQLite can hold: a folder name need not be UTF-8."""
    return os.fsencode(root).decode("utf-8", "backslashreplace")


def _create(conn: sqlite3.Connection, root: Path) -> None:
    indexes = "".join(f"CREATE INDEX {name} ON {on};\n" for name, on in _TURN_INDEXES.items())
    try:
        conn.executescript("BEGIN;" + _SCHEMA + indexes + "COMMIT;")
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):
            raise DeeplyError(
                "this Python's SQLite has no FTS5; install a Python built with a full SQLite"
            ) from None
        raise
    with conn:
        # Merge full-text segments 16 at a time rather than 4: a build does a sixth less work
        # in the one process that writes, and a query reads at most a few more segments.
        conn.execute("INSERT INTO turns_fts(turns_fts, rank) VALUES ('automerge', 16)")
        conn.execute("INSERT INTO meta VALUES ('root', ?)", (_root_text(root),))
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _after_prefix(prefix: str) -> str | None:
    """The least string above every string that starts with `prefix`, in SQLite's binary
    order (code point order); None when there is no such bound to write."""
    if not prefix or prefix[-1] == chr(0x10FFFF):
        return None
    following = ord(prefix[-1]) + 1
    return prefix[:-1] + chr(0xE000 if 0xD800 <= following <= 0xDFFF else following)
