"""Where does a quote come from? Exact matches first, then near ones, each with how close."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from deeply_cli.fts import phrase
from deeply_cli.index import Index
from deeply_cli.text import WORDS, fold

NEAR = 0.75  # below this closeness a passage is not offered as the source
CANDIDATES = 200  # turns judged in Python per query (and per page of exact candidates)
PAGES = 5  # pages of phrase hits read while their fragments keep coming out of order
SHINGLE = 3  # words in each run the near-match query looks for
MAX_PHRASES = 10  # runs in that query: each costs a pass over its words' position lists
PHRASE_WORDS = 32  # words of a fragment the exact-match query looks for (all are checked after)
MAX_FRAGMENTS = 16  # fragments (between ellipses) that query holds, the longest
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[…\]|\.\s*\.\s*\.|…)\s*")


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
    return WORDS.findall(fold(text))


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


def _shingles(wanted: list[str]) -> list[str]:
    """Runs of SHINGLE words of the quote as phrases, at most MAX_PHRASES spread along it.

    Runs rather than single words, which in a long quote or a small vocabulary are in almost
    every turn. A passage within NEAR of a quote of n words differs (word for word) in at most
    (n - 4.5) / 4 of them, which leaves some run of three unchanged; when the runs of a long
    quote are sampled, a few changed words still leave most of the chosen ones whole.
    """
    size = min(SHINGLE, len(wanted))
    grams = list(
        dict.fromkeys(" ".join(wanted[i : i + size]) for i in range(len(wanted) - size + 1))
    )
    if len(grams) > MAX_PHRASES:
        step = len(grams) / MAX_PHRASES
        grams = [grams[int(k * step)] for k in range(MAX_PHRASES)]
    return [phrase(g) for g in grams]


_SELECT = (
    "SELECT t.id, t.path, f.title, t.speaker, t.is_question, t.exchange, t.paragraph,"
    " t.paragraphs FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid"
    " JOIN files f ON f.path = t.path WHERE turns_fts MATCH ?"
)
_BY_ID = (
    "SELECT t.id, t.path, f.title, t.speaker, t.is_question, t.exchange, t.paragraph,"
    " t.paragraphs FROM turns t JOIN files f ON f.path = t.path"
    " WHERE t.id IN (SELECT value FROM json_each(?))"
)
Row = tuple[int, str, str | None, str, int, int, int, str]


def _holding(index: Index, quote: str, pages: int | None = PAGES) -> Iterator[Row]:
    """Turns that contain every fragment of the quote as a phrase, in order of path: the
    first `pages` pages of CANDIDATES, or (None) all of them.

    The phrases are the quote's own text, so FTS5 splits them into words as it split the
    articles; whether the fragments also come in order is for the caller to check. The turns
    are sorted as ids, and read a page at a time: memory stays flat when a phrase of common
    words is in most of the archive.
    """
    parts = [part for part in _ELLIPSIS.split(quote) if words(part)]
    # Each fragment's first PHRASE_WORDS words, which `_source` then checks in full: FTS5
    # takes time that grows with a phrase's length (seconds for a page of text pasted in).
    # Each phrase once, and at most MAX_FRAGMENTS of them, the longest: a turn holding every
    # fragment holds these, and FTS5 takes seconds over thousands (`a … b … a … b …`).
    phrases = list(dict.fromkeys(phrase(part, PHRASE_WORDS) for part in parts))
    phrases.sort(key=lambda p: -len(words(p)))
    match = " AND ".join(phrases[:MAX_FRAGMENTS])
    ids = [
        rowid
        for (rowid,) in index.conn.execute(
            "SELECT t.id FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid"
            " WHERE turns_fts MATCH ? ORDER BY t.path, t.paragraph LIMIT ?",
            (match, -1 if pages is None else pages * CANDIDATES),
        )
    ]
    for start in range(0, len(ids), CANDIDATES):
        page = ids[start : start + CANDIDATES]
        rows = {row[0]: row for row in index.conn.execute(_BY_ID, (json.dumps(page),))}
        yield from (rows[rowid] for rowid in page if rowid in rows)  # gone: another refresh


def _sharing(index: Index, wanted: list[str]) -> Iterator[Row]:
    """Turns that share runs of words with the quote, the most alike (by BM25) first."""
    match = " OR ".join(_shingles(wanted))
    yield from index.conn.execute(
        _SELECT + " ORDER BY bm25(turns_fts) LIMIT ?", (match, CANDIDATES)
    ).fetchall()


def _source(row: Row, parts: list[list[str]], slugs: dict[str, str]) -> Source | None:
    """The turn as the quote's source, if it holds the quote or comes within NEAR of it."""
    _id, path, title, speaker, is_q, exchange, first, text = row
    paragraphs = text.split("\n")
    turn_words: list[str] = []
    owner: list[int] = []
    for number, para in enumerate(paragraphs):
        para_words = words(para)
        turn_words += para_words
        owner += [number] * len(para_words)
    start = _in_order(parts, turn_words)
    exact = start is not None
    wanted = [w for part in parts for w in part]
    closeness, near_start = (1.0, start) if exact else _closeness(wanted, turn_words)
    if closeness < NEAR or not owner:
        return None
    number = owner[min(near_start or 0, len(owner) - 1)]
    return Source(
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


def find(index: Index, quote: str, limit: int = 5) -> list[Source]:
    """The sources of a quote, exact ones first; `limit` 0 is every exact one, and the
    near ones among the CANDIDATES turns most like it."""
    parts = fragments(quote)
    wanted = [w for part in parts for w in part]
    if not wanted:
        from deeply_cli.errors import UsageError

        raise UsageError("the quote has no words to look for")
    slugs = index.slugs()
    seen: set[int] = set()
    found: list[Source] = []
    exact = 0
    # Turns holding the quote as a phrase are judged first, in order of path, until `limit` are
    # exact: ranking turns by the words they share with the quote leaves the very source out
    # of the top CANDIDATES whenever those words are common. The near step can still find an
    # exact source the pages of phrase hits did not reach.
    # As many pages as `limit` needs, and PAGES more for fragments that come out of order.
    holding = _holding(index, quote, PAGES + -(-limit // CANDIDATES) if limit else None)
    for rows in (holding, _sharing(index, wanted)):
        for row in rows:
            if limit and exact >= limit:
                break
            if row[0] in seen:
                continue
            seen.add(row[0])
            source = _source(row, parts, slugs)
            if source:
                found.append(source)
                exact += source.exact
    found.sort(key=lambda s: (not s.exact, -s.closeness, s.path, s.paragraph))
    return found[:limit] if limit else found
