"""The archive, or a part of it, in formats other tools open: JSONL, JSON, CSV, Markdown, SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deeply_cli import serialize
from deeply_cli.archive import Entry
from deeply_cli.model import Turn
from deeply_cli.text import csv_table, markdown_text

FORMATS = ("jsonl", "json", "csv", "md", "sqlite")
TURN_COLUMNS = (
    "slug", "title", "path", "publication", "authors", "published", "url", "exchange", "position",
    "speaker", "role", "label", "is_question", "question", "text", "paragraph",
)  # fmt: skip
Keep = Callable[[Entry, int, int, Turn], bool]


@dataclass(frozen=True, slots=True)
class Selection:
    """The articles to export, and which of their turns."""

    entries: Sequence[Entry]
    keep: Keep

    def turns(self, entry: Entry) -> Iterator[tuple[int, int, Turn]]:
        for number, exchange in enumerate(entry.article.exchanges):
            for position, turn in enumerate((exchange.question, *exchange.answers)):
                if turn is not None and self.keep(entry, number, position, turn):
                    yield number, position, turn

    def chosen(self) -> list[Entry]:
        return [e for e in self.entries if any(True for _ in self.turns(e))]


def turn_rows(selection: Selection) -> Iterator[dict[str, Any]]:
    for entry in selection.entries:
        a = entry.article
        roles = {s.name: s.role for s in a.speakers}
        for number, position, turn in selection.turns(entry):
            question = a.exchanges[number].question
            yield {
                "slug": entry.slug,
                "title": a.title,
                "path": entry.path,
                "publication": a.publication,
                "authors": list(a.authors),
                "published": a.published.isoformat() if a.published else None,
                "url": a.url,
                "exchange": number,
                "position": position,
                "speaker": turn.speaker,
                "role": None if turn.is_question else roles.get(turn.speaker),
                "label": turn.label,
                "is_question": turn.is_question,
                "question": question.text if question and not turn.is_question else None,
                "text": turn.text,
                "paragraph": turn.paragraph,
            }


def to_jsonl(selection: Selection, ascii_only: bool = False) -> str:
    rows = turn_rows(selection)
    return "".join(serialize.dumps_line(row, ascii_only=ascii_only) + "\n" for row in rows)


def to_json(selection: Selection, ascii_only: bool = False) -> str:
    articles = []
    for entry in selection.chosen():
        data = serialize.article(entry)
        kept = {(n, p) for n, p, _ in selection.turns(entry)}
        data["exchanges"] = [
            {
                # Kept with any answer it draws: null would say that no question was asked.
                "question": ex["question"],
                "answers": [a for p, a in enumerate(ex["answers"], 1) if (n, p) in kept],
            }
            for n, ex in enumerate(data["exchanges"])
            if any((n, p) in kept for p in range(len(ex["answers"]) + 1))
        ]
        articles.append(data)
    return serialize.dumps(articles, ascii_only=ascii_only) + "\n"


def to_csv(selection: Selection) -> str:
    rows = ({**row, "authors": ", ".join(row["authors"])} for row in turn_rows(selection))
    return csv_table(TURN_COLUMNS, rows)


def to_markdown(selection: Selection) -> str:
    """One readable document: each article with its header, intro and turns. The article's
    words are text, never markup: each is escaped for Markdown."""
    md = markdown_text
    blocks = []
    for entry in selection.chosen():
        a = entry.article
        blocks.append(f"# {md(a.title) if a.title else entry.slug}")
        if a.dek:
            blocks.append(f"*{md(a.dek)}*")
        byline = [
            md(", ".join(a.authors)),
            md(a.publication or ""),
            a.published.isoformat() if a.published else "n.d.",
        ]
        blocks.append(" · ".join(p for p in byline if p) + f" · `{entry.slug}`")
        blocks += map(md, a.intro)
        for _, _, turn in selection.turns(entry):
            first, *rest = turn.paragraphs
            blocks.append(f"**{md(turn.speaker)}:** {md(first)}")
            blocks += map(md, rest)
    return "\n\n".join(blocks) + "\n"


_SQLITE_SCHEMA = """
CREATE TABLE articles(
    slug TEXT PRIMARY KEY, path TEXT, title TEXT, dek TEXT, authors TEXT, published TEXT,
    read_minutes INTEGER, publication TEXT, interviewer TEXT, url TEXT, intro TEXT);
CREATE TABLE speakers(
    id INTEGER PRIMARY KEY, article TEXT REFERENCES articles(slug), name TEXT, role TEXT,
    aliases TEXT);
CREATE TABLE turns(
    id INTEGER PRIMARY KEY, article TEXT REFERENCES articles(slug), exchange INTEGER,
    position INTEGER, speaker TEXT, role TEXT, label TEXT, is_question INTEGER, question TEXT,
    text TEXT, paragraph INTEGER);
CREATE INDEX turns_article ON turns(article);
CREATE INDEX turns_speaker ON turns(speaker);
CREATE VIRTUAL TABLE turns_fts USING fts5(
    text, content="turns", content_rowid="id", tokenize="unicode61 remove_diacritics 2");
"""


def to_sqlite(selection: Selection, path: Path) -> None:
    """A self-contained database with a full-text index that Datasette opens and searches."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(_SQLITE_SCHEMA)
        with conn:
            for entry in selection.chosen():
                a = entry.article
                conn.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        entry.slug, entry.path, a.title, a.dek, ", ".join(a.authors),
                        a.published.isoformat() if a.published else None, a.read_minutes,
                        a.publication, a.interviewer, a.url, "\n\n".join(a.intro),
                    ),
                )  # fmt: skip
                conn.executemany(
                    "INSERT INTO speakers(article, name, role, aliases) VALUES (?,?,?,?)",
                    [(entry.slug, s.name, s.role, ", ".join(s.aliases)) for s in a.speakers],
                )
            conn.executemany(
                "INSERT INTO turns(article, exchange, position, speaker, role, label,"
                " is_question, question, text, paragraph) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        r["slug"],
                        r["exchange"],
                        r["position"],
                        r["speaker"],
                        r["role"],
                        r["label"],
                        int(r["is_question"]),
                        r["question"],
                        r["text"],
                        r["paragraph"],
                    )
                    for r in turn_rows(selection)
                ],
            )
            conn.execute("INSERT INTO turns_fts(turns_fts) VALUES ('rebuild')")
    except sqlite3.OperationalError as exc:
        # A full disk or a failing one, as SQLite says it: a failure to write this file
        # (which the writer names), not one of the index.
        raise OSError(str(exc)) from None
    finally:
        conn.close()


def text_export(selection: Selection, fmt: str, *, ascii_only: bool = False) -> str:
    """`ascii_only`: JSON's own escapes (`\\u00e9`) past ASCII, for an output that cannot
    hold every character (CSV and Markdown have no escapes of their own)."""
    if fmt in ("json", "jsonl"):
        return (to_json if fmt == "json" else to_jsonl)(selection, ascii_only)
    return {"csv": to_csv, "md": to_markdown}[fmt](selection)
