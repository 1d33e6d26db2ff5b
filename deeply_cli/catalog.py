"""Questions asked of the index: article summaries, quotes, search hits, speaker figures."""

from __future__ import annotations

import bisect
import contextlib
import itertools
import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deeply_cli import archive, fts, query
from deeply_cli.archive import Entry
from deeply_cli.errors import DeeplyError, Exit, UsageError
from deeply_cli.forked import in_child
from deeply_cli.index import Index, damaged
from deeply_cli.query import Quote
from deeply_cli.rows import SEP
from deeply_cli.text import fold

UNDATED_LAST = "published IS NULL"  # in either direction: the newest first are dated ones
SORTS = {
    "path": "path",
    "slug": "final_slug, path",
    "title": "fold(title), path",
    "date": f"{UNDATED_LAST}, published, path",
    "questions": "questions, path",
    "answers": "answers, path",
}
# Pairs of characters to mark matches with in a snippet: the first pair an article's text does
# not hold, so that its own characters are never taken for marks.
MARKERS = (("\x02", "\x03"), *((chr(c), chr(c + 1)) for c in range(0xE000, 0xF900, 2)))
SPLIT_FROM = 100_000  # turns in the index before two processes share a ranking
RESCORE_TIES_UP_TO = 20_000  # matches; scoring them all again takes hundredths of a second


@dataclass(frozen=True, slots=True)
class Summary:
    slug: str
    path: str
    title: str | None
    authors: tuple[str, ...]
    published: str | None
    speakers: tuple[str, ...]
    questions: int
    answers: int


@dataclass(frozen=True, slots=True)
class Hit:
    slug: str
    title: str | None
    path: str
    speaker: str
    label: str
    is_question: bool
    exchange: int
    question: str | None
    snippet: tuple[str, ...]  # the text in parts, every second one a match: plain, match, …
    score: float


@dataclass(frozen=True, slots=True)
class SpeakerFigures:
    name: str
    roles: tuple[str, ...]
    articles: int
    answers: int
    words: int


def summary_of(entry: Entry) -> Summary:
    """The same record from a parsed article, for comparing with the index."""
    a = entry.article
    return Summary(
        entry.slug,
        entry.path,
        a.title,
        a.authors,
        a.published.isoformat() if a.published else None,
        tuple(s.name for s in a.speakers),
        len(a.questions),
        len(a.answers),
    )


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(value.split(SEP)) if value else ()


