"""YAML front matter: split it from the body and validate it, with a safe loader only."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from deeply_cli.errors import DeeplyError
from deeply_cli.model import Speaker
from deeply_cli.text import slugify
from deeply_cli.yamlmap import YamlError, as_text, is_text, read_mapping

MAX_FRONT_MATTER = 64 * 1024
_OPEN = re.compile(r"\A---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str | None = None
    slug: str | None = None
    dek: str | None = None
    authors: tuple[str, ...] | None = None
    published: dt.date | None = None
    read_minutes: int | None = None
    caption: str | None = None
    url: str | None = None
    publication: str | None = None
    interviewer: str | None = None
    speakers: tuple[Speaker, ...] = ()
    tags: tuple[str, ...] = ()


class FrontMatterError(DeeplyError):
    """Bad front matter; the line is 1-based within the file."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(f"front matter: {message}", line=line)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (yaml block or None, body, number of lines before the body)."""
    opening = _OPEN.match(text)
    if not opening:
        return None, text, 0
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        raise FrontMatterError("no closing '---' line", 1)
    block = text[opening.end() : closing.start()]
    body_start = closing.end() + 1
    return block, text[body_start:], text.count("\n", 0, min(body_start, len(text)))


def load_front_matter(block: str) -> FrontMatter:
    """Validate a front matter block (which starts on file line 2)."""
    if len(block) > MAX_FRONT_MATTER:
        raise FrontMatterError(f"larger than {MAX_FRONT_MATTER // 1024} KiB", 2)
    try:
        fields = {key: _check(key, value, line) for key, value, line in read_mapping(block, 2)}
    except YamlError as exc:
        raise FrontMatterError(exc.message, exc.line) from None
    return FrontMatter(**{k: v for k, v in fields.items() if k in FrontMatter.__slots__})


def _text(key: str, value: Any, line: int) -> str:
    if not is_text(value):
        raise FrontMatterError(f"'{key}' must be text", line)
    return as_text(value).strip()


def _texts(key: str, value: Any, line: int) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, list):
        raise FrontMatterError(f"'{key}' must be a list of text", line)
    return tuple(_text(key, item, line) for item in value)


def _date(key: str, value: Any, line: int) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FrontMatterError(f"'{key}' must be a date like 2016-03-08", line)


def _speakers(key: str, value: Any, line: int) -> tuple[Speaker, ...]:
    if not isinstance(value, list):
        raise FrontMatterError(f"'{key}' must be a list of speakers", line)
    speakers = []
    for item in value:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not item.get("name"):
            raise FrontMatterError("each speaker needs a 'name'", line)
        role = item.get("role")
        speakers.append(
            Speaker(
                name=_text("name", item["name"], line),
                role=_text("role", role, line) if role is not None else None,
                aliases=_texts("aliases", item.get("aliases") or [], line),
            )
        )
    return tuple(speakers)


def _check(key: str, value: Any, line: int) -> Any:
    if value is None:
        return None if key not in ("speakers", "tags") else ()
    match key:
        case "title" | "dek" | "caption" | "url" | "publication" | "interviewer":
            return _text(key, value, line) or None
        case "slug":
            slug = slugify(_text(key, value, line))
            if not slug:
                raise FrontMatterError("'slug' has no letters or digits", line)
            return slug
        case "authors":
            return _texts(key, value, line)
        case "tags":
            return _texts(key, value, line)
        case "published":
            return _date(key, value, line)
        case "read_minutes":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise FrontMatterError("'read_minutes' must be a whole number", line)
            return int(value)
        case "speakers":
            return _speakers(key, value, line)
    return value
