"""Folder -> articles: find the archive, read and parse its files, collect per-file problems."""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deeply_cli.errors import DeeplyError, Problem
from deeply_cli.model import Article
from deeply_cli.scan import scan
from deeply_cli.text import fold, slugify

if TYPE_CHECKING:
    from collections.abc import Mapping

    from deeply_cli.parser import ParseConfig

MAX_BYTES = 10 * 1024 * 1024
CONFIG_NAME = "deeply.yaml"
CONFIG_CHARS = 4 * 1024 * 1024  # a config longer than this is ignored, with a warning


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
    """Read a file's bytes and decode them (see `decode`)."""
    try:
        # Opened without blocking and checked before it is read: `deeply import` of a named
        # pipe would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise DeeplyError("not a regular file; skipped", rel)
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DeeplyError(f"cannot read file ({exc.strerror or exc})", rel) from None
    if len(data) > MAX_BYTES:
        raise DeeplyError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB; skipped", rel)
    if b"\x00" in data:
        decoded = _utf16(data)
        if decoded is None:
            return _with_stray_nuls(data, rel)
        text, encoding = decoded
        if "\ufffd" not in text:
            return text, None
        kept = data.decode(encoding, "ignore")
        if (bad := text.count("\ufffd") - kept.count("\ufffd")) > 0:
            # A file cut short (an odd byte at its end), or a lone half of a surrogate pair:
            # its text is kept, and only what is not UTF-16 is lost, with a warning.
            line = text.count("\n", 0, _first_replaced(text, kept)) + 1
            message = f"not all valid {encoding}: read as U+FFFD in {bad} place(s)"
            return text, Problem(rel, message, line, fatal=False)
        return text, None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        text, message, line = decode(data)
        return text, Problem(rel, message, line, fatal=False)


_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # but NUL, tab, line ends


def _with_stray_nuls(data: bytes, rel: str) -> tuple[str, Problem]:
    """A UTF-8 page with a few NUL bytes in it (a copy or a tool gone wrong): its text without
    them, and a warning at the first. Anything else that holds NULs (an image, a PDF, an
    archive: many NULs, other control bytes, or bytes that are not UTF-8) is binary: skipped."""
    count = data.count(0)
    try:
        text = data.decode("utf-8-sig") if count <= 3 + len(data) // 4096 else None
    except UnicodeDecodeError:
        text = None
    if text is None or len(_CONTROL.findall(text)) > len(text) // 100 or not _WORDS.search(text):
        raise DeeplyError("binary file (NUL bytes); skipped", rel)
    line = _line_at(text, text.index("\x00"))
    if count == 1:
        return text.replace("\x00", ""), Problem(rel, "1 NUL byte; dropped", line, fatal=False)
    message = f"{count} NUL bytes (the first here); dropped"
    return text.replace("\x00", ""), Problem(rel, message, line, fatal=False)


_WORDS = re.compile(r"[^\W_]")


def _first_replaced(text: str, kept: str) -> int:
    """Where the first character that is not valid was replaced in `text` (`kept`: the same
    bytes decoded with what is not valid left out)."""
    return next((i for i, (a, b) in enumerate(zip(text, kept, strict=False)) if a != b), len(kept))


def _bom_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16, told by the byte order mark Windows tools write; else None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    return "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else None


def _utf16(data: bytes) -> tuple[str, str] | None:
    """Text saved as UTF-16 or UTF-32 (as Windows tools do), told by its byte order mark, or
    by a NUL in every other byte of ordinary text; None for anything else that holds NULs.
    With a byte order mark, what is not valid (a last byte cut off) becomes U+FFFD."""
    if bom := _bom_encoding(data):
        encoding = bom
    elif len(data) >= 2 and data[1::2].count(0) > len(data) // 4 and not data[0::2].count(0):
        encoding = "utf-16-le"
    elif len(data) >= 2 and data[0::2].count(0) > len(data) // 4 and not data[1::2].count(0):
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding, "replace" if bom else "strict")
    except UnicodeDecodeError:
        return None
    # Text, not bytes that happen to fit: hardly a control character but line breaks and tabs.
    controls = sum(1 for c in text if not c.isprintable() and c not in "\n\r\t\ufeff")
    return (text, encoding.upper()) if text and controls <= len(text) // 100 else None


# Each byte that is not UTF-8 is read alone as cp1252 (Windows text pasted into a UTF-8 page);
# the five bytes cp1252 leaves undefined become U+FFFD. Keyed by the lone surrogate that
# `surrogateescape` puts in the byte's place.
_STRAY = {0xDC00 + b: bytes([b]).decode("cp1252", "replace") for b in range(0x80, 0x100)}
_ESCAPED = re.compile("[\udc80-\udcff]")
_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")


