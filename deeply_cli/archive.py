"""Folder -> articles: find the archive, read and parse its files, collect per-file problems."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from deeply_cli.errors import DeeplyError, UsageError
from deeply_cli.model import Article
from deeply_cli.parser import DEFAULT_CONFIG, ParseConfig, parse
from deeply_cli.text import fold, slugify

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


def article_files(root: Path) -> Iterator[tuple[str, Path | Problem]]:
    """Article files under root, sorted; hidden folders, backups and outside links are skipped."""
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if (
                name.startswith(".")
                or name.endswith("~")
                or not name.lower().endswith(ARTICLE_SUFFIXES)
            ):
                continue
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink() and not _inside(path, real_root):
                yield rel, Problem(rel, "symbolic link to a file outside the archive; skipped")
                continue
            yield rel, path


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
    text, warning = read_article_text(path, rel)
    try:
        return parse(text, config), warning
    except DeeplyError as exc:
        raise DeeplyError(exc.message, rel, exc.line) from None


def load(root: Path) -> Loaded:
    """Parse every article; a broken file becomes a Problem and the rest still load."""
    config, problem = load_config(root)
    problems = [problem] if problem else []
    parsed: list[tuple[str, Article]] = []
    for rel, found in article_files(root):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        try:
            article, warning = parse_file(found, rel, config)
        except DeeplyError as exc:
            problems.append(Problem(rel, exc.message, exc.line))
            continue
        except Exception as exc:  # a parser bug must not take the rest of the archive down
            problems.append(Problem(rel, f"could not be parsed (a bug in deeply: {exc!r})"))
            continue
        if warning:
            problems.append(warning)
        parsed.append((rel, article))
    entries, duplicates = assign_slugs(parsed)
    return Loaded(root, entries, tuple(problems + duplicates))


def base_slug(rel: str, article: Article) -> str:
    return article.slug or slugify(article.title or "") or slugify(Path(rel).stem) or "article"


def assign_slugs(parsed: list[tuple[str, Article]]) -> tuple[tuple[Entry, ...], list[Problem]]:
    """Stable, distinct slugs: in path order, a repeated slug gets -2, -3, …"""
    taken: set[str] = set()
    entries, problems = [], []
    for rel, article in sorted(parsed, key=lambda item: item[0]):
        slug = wanted = base_slug(rel, article)
        n = 1
        while slug in taken:
            n += 1
            slug = f"{wanted}-{n}"
        if slug != wanted:
            problems.append(Problem(rel, f"slug '{wanted}' is taken; using '{slug}'", fatal=False))
        taken.add(slug)
        entries.append(Entry(slug, rel, article))
    return tuple(entries), problems
