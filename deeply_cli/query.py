"""Finding things in loaded articles: slugs by prefix, speakers by name, quotes."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from deeply_cli.archive import Entry
from deeply_cli.errors import DeeplyError, Exit
from deeply_cli.model import Turn
from deeply_cli.text import fold, without_article


@dataclass(frozen=True, slots=True)
class Quote:
    """One answer with its source, from a parsed article or from the index alike."""

    slug: str
    title: str | None
    path: str
    exchange: int  # index of the exchange in the article
    question: str | None
    asker: str | None
    speaker: str
    role: str | None
    label: str
    paragraphs: tuple[str, ...]
    line: int
    paragraph: int  # number of the answer's first paragraph in the article
    publication: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    url: str | None = None


def _choices(items: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", … ({len(items)} in all)" if len(items) > limit else "")


def find_slug(slugs: Sequence[str], query: str) -> str:
    """Exact slug, else a unique prefix; ambiguous is a usage error, unknown offers suggestions."""
    wanted = query.strip().lower()
    if wanted in slugs:
        return wanted
    matches = sorted(s for s in slugs if wanted and s.startswith(wanted))
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = _choices(matches)
        raise DeeplyError(f"'{query}' matches {len(matches)} articles: {shown}", status=Exit.USAGE)
    close = difflib.get_close_matches(wanted, _alike(wanted, slugs), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else " (see `deeply list`)"
    raise DeeplyError(f"no article '{query}'{hint}")


SUGGEST_FROM_ALL = 5000  # slugs; above this, only those sharing a word with the query


def _alike(wanted: str, slugs: Sequence[str]) -> list[str]:
    """The slugs worth comparing with a mistyped one. difflib takes microseconds a slug: a
    second for a large archive, so there only slugs that share a word are compared."""
    if len(slugs) <= SUGGEST_FROM_ALL:
        return list(slugs)
    words = {word for word in wanted.split("-") if len(word) >= 3}
    return [slug for slug in slugs if not words.isdisjoint(slug.split("-"))]


def speaker_names(entries: Iterable[Entry]) -> list[str]:
    names = {a.speaker for e in entries for a in e.article.answers}
    return sorted(names, key=fold)


def match_speaker(
    names: Sequence[str],
    query: str,
    aliases: Mapping[str, Collection[str]] | None = None,
    where: str = "",
) -> str:
    """A full name, a surname, an alias (`aliases`: folded alias -> the names it stands for)
    or a unique prefix of a name, ignoring case and accents. `where` names a smaller place
    than the archive to look in (`in this article`), whose speakers are then listed."""
    wanted = " ".join(fold(query).split())
    if not wanted:
        raise DeeplyError("empty speaker name", status=Exit.USAGE)
    exact = [n for n in names if fold(n) == wanted]
    if len(exact) > 1:  # spelt two ways (`al-Ameer`, `Al-Ameer`): the one typed, else ask
        exact = [n for n in exact if " ".join(query.split()) == n] or exact
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise DeeplyError(
            f"'{query}' matches {len(exact)} speakers: {_choices(exact)} (type one as shown)",
            status=Exit.USAGE,
        )
    by_alias = set((aliases or {}).get(wanted, ()))
    tests: tuple[Callable[[str], bool], ...] = (
        lambda name: _surname_is(fold(name), wanted),
        # before prefixes (`AR` is Ahmad Rahimi, not Aram), but `Jane`, printed for Jane Doe,
        # is still ambiguous beside Jane Smith
        lambda name: bool(by_alias) and (name in by_alias or wanted in fold(name).split()),
        lambda name: _prefix_of(fold(name), wanted),
    )
    for test in tests:
        matches = [n for n in names if test(n)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise DeeplyError(
                f"'{query}' matches {len(matches)} speakers: {_choices(matches)}", status=Exit.USAGE
            )
    close = difflib.get_close_matches(query, list(names), n=3, cutoff=0.6)
    if close:
        hint = f"; did you mean {' or '.join(close)}?"
    elif where:
        hint = f" (its speakers: {_choices(names)})" if names else " (it has no speakers)"
    else:
        hint = " (see `deeply speakers`)"
    raise DeeplyError(f"no speaker '{query}'{' ' + where if where else ''}{hint}")


def aliases_of(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Folded alias -> speakers: the labels each was printed with, and declared aliases."""
    found: dict[str, set[str]] = {}
    for entry in entries:
        for speaker in entry.article.speakers:
            for alias in speaker.aliases:
                found.setdefault(fold(alias), set()).add(speaker.name)
    return found


def _surname_is(name: str, wanted: str) -> bool:
    """`Nerguizian`, and `Assad` or `al-Assad` for Bashar al-Assad."""
    words = name.split()
    return bool(words) and wanted in (words[-1], without_article(words[-1]))


def _prefix_of(name: str, wanted: str) -> bool:
    return name.startswith(wanted) or any(word.startswith(wanted) for word in name.split()[1:])


def quotes(entries: Iterable[Entry], speaker: str | None = None) -> list[Quote]:
    """Every answer by `speaker` (a resolved full name; None: by anyone), with the question
    it answers: one pass over an article's answers, not one per speaker (seconds for a page
    of 5,000 speakers)."""
    found = []
    for entry in entries:
        roles = {s.name: s.role for s in reversed(entry.article.speakers)}  # the first of a name
        for index, exchange in enumerate(entry.article.exchanges):
            for answer in exchange.answers:
                if speaker is None or answer.speaker == speaker:
                    role = roles.get(answer.speaker)
                    found.append(quote_of(entry, index, exchange.question, answer, role))
    return found


def quote_of(
    entry: Entry, index: int, question: Turn | None, answer: Turn, role: str | None
) -> Quote:
    return Quote(
        slug=entry.slug,
        title=entry.article.title,
        path=entry.path,
        exchange=index,
        question=question.text if question else None,
        asker=question.speaker if question else None,
        speaker=answer.speaker,
        role=role,
        label=answer.label,
        paragraphs=answer.paragraphs,
        line=answer.line,
        paragraph=answer.paragraph,
        publication=entry.article.publication,
        authors=entry.article.authors,
        published=entry.article.published.isoformat() if entry.article.published else None,
        url=entry.article.url,
    )
