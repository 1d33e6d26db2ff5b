"""Plain data shapes for --json output, and JSON text safe for any terminal."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from deeply_cli.archive import Entry
from deeply_cli.catalog import Hit, SpeakerFigures, Summary
from deeply_cli.model import Article, Turn
from deeply_cli.query import Quote

if TYPE_CHECKING:
    from deeply_cli.stats import Stats
    from deeply_cli.verify import Source

# json.dumps escapes C0 controls itself; these it would leave raw with ensure_ascii=False.
_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


MARK = ("⟦", "⟧")  # snippet highlights in JSON: brackets articles do not use


def dumps(data: Any, indent: int | None = 2, *, ascii_only: bool = False) -> str:
    """JSON whose every control or direction character is escaped: safe on any terminal.
    `ascii_only` escapes everything else beyond ASCII too, for an output that cannot hold it."""
    text = json.dumps(data, ensure_ascii=ascii_only, indent=indent)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def dumps_line(data: Any, *, ascii_only: bool = False) -> str:
    """One JSON value on one line (JSON Lines)."""
    return dumps(data, indent=None, ascii_only=ascii_only)


def turn(t: Turn | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "speaker": t.speaker,
        "label": t.label,
        "paragraphs": list(t.paragraphs),
        "line": t.line,
    }


def list_item(s: Summary) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "path": s.path,
        "title": s.title,
        "authors": list(s.authors),
        "published": s.published,
        "speakers": list(s.speakers),
        "questions": s.questions,
        "answers": s.answers,
    }


def hit(h: Hit) -> dict[str, Any]:
    snippet = "".join(
        f"{MARK[0]}{part}{MARK[1]}" if i % 2 else part for i, part in enumerate(h.snippet)
    )
    return {
        "slug": h.slug,
        "title": h.title,
        "path": h.path,
        "speaker": h.speaker,
        "label": h.label,
        "is_question": h.is_question,
        "exchange": h.exchange,
        "question": h.question,
        "snippet": snippet,
        # The same, unambiguous where the text itself holds ⟦ or ⟧: text, match, text, …
        "snippet_parts": list(h.snippet),
        "score": h.score,
    }


def speaker_figures(f: SpeakerFigures) -> dict[str, Any]:
    return {
        "name": f.name,
        "roles": list(f.roles),
        "articles": f.articles,
        "answers": f.answers,
        "words": f.words,
    }


def article(entry: Entry, only: str | None = None) -> dict[str, Any]:
    """The article; with `only`, just the exchanges that speaker answers, and their answers."""
    a: Article = entry.article
    exchanges = [
        {
            "question": turn(ex.question),
            "answers": [turn(t) for t in ex.answers if not only or t.speaker == only],
        }
        for ex in a.exchanges
        if not only or any(t.speaker == only for t in ex.answers)
    ]
    return {
        "slug": entry.slug,
        "path": entry.path,
        "title": a.title,
        "dek": a.dek,
        "authors": list(a.authors),
        "published": a.published.isoformat() if a.published else None,
        "read_minutes": a.read_minutes,
        "interviewer": a.interviewer,
        "publication": a.publication,
        "url": a.url,
        "tags": list(a.tags),
        "caption": a.caption,
        "speakers": [
            {"name": s.name, "role": s.role, "aliases": list(s.aliases)} for s in a.speakers
        ],
        "intro": list(a.intro),
        "exchanges": exchanges,
        "notes": list(a.notes),
        "removed": [{"kind": r.kind, "text": r.text, "line": r.line} for r in a.removed],
        "warnings": [{"line": w.line, "message": w.message} for w in a.warnings],
    }


def quote(q: Quote) -> dict[str, Any]:
    return {
        "slug": q.slug,
        "title": q.title,
        "path": q.path,
        "speaker": q.speaker,
        "role": q.role,
        "label": q.label,
        "question": q.question,
        "exchange": q.exchange,
        "paragraphs": list(q.paragraphs),
        "line": q.line,
        "paragraph": q.paragraph,
        "publication": q.publication,
        "authors": list(q.authors),
        "published": q.published,
        "url": q.url,
    }


def source(s: Source) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "title": s.title,
        "path": s.path,
        "speaker": s.speaker,
        "is_question": s.is_question,
        "exchange": s.exchange,
        "paragraph": s.paragraph,
        "text": s.text,
        "closeness": s.closeness,
        "exact": s.exact,
    }


def stats(s: Stats) -> dict[str, Any]:
    from deeply_cli.stats import most_quoted

    return {
        "scope": s.scope,
        "articles": s.articles,
        "questions": s.questions,
        "answers": s.answers,
        "speakers": [
            {"name": x.name, "answers": x.answers, "words": x.words, "articles": x.articles}
            for x in s.speakers
        ],
        "years": s.years,
        "undated": s.undated,
        "most_quoted": [x.name for x in most_quoted(s)],
    }
