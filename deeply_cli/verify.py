"""Where does a quote come from? Exact matches first, then near ones, each with how close."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from deeply_cli.index import Index
from deeply_cli.text import fold

NEAR = 0.75  # below this closeness a passage is not offered as the source
CANDIDATES = 200
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[…\]|\.\s*\.\s*\.|…)\s*")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Source:
    slug: str
    title: str | None
    path: str
    speaker: str
    is_question: bool
    exchange: int
    paragraph: int  # number of the paragraph in the article
    text: str  # that paragraph
    closeness: float  # 1.0 for an exact match
    exact: bool


def words(text: str) -> list[str]:
    """Folded words: case, accents, quote styles, dashes and spacing no longer matter."""
    return _WORD.findall(fold(text))


def fragments(quote: str) -> list[list[str]]:
    """A quote with ellipses is several fragments that must appear in order."""
    return [w for w in (words(part) for part in _ELLIPSIS.split(quote)) if w]


def _in_order(parts: list[list[str]], text: list[str]) -> int | None:
    """Word position where the first fragment starts, if every fragment follows in order."""
    start, at = None, 0
    joined = " " + " ".join(text) + " "
    offsets = [m.start() for m in re.finditer(" ", joined)][:-1]
    for part in parts:
        found = joined.find(" " + " ".join(part) + " ", at)
        if found < 0:
            return None
        start = offsets.index(found) if start is None else start
        at = found + len(" ".join(part)) + 1
    return start


def _closeness(wanted: list[str], text: list[str]) -> tuple[float, int]:
    """The best window of `text` against the quote's words, and where it starts."""
    matcher = SequenceMatcher(None, wanted, text, autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
    start = max(0, block.b - block.a)
    window = text[start : start + len(wanted) + 3]
    return SequenceMatcher(None, wanted, window, autojunk=False).ratio(), start


def find(index: Index, quote: str, limit: int = 5) -> list[Source]:
    parts = fragments(quote)
    wanted = [w for part in parts for w in part]
    if not wanted:
        from deeply_cli.errors import UsageError

        raise UsageError("the quote has no words to look for")
    distinct = sorted(set(wanted), key=len, reverse=True)[:12]
    match = " OR ".join('"' + w.replace('"', '""') + '"' for w in distinct)
    rows = index.conn.execute(
        "SELECT t.path, f.title, t.speaker, t.is_question, t.exchange, t.paragraph, t.paragraphs"
        " FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid JOIN files f ON f.path = t.path"
        " WHERE turns_fts MATCH ? ORDER BY bm25(turns_fts) LIMIT ?",
        (match, CANDIDATES),
    ).fetchall()
    slugs = index.slugs()
    found = []
    for path, title, speaker, is_q, exchange, first, text in rows:
        paragraphs = text.split("\n")
        turn_words, owner = [], []
        for number, para in enumerate(paragraphs):
            para_words = words(para)
            turn_words += para_words
            owner += [number] * len(para_words)
        start = _in_order(parts, turn_words)
        exact = start is not None
        closeness, near_start = (1.0, start) if exact else _closeness(wanted, turn_words)
        if closeness >= NEAR and owner:
            number = owner[min(near_start or 0, len(owner) - 1)]
            found.append(
                Source(
                    slugs[path],
                    title,
                    path,
                    speaker,
                    bool(is_q),
                    exchange,
                    first + number,
                    paragraphs[number],
                    round(closeness, 3),
                    exact,
                )
            )
    found.sort(key=lambda s: (not s.exact, -s.closeness, s.path, s.paragraph))
    return found[:limit]
