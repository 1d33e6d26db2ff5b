"""Folder -> articles: find the archive, read and parse its files, collect per-file problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deeply_cli.errors import DeeplyError, Problem
from deeply_cli.model import Article
from deeply_cli.scan import scan
from deeply_cli.text import fold, slugify

if TYPE_CHECKING:
    from deeply_cli.parser import ParseConfig

MAX_BYTES = 10 * 1024 * 1024
CONFIG_NAME = "deeply.yaml"


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
    problems = ([problem] if problem else []) + list(found.problems)
    parsed: list[tuple[str, Article]] = []
    for rel in sorted(found.files()):
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
    """Stable, distinct slugs. Each slug wanted goes to the first file (in path order) that
    wants it, whether declared or made from a title; the other files that want it get -2,
    -3, …, skipping every slug some file wants as it is."""
    owner: dict[str, str] = {}
    for rel, base in sorted(wanted):
        owner.setdefault(base, rel)
    taken = set(owner)
    slugs: dict[str, str] = {}
    problems = []
    for rel, base in sorted(wanted):
        slug, n = base, 1
        if owner[base] != rel:
            while slug in taken:
                n += 1
                slug = f"{base}-{n}"
            taken.add(slug)
            problems.append(Problem(rel, f"slug '{base}' is taken; using '{slug}'", fatal=False))
        slugs[rel] = slug
    return slugs, problems
