"""What FTS5 sees: user search syntax as a safe MATCH expression (user text never reaches
FTS5 raw), and the text indexed for each turn.

Both sides are folded alike. FTS5's tokenizer ignores case and most accents but keeps ı, ł,
ø, ß, ligatures and full-width letters as they are, so a turn holding any of those is indexed
as its fold (`text.fold`), and every searched word is folded too.
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from deeply_cli.errors import UsageError
from deeply_cli.text import WORDS, fold, fold_places

TOKENIZE = "unicode61 remove_diacritics 2"
MAX_TERMS = 64
_TOKEN = re.compile(r'(-?)"([^"]*)("?)|(\S+)')
_WORD = re.compile(r"[^\W_]")  # a letter or digit: what FTS5's tokenizer keeps as a token


def _has_word(text: str) -> bool:
    """Whether FTS5 finds a word in `text` once folded: a tatweel (ـ), a lone kana sound mark
    or a modifier apostrophe (ʼ) is a letter to Python but folds to nothing FTS5 keeps, and
    a term of nothing would match no turn at all (`isis ـ`: no hits)."""
    return _WORD.search(text) is not None and _WORD.search(fold(text)) is not None


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False


# Double quotes as languages print them (“…”, „…“, «…», ‹…›, full-width ＂): a phrase's.
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»‹›＂", '"'))


def parse_query(query: str) -> list[Term | str]:
    """Words (all must match), "phrases", -excluded, OR between terms, prefix*."""
    items: list[Term | str] = []
    for match in _TOKEN.finditer(query.translate(_QUOTES)):
        negated_phrase, phrase, _closed, word = match.groups()
        if word is None:
            if _has_word(phrase):
                items.append(Term(phrase, phrase=True, negated=bool(negated_phrase)))
            continue
        if word == "OR":
            items.append("OR")
            continue
        # `-word` excludes; `--word` is a word after a dash, as transcripts write one
        negated = word.startswith("-") and len(word) > 1 and not word.startswith("--")
        body = word[1:] if negated else word
        prefix = body.endswith("*") and _has_word(body)
        body = body.rstrip("*") if prefix else body
        if _has_word(body):
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


def phrase(text: str, words: int | None = None) -> str:
    """An FTS5 string: the text inside it is searched as words, folded, never read as syntax.
    With `words`, only about that many of its first words (a phrase any text that holds the
    whole one holds too), cut where FTS5 surely parts words: a space or ASCII punctuation."""
    inside = searched(text)
    if words is not None:
        runs = (m.start() for m in _PARTS.finditer(inside) if m.start())
        cut = next(itertools.islice(runs, words - 1, None), len(inside))
        inside = inside[:cut]
    return '"' + inside.replace('"', '""') + '"'


# Spaces, ASCII but letters and digits, dashes, quote marks and the ellipsis (U+2010-U+2027),
# the ideographic comma and full stop: what FTS5's unicode61 always reads as between words.
_PARTS = re.compile("[\\s\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\u2010-\u2027\u3000-\u3002]+")


# Scripts written without spaces between words (Chinese, Japanese; Thai, Lao, Myanmar and
# Khmer): FTS5 would take a whole run of them for one word, so that `叙利亚` could not find
# `叙利亚难民`, nor `ประเทศ` `ในประเทศไทย`. Each of their characters is indexed as a word of
# its own, and a searched run of them is their phrase.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f"
    "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f]"
)


def searched(text: str) -> str:
    """What FTS5 reads for `text`, in a query and in a turn: its fold, each character of a
    script written without spaces set apart by a space on either side."""
    folded = fold(text)
    return folded if folded.isascii() else _UNSPACED.sub(" \\g<0> ", folded)


def searched_places(text: str) -> list[int]:
    """Where the part of `searched(text)` that each character of `text` became starts, then
    its end (as `text.fold_places` does for the fold)."""
    places = fold_places(text)
    folded = fold(text)
    if folded.isascii() or not _UNSPACED.search(folded):
        return places
    added = [0, *itertools.accumulate(2 if _UNSPACED.match(c) else 0 for c in folded)]
    return [place + added[place] for place in places]


def _quoted(term: Term, words: int | None = None) -> str:
    if words is not None and is_long(term):
        return phrase(term.text, words)  # its first words: the last one whole, no prefix
    return phrase(term.text) + ("*" if term.prefix else "")


# Words of a phrase FTS5 is asked for: it takes time that grows with a phrase's length
# (seconds for a page of text pasted in), so a longer one is looked for by its first words
# and then checked in full (`Bounded`), as `verify` does.
PHRASE_WORDS = 32


def is_long(term: Term) -> bool:
    """Whether `term` is a phrase of more than PHRASE_WORDS words."""
    return term.phrase and _longer(term.text, PHRASE_WORDS)


@functools.lru_cache(maxsize=MAX_TERMS)
def _longer(text: str, words: int) -> bool:
    return phrase(text, words) != phrase(text)


def _groups(query: str) -> tuple[list[list[Term]], list[Term]]:
    """The query as an AND of OR-groups of terms, and the terms it excludes; a query with
    nothing to search for is a usage error."""
    items = parse_query(query)
    terms = [i for i in items if isinstance(i, Term)]
    if not any(not t.negated for t in terms):
        raise UsageError(
            "nothing to search for: give at least one word (see `deeply search --help`)"
        )
    if len(terms) > MAX_TERMS:
        raise UsageError(f"too many search terms ({len(terms)}; at most {MAX_TERMS})")
    groups: list[list[Term]] = []  # AND of OR-groups
    excluded: list[Term] = []
    join_next = False
    for item in items:
        if item == "OR":
            join_next = True
            continue
        assert isinstance(item, Term)
        if item.negated:
            excluded.append(item)
        elif join_next and groups:
            groups[-1].append(item)
        else:
            groups.append([item])
        join_next = False
    return groups, excluded


def _expression(groups: list[list[Term]], excluded: list[Term], words: int | None) -> str:
    ors = [[_quoted(t, words) for t in g] for g in groups]
    positive = " AND ".join("(" + " OR ".join(g) + ")" if len(g) > 1 else g[0] for g in ors)
    return positive + "".join(f" NOT {_quoted(e)}" for e in excluded)


def to_match(query: str) -> str:
    """The FTS5 expression; a query with nothing to search for is a usage error."""
    return _expression(*_groups(query), None)


@dataclass(frozen=True, slots=True)
class Bounded:
    """A query whose phrases FTS5 is asked for by their first PHRASE_WORDS words at most:
    `match` finds every turn the whole query finds, and some more when a phrase is long,
    which `keep` then drops. `exact` when no phrase is long (`match` is `to_match`'s)."""

    match: str
    exact: bool
    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    def keep(self, texts: dict[int, str], short: dict[int, set[int]]) -> set[int]:
        """Which of the turns `match` found (rowid -> the text the index holds for it) the
        whole query finds. `short`: for each group of `others`, the turns among them that
        a term of it that is not long finds."""
        kept = set()
        for rowid, text in texts.items():
            held = " " + " ".join(tokens(text)) + " "
            if all(
                rowid in short.get(k, ()) or _holds(g, held) for k, g in enumerate(self.groups)
            ) and not any(_has(e, held) for e in self.excluded if is_long(e)):
                kept.add(rowid)
        return kept

    def others(self) -> dict[int, str]:
        """For each group (by its place) that has a long phrase and other terms: FTS5's
        expression for those others (a turn one of them finds needs no check of the phrase)."""
        found = {}
        for k, group in enumerate(self.groups):
            terms = [_quoted(t) for t in group if not is_long(t)]
            if terms and len(terms) < len(group):
                found[k] = " OR ".join(terms)
        return found


def bounded(query: str) -> Bounded:
    """The query with its long phrases looked for by their first words (`Bounded`); a
    long phrase it excludes is left to `Bounded.keep`. Usage errors as `to_match`."""
    groups, excluded = _groups(query)
    match = _expression(groups, [e for e in excluded if not is_long(e)], PHRASE_WORDS)
    exact = not any(is_long(t) for t in (*excluded, *(t for g in groups for t in g)))
    return Bounded(match, exact, tuple(map(tuple, groups)), tuple(excluded))


def _holds(group: tuple[Term, ...], held: str) -> bool:
    """Whether a turn FTS5 found with `match` is one the group finds: a group with no long
    phrase is as FTS5 found it, one with a long phrase needs it whole."""
    if not any(is_long(t) for t in group):
        return True
    return any(_has(t, held) for t in group if is_long(t))


def _has(term: Term, held: str) -> bool:
    """Whether a turn whose FTS5 tokens are `held` (spaced, a space at either end) holds
    the long phrase `term` whole: its tokens, as FTS5 splits its text, in a row."""
    return " " + " ".join(_phrase_tokens(term.text)) + " " in held


@functools.lru_cache(maxsize=MAX_TERMS)
def _phrase_tokens(text: str) -> tuple[str, ...]:
    return tuple(tokens(searched(text)))


def tokens(text: str) -> list[str]:
    """The words FTS5's tokenizer makes of `text`, in order, as a turn or a phrase of a query
    is split (asked of FTS5 itself)."""
    conn = _tokenizer()
    with conn:
        conn.execute("DELETE FROM sample")
        conn.execute("INSERT INTO sample(rowid, text) VALUES (1, ?)", (text,))
        found = [term for (term,) in conn.execute("SELECT term FROM words ORDER BY offset")]
        conn.execute("DELETE FROM sample")
    return found


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_READ_APART: dict[str, bool] = {}  # character -> whether FTS5 reads it otherwise than `fold`
_LEARN_AT_ONCE = 4096  # new characters asked of FTS5 for one text
_LEARNED = 1 << 16


def indexed_text(text: str) -> str | None:
    """What the index holds in place of `text`: `searched(text)`, when FTS5 would read some
    character of it otherwise than that; None when the text can be indexed as it is."""
    if text.isascii():
        return None
    if not unicodedata.is_normalized("NFC", text):
        return searched(text)  # FTS5 reads a letter and its marks apart, `fold` composes them
    chars = set(_NOT_ASCII.findall(text))
    if any(_UNSPACED.match(char) for char in chars):  # a few characters, not the whole text
        return searched(text)
    unknown = chars.difference(_READ_APART)
    if len(unknown) > _LEARN_AT_ONCE or len(_READ_APART) + len(unknown) > _LEARNED:
        return fold(text)  # a page of thousands of new characters: its fold is always right
    if unknown:
        _learn(unknown)
    return fold(text) if any(_READ_APART[char] for char in chars) else None


def _learn(chars: set[str]) -> None:
    """Whether FTS5 splits a word holding each of `chars` into other words than the word's
    fold. Asked of FTS5 itself, all at once, so that the answer follows whatever tables the
    SQLite at hand tokenizes with; a character that folds to itself needs no asking."""
    asked = []
    for char in chars:
        if fold(char) == char:
            _READ_APART[char] = False
        else:
            asked.append(char)
    if not asked:
        return
    samples = [f"a{char}a" for char in asked]
    conn = _tokenizer()
    with conn:
        conn.execute("DELETE FROM sample")
        conn.executemany(
            "INSERT INTO sample(rowid, text) VALUES (?, ?)",
            [(2 * i + folded, fold(s) if folded else s) for i, s in enumerate(samples)
             for folded in (0, 1)],
        )  # fmt: skip
        tokens: dict[int, list[str]] = {}
        for doc, term in conn.execute("SELECT doc, term FROM words ORDER BY doc, offset"):
            tokens.setdefault(doc, []).append(term)
    for i, char in enumerate(asked):
        _READ_APART[char] = tokens.get(2 * i, []) != tokens.get(2 * i + 1, [])


@functools.cache
def _tokenizer() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute(f"CREATE VIRTUAL TABLE sample USING fts5(text, tokenize='{TOKENIZE}')")
    conn.execute("CREATE VIRTUAL TABLE words USING fts5vocab(sample, instance)")
    return conn


# FTS5's snippet() scores each place a match starts against every other match: seconds for a
# turn of a few thousand matching words, hours for a 5 MB one. Longer turns get a snippet cut
# here instead, around their first match.
LONG_TURN = 20_000  # characters


def long_snippet(folded: str, query: str, tokens: int = 32) -> tuple[str, ...]:
    """A snippet of a long turn's `searched` form, in `catalog.search`'s form (text, match,
    text, …): `tokens` words from a little before its first match of a searched term, each
    word of a term's match marked; "…" where the turn goes on. A term matches where all its
    words stand in a row, as in FTS5: a phrase, or a Chinese or Thai word (its characters),
    not each of its words wherever it is."""
    patterns = []
    for term in parse_query(query):
        if isinstance(term, Term) and not term.negated:
            words = WORDS.findall(searched(term.text))
            if words:
                last = re.escape(words[-1]) + (r"[^\W_]*" if term.prefix else "")
                body = r"[\W_]+".join([*map(re.escape, words[:-1]), last])
                patterns.append(re.compile(rf"{body}(?![^\W_])"))  # its start: `_matches`
    found = [m for p in patterns for m in itertools.islice(_matches(p, folded, 0), 1)]
    if found:
        first = min(m.start() for m in found)
        before = deque(WORDS.finditer(folded, 0, first), maxlen=tokens // 4)
        window = [*before, *itertools.islice(WORDS.finditer(folded, first), tokens - len(before))]
    else:  # no term of the query in the text (a NOT query): its start
        window = list(itertools.islice(WORDS.finditer(folded), tokens))
    if not window:
        return (folded[:200],)
    marked: set[int] = set()  # where the words of the terms' matches in the window start
    for pattern in patterns:
        for m in _matches(pattern, folded, window[0].start()):
            if m.start() >= window[-1].end():
                break
            marked.update(w.start() for w in WORDS.finditer(folded, m.start(), m.end()))
    parts: list[str] = []
    plain = "…" if window[0].start() > 0 else ""
    at = window[0].start()
    for m in window:
        if m.start() in marked:
            gap = folded[at : m.start()]
            if len(parts) > 1 and _unspaced_gap(gap) and _UNSPACED.match(m.group()):
                parts[-1] += gap + m.group()  # characters set apart by `searched`: one match
            else:
                parts += [plain + gap, m.group()]
            plain, at = "", m.end()
    tail = "…" if window[-1].end() < len(folded.rstrip()) else ""
    parts.append(plain + folded[at : window[-1].end()] + tail)
    return tuple(parts)


def _matches(pattern: re.Pattern[str], text: str, start: int) -> Iterator[re.Match[str]]:
    """The matches of a term's pattern that start a word. (A pattern that began by looking
    behind it would be tried at every place of the text, not only where its first word is:
    seconds for a few dozen terms in a 5 MB turn.) Overlapping ones too (`a b a` in
    `a b a b a`), as FTS5 marks them."""
    while (m := pattern.search(text, start)) is not None:
        if m.start() == 0 or not _WORD.match(text, m.start() - 1):
            yield m
        start = m.start() + 1


def _unspaced_gap(gap: str) -> bool:
    """Whether `gap`, between two characters of a script written without spaces, is what
    `searched` set between them: spaces, and the marks of the first (`ผู้`: ู and ้)."""
    return all(c.isspace() or unicodedata.category(c)[0] == "M" for c in gap)
