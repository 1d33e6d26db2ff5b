"""User search syntax -> a safe FTS5 MATCH expression. User text never reaches FTS5 raw."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deeply_cli.errors import UsageError

MAX_TERMS = 64
_TOKEN = re.compile(r'(-?)"([^"]*)("?)|(\S+)')
_WORD = re.compile(r"[^\W_]")  # a letter or digit: what FTS5's tokenizer keeps as a token


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False


def parse_query(query: str) -> list[Term | str]:
    """Words (all must match), "phrases", -excluded, OR between terms, prefix*."""
    items: list[Term | str] = []
    for match in _TOKEN.finditer(query.replace("“", '"').replace("”", '"')):
        negated_phrase, phrase, _closed, word = match.groups()
        if word is None:
            if _WORD.search(phrase):
                items.append(Term(phrase, phrase=True, negated=bool(negated_phrase)))
            continue
        if word == "OR":
            items.append("OR")
            continue
        negated = word.startswith("-") and len(word) > 1
        body = word[1:] if negated else word
        prefix = body.endswith("*") and _WORD.search(body) is not None
        body = body.rstrip("*") if prefix else body
        if _WORD.search(body):
            items.append(Term(body, prefix=prefix, negated=negated))
    tidy = _tidy(items)
    if "OR" in items and not any(isinstance(t, Term) and not t.negated for t in tidy):
        return [Term("OR"), *tidy]  # `deeply search OR`: the word, as with and, not, near
    return tidy


def _tidy(items: list[Term | str]) -> list[Term | str]:
    """OR only between two positive terms; elsewhere it is dropped."""
    tidy: list[Term | str] = []
    for i, item in enumerate(items):
        if item == "OR":
            before = tidy[-1] if tidy else None
            after = items[i + 1] if i + 1 < len(items) else None
            if (
                isinstance(before, Term)
                and isinstance(after, Term)
                and not (before.negated or after.negated)
            ):
                tidy.append(item)
            continue
        tidy.append(item)
    return tidy


def phrase(text: str) -> str:
    """An FTS5 string: the text inside it is searched as words, never read as syntax."""
    return '"' + text.replace('"', '""') + '"'


def _quoted(term: Term) -> str:
    return phrase(term.text) + ("*" if term.prefix else "")


def to_match(query: str) -> str:
    """The FTS5 expression; a query with nothing to search for is a usage error."""
    items = parse_query(query)
    terms = [i for i in items if isinstance(i, Term)]
    if not any(not t.negated for t in terms):
        raise UsageError(
            "nothing to search for: give at least one word (see `deeply search --help`)"
        )
    if len(terms) > MAX_TERMS:
        raise UsageError(f"too many search terms ({len(terms)}; at most {MAX_TERMS})")
    groups: list[list[str]] = []  # AND of OR-groups
    excluded: list[str] = []
    join_next = False
    for item in items:
        if item == "OR":
            join_next = True
            continue
        assert isinstance(item, Term)
        if item.negated:
            excluded.append(_quoted(item))
        elif join_next and groups:
            groups[-1].append(_quoted(item))
        else:
            groups.append([_quoted(item)])
        join_next = False
    positive = " AND ".join("(" + " OR ".join(g) + ")" if len(g) > 1 else g[0] for g in groups)
    return positive + "".join(f" NOT {e}" for e in excluded)