def decode(data: bytes) -> tuple[str, str, int]:
    """Text that is not all UTF-8: (text, warning, line of the first bad byte).

    One valid multi-byte sequence shows the file is UTF-8, and only its bad bytes are read as
    cp1252; with none, the whole file is cp1252, or Latin-1 where cp1252 has no character.
    """
    escaped = data.decode("utf-8", "surrogateescape")
    bad = _ESCAPED.search(escaped)
    assert bad is not None, "called only when strict UTF-8 decoding failed"
    line = _line_at(escaped, bad.start())
    if _MULTIBYTE.search(escaped):
        count = len(_ESCAPED.findall(escaped))
        text = escaped.removeprefix("\ufeff").translate(_STRAY)
        if count == 1:
            return text, "1 byte is not UTF-8; read as cp1252", line
        return text, f"{count} bytes are not UTF-8 (the first here); read as cp1252", line
    try:
        return data.decode("cp1252"), "not UTF-8; read as cp1252", line
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not UTF-8; read as latin-1", line


def _line_at(text: str, index: int) -> int:
    """1-based line of `text[index]`, counting CRLF, CR and LF endings as the parser does."""
    head = text[:index]
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def load_config(root: Path) -> tuple[ParseConfig, Problem | None]:
    """Archive-wide `deeply.yaml`: interviewer labels, boilerplate paragraphs, speaker aliases.
    Any problem ignores the whole file, with one line naming the key and what it must be."""
    return read_config(root, config_bytes(root))


def read_config(root: Path, data: bytes | None) -> tuple[ParseConfig, Problem | None]:
    """`load_config` from the file's start as `config_bytes` read it."""
    from deeply_cli.parser import DEFAULT_CONFIG, ParseConfig
    from deeply_cli.yamlmap import YamlError, read_mapping

    try:
        if data is None:
            if os.path.isfile(root / CONFIG_NAME) and _leads_outside(root):
                return DEFAULT_CONFIG, Problem(CONFIG_NAME, f"ignored: {_OUTSIDE}")
            if os.path.exists(root / CONFIG_NAME):
                return DEFAULT_CONFIG, Problem(CONFIG_NAME, "ignored: not a regular file")
            return DEFAULT_CONFIG, None
        too_long = Problem(CONFIG_NAME, f"ignored: longer than {CONFIG_CHARS:,} characters")
        if len(data) > 4 * CONFIG_CHARS:
            return DEFAULT_CONFIG, too_long
        text = codecs.getincrementaldecoder(_bom_encoding(data) or "utf-8-sig")().decode(data)
        if len(text) > CONFIG_CHARS:
            return DEFAULT_CONFIG, too_long
        fields = {key: (value, line) for key, value, line in read_mapping(text)}
        config = ParseConfig(
            interviewer_labels=frozenset(map(fold, _config_texts(fields, "interviewer_labels"))),
            boilerplate=frozenset(
                " ".join(x.split()) for x in _config_texts(fields, "boilerplate")
            ),
            aliases=_config_aliases(fields),
        )
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8
        return DEFAULT_CONFIG, Problem(CONFIG_NAME, f"ignored: {exc}")
    except YamlError as exc:
        return DEFAULT_CONFIG, Problem(CONFIG_NAME, f"ignored: {exc.message}", exc.line)
    unknown = [(key, line) for key, (_, line) in fields.items() if key not in _CONFIG_KEYS]
    if unknown:  # a misspelt key would otherwise do nothing, silently
        key, line = unknown[0]
        known = ", ".join(_CONFIG_KEYS)
        return config, Problem(CONFIG_NAME, f"unknown key '{key}' (known: {known})", line, False)
    return config, None


_CONFIG_KEYS = ("interviewer_labels", "boilerplate", "aliases")


_OUTSIDE = "symbolic link to outside the archive"


def _leads_outside(root: Path) -> bool:
    """Whether deeply.yaml is a link to a file outside the archive, which is not read: as
    with articles, nothing outside the archive is (one lstat when it is no link)."""
    path = root / CONFIG_NAME
    if not os.path.islink(path):
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a dangling link or a loop: not a file to read anyway
        return False