def summaries(
    index: Index,
    *,
    limit: int = 0,
    sort: str = "path",
    reverse: bool = False,
    speaker: str | None = None,
    author: str | None = None,
) -> tuple[list[Summary], int]:
    """A page of articles and how many match in all; limit 0 means all."""
    where, args = ["fatal = 0"], []
    if speaker:
        where.append("path IN (SELECT path FROM turns WHERE speaker = ? AND is_question = 0)")
        args.append(speaker)
    if author:
        where.append("instr(fold(authors), ?) > 0")
        args.append(fold(author))
    condition = " AND ".join(where)
    if args:
        count = f"SELECT count(*) FROM files WHERE {condition}"
        total = index.conn.execute(count, args).fetchone()[0]
    else:
        total = index.article_count()
    order = ", ".join(
        f"{key} DESC" if reverse and key != UNDATED_LAST else key for key in SORTS[sort].split(", ")
    )
    sql = (
        "SELECT final_slug, path, title, authors, published, speakers, questions, answers"
        f" FROM files WHERE {condition} ORDER BY {order}"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = index.conn.execute(sql, args)
    return [
        Summary(slug, p, t, _split(au), pub, _split(sp), q, a)
        for slug, p, t, au, pub, sp, q, a in rows
    ], total


def speaker_names(index: Index) -> list[str]:
    rows = index.conn.execute("SELECT name FROM speakers")
    return sorted((r[0] for r in rows), key=fold)


def match_speaker(index: Index, wanted: str, path: str | None = None) -> str:
    """The speaker `wanted` names: a full name, a surname, a label their answers were printed
    with (`NB:`), an alias from deeply.yaml, or a unique prefix. A name the archive's
    speakers share (`Doe`) is looked for again among those answering in `path` (the
    article a command is narrowed to), as `show --speaker` looks for it."""
    names: list[str] = []
    aliases: dict[str, set[str]] = {}
    for name, labels in index.conn.execute("SELECT name, labels FROM speakers"):
        names.append(name)
        for label in _split(labels):
            aliases.setdefault(fold(label), set()).add(name)
    for alias, name in index.aliases().items():
        aliases.setdefault(alias, set()).add(name)
    try:
        return query.match_speaker(sorted(names, key=fold), wanted, aliases)
    except DeeplyError as exc:
        if path is None or exc.status != Exit.USAGE:
            raise
        shared = exc
    rows = index.conn.execute(
        "SELECT DISTINCT speaker FROM turns WHERE path = ? AND is_question = 0", (path,)
    )
    here = {name for (name,) in rows}
    mine = {alias: found & here for alias, found in aliases.items() if found & here}
    try:
        return query.match_speaker(sorted(here, key=fold), wanted, mine, "in this article")
    except DeeplyError as exc:
        raise (exc if exc.status == Exit.USAGE else shared) from None


def entry(index: Index, slug_query: str) -> Entry:
    """Parse the article now, so `show` reads the file as it is."""
    slug, path = index.path_of(slug_query)
    config = index.parse_config()
    article, _ = archive.parse_file(index.root / path, path, config)
    return Entry(slug, path, article)


def quotes(index: Index, speaker: str) -> list[Quote]:
    rows = index.conn.execute(
        "SELECT t.path, f.title, t.exchange, t.question, t.asker, t.speaker, t.role, t.label,"
        " t.paragraphs, t.line, t.paragraph, f.publication, f.authors, f.published, f.url,"
        " f.final_slug FROM turns t JOIN files f USING (path)"
        " WHERE t.speaker = ? AND t.is_question = 0 ORDER BY t.path, t.exchange, t.position",
        (speaker,),
    )
    return [
        Quote(
            row[15],
            row[1],
            row[0],
            *row[2:8],
            tuple(row[8].split("\n")),
            row[9],
            row[10],
            row[11],
            _split(row[12]),
            row[13],
            row[14],
        )
        for row in rows
    ]


def search(
    index: Index,
    query: str,
    *,
    speaker: str | None = None,
    path: str | None = None,
    questions: bool | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Ranked (BM25) full-text search over questions and answers.

    The best rows are chosen from the full-text index alone; only those are joined with
    their articles and given snippets, which keeps common words fast.
    """
    if limit < 0:
        raise UsageError("--limit must be 0 (no limit) or more")
    bound = fts.bounded(query)  # a long phrase by its first words, then checked in full
    match = bound.match
    filters, args = [], [match]
    if speaker and questions:  # the questions put to them, as `show --speaker` keeps them
        filters.append(
            "(path, exchange) IN"
            " (SELECT path, exchange FROM turns WHERE speaker = ? AND is_question = 0)"
        )
        args.append(speaker)
    elif speaker:
        filters.append("speaker = ?")
        args.append(speaker)
    if path:
        filters.append("path = ?")
        args.append(path)
    if questions is not None:
        filters.append("is_question = ?")
        args.append(int(questions))
    where = "turns_fts MATCH ?"
    if filters:
        where += f" AND rowid IN (SELECT id FROM turns WHERE {' AND '.join(filters)})"
    # One read transaction for every query below: a refresh another process commits
    # meanwhile (a file re-indexed) is seen by all of them or by none.
    snapshot = not index.conn.in_transaction
    try:
        if snapshot:
            index.conn.execute("BEGIN")
        if not bound.exact:
            where, args = (
                f"{where} AND rowid IN (SELECT value FROM json_each(?))",
                [
                    *args,
                    json.dumps(sorted(_whole(index, bound, where, args))),
                ],
            )
        ranked = _ranked(index, where, args, limit + 1 if limit else 0)
        if _tie_to_settle(index, where, args, ranked, limit):
            # A tie across the limit: every turn of that score competes for the last places.
            tie = ranked[limit][1]
            ranked = [row for row in ranked if row[1] != tie]
            ranked += _ranked(index, f"{where} AND bm25(turns_fts) = ?", [*args, tie], 0)
        ids = json.dumps([rowid for rowid, _ in ranked])
        details = {
            row[0]: row[1:]
            for row in index.conn.execute(
                "SELECT t.id, f.final_slug, f.title, t.path, t.speaker, t.label, t.is_question,"
                " t.exchange, t.question, length(t.paragraphs) > ?,"
                " instr(t.paragraphs, char(2)) > 0 OR instr(t.paragraphs, char(3)) > 0,"
                " t.position"
                " FROM turns t JOIN files f USING (path)"
                " WHERE t.id IN (SELECT value FROM json_each(?))",
                (fts.LONG_TURN, ids),
            )
        }
        if len(details) < len(ranked):
            ranked = _without_gone(index, match, ranked, details)
        # Equal scores in the archive's order, not in the order turns happened to be indexed
        # (a file re-indexed gets new row ids): the same hits whatever the index's history.
        place = {rowid: (row[2], row[6], row[-1]) for rowid, row in details.items()}
        ranked.sort(key=lambda row: (row[1], place[row[0]]))  # path, exchange, position
        if limit:
            ranked = ranked[:limit]
        ids = json.dumps([rowid for rowid, _ in ranked])
        long = {rowid for rowid, _ in ranked if details[rowid][-3]}
        if long:  # snippets cut here: FTS5's would take time that grows as their square
            ids = json.dumps([rowid for rowid, _ in ranked if rowid not in long])
        start, end = MARKERS[0]
        if any(details[rowid][-2] for rowid, _ in ranked):  # some text holds them itself
            sql = "SELECT paragraphs FROM turns WHERE id IN (SELECT value FROM json_each(?))"
            start, end = _markers([text for (text,) in index.conn.execute(sql, (ids,))])
        snippets = dict(
            index.conn.execute(
                "SELECT rowid, snippet(turns_fts, 0, ?, ?, '…', 32) FROM turns_fts"
                " WHERE turns_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                (start, end, match, ids),
            )
        )
        for rowid, text in index.conn.execute(
            "SELECT id, paragraphs FROM turns WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(long)),),
        ):
            folded = fts.searched(text)
            snippets[rowid] = unfolded(fts.long_snippet(folded, query), text, folded)
        folds = {  # turns indexed as their fold, whose snippets are to be put back
            rowid: (text, folded)
            for rowid, text, folded in index.conn.execute(
                "SELECT id, paragraphs, folded FROM turns WHERE folded IS NOT NULL"
                " AND id IN (SELECT value FROM json_each(?))",
                (ids,),
            )
        }
    except sqlite3.Error as exc:  # the translated query should never cause one
        if damaged(exc):
            raise  # the command rebuilds the index and runs again
        raise DeeplyError(f"search failed: {exc}") from None
    finally:
        if snapshot and index.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                index.conn.execute("COMMIT")  # it only read
    hits = []
    for rowid, rank in ranked:
        slug, title, p, sp, label, isq, ex, q, is_long, _, _ = details[rowid]
        if is_long:
            snippet = snippets[rowid]
        else:
            snippet = _parts(snippets[rowid], start, end)
            if rowid in folds:
                snippet = unfolded(snippet, *folds[rowid])
        hits.append(Hit(slug, title, p, sp, label, bool(isq), ex, q, snippet, _score(rank)))
    return hits


def _whole(index: Index, bound: fts.Bounded, where: str, args: list[Any]) -> set[int]:
    """The turns `where` finds that hold each long phrase of the query whole (and none it
    excludes): FTS5 was asked for its first words only."""
    found = [
        rowid for (rowid,) in index.conn.execute(f"SELECT rowid FROM turns_fts WHERE {where}", args)
    ]
    others = bound.others()
    kept: set[int] = set()
    for start in range(0, len(found), 200):  # a page of texts at a time: memory stays flat
        page = json.dumps(found[start : start + 200])
        short = {
            k: {
                rowid
                for (rowid,) in index.conn.execute(
                    "SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?"
                    " AND rowid IN (SELECT value FROM json_each(?))",
                    (expression, page),
                )
            }
            for k, expression in others.items()
        }
        texts = dict(
            index.conn.execute(
                "SELECT id, coalesce(folded, paragraphs) FROM turns"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (page,),
            )
        )
        kept |= bound.keep(texts, short)
    return kept


def _without_gone(
    index: Index, match: str, ranked: list[tuple[int, float]], details: dict[int, Any]
) -> list[tuple[int, float]]:
    """The ranked rows less those without a turn. The child that ranks half the rows reads
    the index a moment apart, and may see turns a refresh has since replaced: those are
    gone. A row the full-text index matches here too, with no turn, is damage."""
    gone = json.dumps([rowid for rowid, _ in ranked if rowid not in details])
    still = index.conn.execute(
        "SELECT count(*) FROM turns_fts WHERE turns_fts MATCH ?"
        " AND rowid IN (SELECT value FROM json_each(?))",
        (match, gone),
    ).fetchone()[0]
    if still:
        raise sqlite3.DatabaseError("database disk image is malformed (turns missing)")
    return [row for row in ranked if row[0] in details]


def _score(rank: float) -> float:
    """BM25's score to four significant digits. Not to four places: a word in over half of
    the turns gets scores near a millionth (FTS5's floor for its weight), all of which
    would round to 0.0 and look alike in --json though their order differs."""
    return float(f"{-rank:.4g}")


def unfolded(parts: tuple[str, ...], original: str, folded: str) -> tuple[str, ...]:
    """A snippet FTS5 cut from a turn's fold (`fts.searched`), in the characters of the turn
    as written.

    `text.fold` folds each character on its own (and `fts.searched` only sets some apart),
    so every place in the fold falls within the fold of one character of the original: a
    match takes in the whole of its first and last characters. A "…" that opens or ends the
    snippet is taken for FTS5's and kept as it is, which shows the same where the text has
    one there itself.
    """
    joined = "".join(parts)
    lead = "…" if joined.startswith("…") else ""
    trail = "…" if joined.endswith("…") and len(joined) > len(lead) else ""
    core = joined[len(lead) : len(joined) - len(trail)]
    at = folded.find(core)
    if at < 0:  # FTS5 cuts its snippets from the fold itself: not expected
        return parts
    bounds = fts.searched_places(original)
    places = [_place(bounds, at, end=False)]
    offset = at - len(lead)
    for k, part in enumerate(parts[:-1], 1):  # the cut before parts[k]: a match's end if k even
        offset += len(part)
        cut = _place(bounds, min(max(offset, at), at + len(core)), end=k % 2 == 0)
        if k % 2 == 0:  # a match takes the marks of its last letter (`ลี้`: ล and its two)
            cut = _past_marks(original, cut)
        places.append(max(cut, places[-1]))
    places.append(max(_place(bounds, at + len(core), end=True), places[-1]))
    pieces = [original[a:b] for a, b in itertools.pairwise(places)]
    pieces[0], pieces[-1] = lead + pieces[0], pieces[-1] + trail
    return tuple(pieces)


def _place(bounds: list[int], offset: int, *, end: bool) -> int:
    """The place in the original of `offset` in its fold: before the character whose fold
    holds it, or after it for the end of a match (characters folding to nothing go left)."""
    i = bisect.bisect_right(bounds, offset) - 1
    return i + 1 if end and bounds[i] < offset else i


def _markers(texts: list[str]) -> tuple[str, str]:
    """The first pair of MARKERS that none of these texts holds."""
    held = set().union(*map(set, texts))
    return next((pair for pair in MARKERS if held.isdisjoint(pair)), MARKERS[0])


def _parts(snippet: str, start: str, end: str) -> tuple[str, ...]:
    """Split at the marks: plain text, a match, plain text, … (always an odd count). A match
    takes the marks after its last letter, which FTS5 reads as spaces and leaves out of it
    (`⟦भाष⟧ा`, its vowel sign cut off: `⟦भाषा⟧`)."""
    parts: list[str] = []
    rest = snippet
    while (i := rest.find(start)) >= 0:
        j = rest.find(end, i + 1)
        j = len(rest) if j < 0 else j
        k = _past_marks(rest, j + 1)
        parts += [rest[:i], rest[i + 1 : j] + rest[j + 1 : k]]
        rest = rest[k:]
    return (*parts, rest)


def _past_marks(text: str, at: int) -> int:
    """Where the combining marks (vowel signs, tone marks) from `at` in `text` end."""
    while at < len(text) and unicodedata.category(text[at])[0] == "M":
        at += 1
    return at


def _tie_to_settle(
    index: Index, where: str, args: list[Any], ranked: list[tuple[int, float]], limit: int
) -> bool:
    """Whether the last place is tied with the first left out, in a search whose matches are
    few enough to score all over again (counting them costs a tenth of that). For a word in
    most turns a second scoring would double the search, so there the tie is cut in the
    order the turns were indexed."""
    if not limit or len(ranked) <= limit or ranked[limit][1] != ranked[limit - 1][1]:
        return False
    count = index.conn.execute(f"SELECT count(*) FROM turns_fts WHERE {where}", args)
    return bool(count.fetchone()[0] <= RESCORE_TIES_UP_TO)


def _ranked(index: Index, where: str, args: list[Any], limit: int) -> list[tuple[int, float]]:
    """(rowid, rank) of the matching turns, best first.

    FTS5 scores every match (about a microsecond each), so for a word in most turns the
    ranking is the whole cost of a search. In an index of SPLIT_FROM turns or more a forked
    child ranks the upper half of the rows on a connection of its own while this process
    ranks the lower half; each half's best, merged, are the best of all, since BM25's figures
    are the whole table's. (Counting the matches first, to split only when there are many,
    took as long as ranking a phrase.)
    """
    select = f"SELECT rowid, rank FROM turns_fts WHERE {where}"
    order = " ORDER BY rank, rowid" + (f" LIMIT {int(limit)}" if limit else "")
    last = index.conn.execute("SELECT max(id) FROM turns").fetchall()[0][0] or 0
    if index.db_path is None or last < SPLIT_FROM:
        return index.conn.execute(select + order, args).fetchall()
    middle = last // 2
    upper, lower = (
        f"{select} AND rowid > {int(middle)}{order}",
        f"{select} AND rowid <= {int(middle)}{order}",
    )
    db_path = index.db_path
    theirs = in_child(lambda: _read_only(db_path).execute(upper, args).fetchall())
    mine = index.conn.execute(lower, args).fetchall()
    other = theirs()
    if not isinstance(other, list):  # the child failed: rank that half here
        other = index.conn.execute(upper, args).fetchall()
    merged = sorted(mine + other, key=lambda row: (row[1], row[0]))
    return merged[:limit] if limit else merged


def _read_only(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, timeout=60)


def speakers(index: Index, limit: int = 0) -> list[SpeakerFigures]:
    """Speakers with roles, articles, answers and words, most answers first; limit 0 is all."""
    sql = "SELECT name, roles, articles, answers, words FROM speakers ORDER BY answers DESC, folded"
    rows = index.conn.execute(sql + (f" LIMIT {int(limit)}" if limit else ""))
    return [
        SpeakerFigures(name, tuple(sorted(_split(roles))), articles, answers, words)
        for name, roles, articles, answers, words in rows
    ]


def paths_with_speaker(index: Index, speaker: str) -> list[str]:
    rows = index.conn.execute(
        "SELECT DISTINCT path FROM turns WHERE speaker = ? AND is_question = 0", (speaker,)
    )
    return [r[0] for r in rows]
