"""Immutable records of a parsed article; every turn keeps its label and source line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    role: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str
    label: str  # as printed, before the colon
    paragraphs: tuple[str, ...]
    lines: tuple[int, ...]  # 1-based source line of each paragraph
    is_question: bool = False
    label_line: int = 0  # where the label is printed (a line of its own, or the first paragraph)
    paragraph: int = (
        0  # number of its first paragraph in the article's text (intro first), for citing
    )

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Exchange:
    question: Turn | None
    answers: tuple[Turn, ...]


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of the page that is not article text: boilerplate, caption or debris."""

    kind: str  # header, footer, debris
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Note:
    """A warning about a doubtful spot in the parse."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Article:
    title: str | None = None
    dek: str | None = None
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    read_minutes: int | None = None
    interviewer: str | None = None
    publication: str | None = None
    url: str | None = None
    slug: str | None = None  # declared in front matter; the archive fills in the rest
    tags: tuple[str, ...] = ()
    caption: str | None = None
    header_lines: tuple[int, ...] = ()  # title, dek, byline and caption
    speakers: tuple[Speaker, ...] = ()
    intro: tuple[str, ...] = ()
    intro_lines: tuple[int, ...] = ()
    exchanges: tuple[Exchange, ...] = ()
    notes: tuple[str, ...] = ()  # editor's notes, reading lists: text that belongs to no turn
    note_lines: tuple[int, ...] = ()
    removed: tuple[Removed, ...] = ()
    warnings: tuple[Note, ...] = ()

    @property
    def answers(self) -> tuple[Turn, ...]:
        return tuple(a for ex in self.exchanges for a in ex.answers)

    @property
    def questions(self) -> tuple[Turn, ...]:
        return tuple(ex.question for ex in self.exchanges if ex.question)

    def speaker(self, name: str) -> Speaker | None:
        return next((s for s in self.speakers if s.name == name), None)