def config_bytes(root: Path) -> bytes | None:
    """The start of `deeply.yaml`, or None where there is no such regular file in the archive.

    Opened without blocking and checked before it is read: a named pipe would wait for a
    writer forever, and a link to a device could be read without end.
    """
    try:
        fd = os.open(root / CONFIG_NAME, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or _leads_outside(root):
            return None
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read(4 * CONFIG_CHARS + 1)  # a UTF-8 character is at most 4 bytes
    finally:
        os.close(fd)


def _config_texts(fields: dict[str, tuple[Any, int]], key: str) -> list[str]:
    from deeply_cli.yamlmap import YamlError, as_text, is_text

    value, line = fields.get(key, (None, 0))
    if value is None:
        return []
    if not isinstance(value, list) or not all(is_text(x) for x in value):
        raise YamlError(f"'{key}' must be a list of text", line)
    return [as_text(x) for x in value]


def _config_aliases(fields: dict[str, tuple[Any, int]]) -> dict[str, str]:
    """`aliases: {Full Name: [Label, …]}`; one label may stand alone."""
    from deeply_cli.yamlmap import YamlError, as_text, is_text

    value, line = fields.get("aliases", (None, 0))
    if value is None:
        return {}
    expected = "'aliases' must map each name to a list of labels"
    if not isinstance(value, dict):
        raise YamlError(expected, line)
    aliases = {}
    for name, labels in value.items():
        if not is_text(name):
            raise YamlError(expected, line)
        labels = [labels] if is_text(labels) else labels or []
        if not isinstance(labels, list) or not all(map(is_text, labels)):
            raise YamlError(f"'aliases' of '{name}' must be a list of labels", line)
        full = as_text(name)
        for label in labels:
            other = aliases.setdefault(fold(as_text(label)), full)
            if other != full:
                raise YamlError(
                    f"alias '{as_text(label)}' is given to both {other} and {full}", line
                )
    return aliases


def parse_file(path: Path, rel: str, config: ParseConfig) -> tuple[Article, Problem | None]:
    """Read and parse one file; a DeeplyError names the file and line."""
    from deeply_cli.parser import parse

    text, warning = read_article_text(path, rel)
    try:
        return parse(text, config), warning
    except DeeplyError as exc:
        raise DeeplyError(exc.message, rel, exc.line) from None


def load(root: Path, held: Mapping[str, str] | None = None) -> Loaded:
    """Parse every article; a broken file becomes a Problem and the rest still load. `held`:
    the slugs the index gave so far, which their articles keep."""
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
    slugs, duplicates = distinct_slugs([(rel, base_slug(rel, a)) for rel, a in parsed], held)
    entries = tuple(Entry(slugs[rel], rel, article) for rel, article in parsed)
    return Loaded(root, entries, tuple(problems + duplicates))


def base_slug(rel: str, article: Article) -> str:
    return article.slug or slugify(article.title or "") or slugify(Path(rel).stem) or "article"


def distinct_slugs(
    wanted: list[tuple[str, str]], held: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[Problem]]:
    """Stable, distinct slugs. Each slug wanted goes to the file that `held` it (the slugs
    given before, by the index) if it still wants it, else to the first file (in path order)
    that wants it, whether declared or made from a title: an article added later never takes
    the slug of one the user has already seen. The other files that want it get -2, -3, …
    (the number they had, if still free), skipping every slug some file wants as it is."""
    held = held or {}
    owner: dict[str, str] = {}
    for rel, base in wanted:
        if held.get(rel) == base:
            owner[base] = rel
    for rel, base in sorted(wanted):
        owner.setdefault(base, rel)
    taken = set(owner)
    slugs: dict[str, str] = {}
    for rel, base in wanted:  # numbered slugs given before, and still free, stay
        previous = held.get(rel)
        if previous and owner[base] != rel and _numbered(previous, base) and previous not in taken:
            slugs[rel] = previous
            taken.add(previous)
    problems = []
    tried: dict[str, int] = {}  # per slug wanted, the last number given: those below are taken
    for rel, base in sorted(wanted):
        slug = base
        if owner[base] != rel:
            slug = slugs.get(rel, slug)
            if rel not in slugs:  # linear, not quadratic, in the files that share one slug
                n = tried.get(base, 1)
                while slug in taken:
                    n += 1
                    slug = f"{base}-{n}"
                tried[base] = n
            taken.add(slug)
            problems.append(Problem(rel, f"slug '{base}' is taken; using '{slug}'", fatal=False))
        slugs[rel] = slug
    return slugs, problems


def _numbered(slug: str, base: str) -> bool:
    return slug.startswith(base + "-") and slug[len(base) + 1 :].isdigit()
