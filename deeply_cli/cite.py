"""Citations ready to paste: the verbatim words, then who said them, where and when."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from deeply_cli.query import Quote
from deeply_cli.text import csv_table, markdown_text

FORMATS = ("text", "md", "csv", "json")
CSV_COLUMNS = (
    "quote", "speaker", "role", "question", "title", "slug", "publication", "authors",
    "published", "url", "paragraph",
)  # fmt: skip
NO_DATE = "n.d."


def fields(q: Quote) -> dict[str, Any]:
    """Every citation field; a missing date is "n.d.", other missing fields are empty."""
    return {
        "quote": "\n\n".join(q.paragraphs),
        "speaker": q.speaker,
        "role": q.role or "",
        "question": q.question or "",
        "title": q.title or q.slug,
        "slug": q.slug,
        "publication": q.publication or "",
        "authors": ", ".join(q.authors),
        "published": q.published or NO_DATE,
        "url": q.url or "",
        "paragraph": q.paragraph,
    }


def _source(f: dict[str, Any], title: str) -> list[str]:
    parts = [title, f["publication"], f"by {f['authors']}" if f["authors"] else "", f["published"]]
    parts.append(f"paragraph {f['paragraph']}")
    if f["url"]:
        parts.append(f["url"])
    return [p for p in parts if p]


def as_text(q: Quote) -> str:
    f = fields(q)
    who = f"{f['speaker']}, {f['role']}" if f["role"] else f["speaker"]
    source = ", ".join(_source(f, f"“{f['title']}”"))
    return f"“{f['quote']}”\n— {who}. {source}."


def as_markdown(q: Quote) -> str:
    """The article's words are text, never markup: each is escaped for Markdown."""
    f = {k: markdown_text(v) if isinstance(v, str) else v for k, v in fields(q).items()}
    quoted = "\n>\n".join(f"> {markdown_text(p)}" for p in q.paragraphs)
    who = f"**{f['speaker']}**" + (f", {f['role']}" if f["role"] else "")
    source = ", ".join(_source(f, f"*{f['title']}*"))
    return f"{quoted}\n\n— {who}. {source}."


def as_csv(quotes: Sequence[Quote]) -> str:
    return csv_table(CSV_COLUMNS, (fields(q) for q in quotes))


def render(quotes: Sequence[Quote], fmt: str) -> str:
    """Citations as text, Markdown or CSV (JSON goes through the JSON writer)."""
    if fmt == "csv":
        return as_csv(quotes)
    one = as_markdown if fmt == "md" else as_text
    return "\n\n".join(one(q) for q in quotes) + "\n"
