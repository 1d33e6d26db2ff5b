"""Who speaks how much: figures for one article or the whole archive."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from deeply_cli.archive import Entry
from deeply_cli.index import Index
from deeply_cli.text import fold


@dataclass(frozen=True, slots=True)
class SpeakerShare:
    name: str
    answers: int
    words: int
    articles: int = 1


@dataclass(frozen=True, slots=True)
class Stats:
    scope: str  # a slug, or "archive"
    articles: int
    questions: int
    answers: int
    speakers: tuple[SpeakerShare, ...]  # most answers first
    years: dict[str, int] = field(default_factory=dict)  # articles per year, where dated
    undated: int = 0


def _ordered(shares: list[SpeakerShare]) -> tuple[SpeakerShare, ...]:
    return tuple(sorted(shares, key=lambda s: (-s.answers, -s.words, fold(s.name))))


def of_article(entry: Entry) -> Stats:
    answers = entry.article.answers
    counts = Counter(a.speaker for a in answers)
    words: Counter[str] = Counter()
    for a in answers:
        words[a.speaker] += sum(len(p.split()) for p in a.paragraphs)
    shares = [SpeakerShare(n, c, words[n]) for n, c in counts.items()]
    return Stats(entry.slug, 1, len(entry.article.questions), len(answers), _ordered(shares))


def of_archive(index: Index) -> Stats:
    conn = index.conn
    shares = [
        SpeakerShare(name, count, words or 0, articles)
        for name, count, words, articles in conn.execute(
            "SELECT speaker, count(*), sum(words), count(DISTINCT path) FROM turns"
            " WHERE is_question = 0 GROUP BY speaker"
        )
    ]
    articles, questions, answers = conn.execute(
        "SELECT count(*), coalesce(sum(questions), 0), coalesce(sum(answers), 0)"
        " FROM files WHERE fatal = 0"
    ).fetchone()
    years = dict(
        conn.execute(
            "SELECT substr(published, 1, 4) AS year, count(*) FROM files"
            " WHERE fatal = 0 AND published IS NOT NULL GROUP BY year ORDER BY year"
        ).fetchall()
    )
    undated = articles - sum(years.values())
    return Stats("archive", articles, questions, answers, _ordered(shares), years, undated)


def most_quoted(stats: Stats, top: int = 10) -> list[SpeakerShare]:
    """Speakers quoted in the most articles, then with the most answers."""
    return sorted(stats.speakers, key=lambda s: (-s.articles, -s.answers, fold(s.name)))[:top]
