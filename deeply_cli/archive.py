"""Folder -> articles: find the archive, read and parse its files, collect per-file problems."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deeply_cli.errors import DeeplyError, UsageError
from deeply_cli.model import Article
from deeply_cli.text import fold, slugify

if TYPE_CHECKING:
    from deeply_cli.parser import ParseConfig

ARTICLE_SUFFIXES = (".txt", ".md")
MAX_BYTES = 10 * 1024 * 1024
CONFIG_NAME = "deeply.yaml"
HOW_TO_POINT = (
    "pass --archive DIR, set DEEPLY_ARCHIVE, or run deeply inside a folder with articles/"
)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str
    line: int | None = None
    fatal: bool = True  # the file was skipped; otherwise it was read with a warning

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Entry:
    slug: str
    path: str  # relative to the archive, with forward slashes
    article: Article


@dataclass(frozen=True, slots=True)
class Loaded:
    root: Path
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]


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
    """The article files under an archive, with what tells whether they changed."""

    files: dict[str, tuple[int, int]]  # relative path -> (size, mtime in ns), in folder order
    problems: list[Problem]

    @property
    def digest(self) -> str:
        """Changes whenever a file is added, removed, renamed, resized or touched."""
        listing = "\n".join(f"{rel}\t{size}\t{mtime}" for rel, (size, mtime) in self.files.items())
        return hashlib.blake2b(
            listing.encode("utf-8", "surrogateescape"), digest_size=16
        ).hexdigest()


_PREFETCH: dict[Path, tuple[int, int]] = {}  # archive root -> (child pid, read end of a pipe)


def prefetch_scan(root: Path) -> None:
    """Scan `root` in a forked child; the next `scan(root)` in this process reads its answer."""
    import pickle

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
    """Article files under root (from the launch-time child if there is one)."""
    if root in _PREFETCH:
        import pickle

        pid, read_end = _PREFETCH.pop(root)
        try:
            with os.fdopen(read_end, "rb") as pipe:
                found = pickle.load(pipe)
            os.waitpid(pid, 0)
            if isinstance(found, Scan):
                return found
        except (OSError, EOFError, pickle.UnpicklingError):
            pass  # the child failed: scan here
    return _scan(root)


def _scan(root: Path) -> Scan:
    """Article files under root; hidden entries, backups and links leading outside are skipped."""
    real_root = root.resolve()
    files: dict[str, tuple[int, int]] = {}
    problems: list[Problem] = []
    pending = [(root, "")]
    while pending:
        folder_files, folders, folder_problems = _scan_folder(*pending.pop(), real_root)
        files.update(folder_files)
        pending += folders
        problems += folder_problems
    return Scan(files, problems)


def _scan_folder(
    folder: Path, prefix: str, real_root: Path
) -> tuple[dict[str, tuple[int, int]], list[tuple[Path, str]], list[Problem]]:
    files: dict[str, tuple[int, int]] = {}
    folders: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        return files, folders, [Problem(prefix or ".", f"cannot read folder ({exc.strerror})")]
    for entry in entries:
        name = entry.name
        if name.startswith((".", "#")) or name.endswith("~"):
            continue
        rel = prefix + name
        try:
            if entry.is_dir(follow_symlinks=False):
                folders.append((Path(entry.path), rel + "/"))
                continue
            if not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            if entry.is_symlink() and not _inside(Path(entry.path), real_root):
                problems.append(Problem(rel, "symbolic link to outside the archive; skipped"))
                continue
            stat = entry.stat()
        except OSError:
            continue  # vanished while we looked: it is simply not there
        files[rel] = (stat.st_size, stat.st_mtime_ns)
    return files, folders, problems


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False


def read_article_text(path: Path, rel: str) -> tuple[str, Problem | None]:
    """Decode a file: UTF-8 (with or without BOM), else cp1252 or Latin-1 with a warning."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DeeplyError(f"cannot read file ({exc.strerror or exc})", rel) from None
    if len(data) > MAX_BYTES:
        raise DeeplyError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB; skipped", rel)
    if b"\x00" in data:
        raise DeeplyError("binary file (NUL bytes); skipped", rel)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        for encoding in ("cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return text, Problem(rel, f"not UTF-8; read as {encoding}", line, fatal=False)
    raise AssertionError("latin-1 decodes every byte")


def load_config(root: Path) -> tuple[ParseConfig, Problem | None]:
    """Archive-wide `deeply.yaml`: interviewer labels, boilerplate paragraphs, speaker aliases."""
    import yaml

    from deeply_cli.parser import DEFAULT_CONFIG, ParseConfig

    path = root / CONFIG_NAME
    if not path.is_file():
        return DEFAULT_CONFIG, None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")[:65536]) or {}
        if not isinstance(data, dict):
            raise ValueError("must be a mapping")
        aliases = {
            fold(str(alias)): str(name)
            for name, names in (data.get("aliases") or {}).items()
            for alias in ([names] if isinstance(names, str) else names or [])
        }
        return ParseConfig(
            interviewer_labels=frozenset(
                fold(str(x)) for x in data.get("interviewer_labels") or []
            ),
            boilerplate=frozenset(" ".join(str(x).split()) for x in data.get("boilerplate") or []),
            aliases=aliases,
        ), None
    except (OSError, yaml.YAMLError, ValueError, AttributeError, TypeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        detail = getattr(exc, "problem", None) or exc
        return DEFAULT_CONFIG, Problem(
            CONFIG_NAME, f"ignored: {detail}", line + 1 if line is not None else None
        )


def parse_file(path: Path, rel: str, config: ParseConfig) -> tuple[Article, Problem | None]:
    """Read and parse one file; a DeeplyError names the file and line."""
    from deeply_cli.parser import parse

    text, warning = read_article_text(path, rel)
    try:
        return parse(text, config), warning
    except DeeplyError as exc:
        raise DeeplyError(exc.message, rel, exc.line) from None


def load(root: Path) -> Loaded:
    """Parse every article; a broken file becomes a Problem and the rest still load."""
    config, problem = load_config(root)
    found = scan(root)
    problems = ([problem] if problem else []) + found.problems
    parsed: list[tuple[str, Article]] = []
    for rel in sorted(found.files):
        try:
            article, warning = parse_file(root / rel, rel, config)
        except DeeplyError as exc:
            problems.append(Problem(rel, exc.message, exc.line))
            continue
        except Exception as exc:  # a parser bug must not take the rest of the archive down
            problems.append(Problem(rel, f"could not be parsed (a bug in deeply: {exc!r})"))
            continue
        if warning:
            problems.append(warning)
        parsed.append((rel, article))
    slugs, duplicates = distinct_slugs([(rel, base_slug(rel, a)) for rel, a in parsed])
    entries = tuple(Entry(slugs[rel], rel, article) for rel, article in parsed)
    return Loaded(root, entries, tuple(problems + duplicates))


def base_slug(rel: str, article: Article) -> str:
    return article.slug or slugify(article.title or "") or slugify(Path(rel).stem) or "article"


def distinct_slugs(wanted: list[tuple[str, str]]) -> tuple[dict[str, str], list[Problem]]:
    """Stable, distinct slugs: in path order, a repeated slug gets -2, -3, …"""
    taken: set[str] = set()
    slugs: dict[str, str] = {}
    problems = []
    for rel, base in sorted(wanted):
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        if slug != base:
            problems.append(Problem(rel, f"slug '{base}' is taken; using '{slug}'", fatal=False))
        taken.add(slug)
        slugs[rel] = slug
    return slugs, problems
