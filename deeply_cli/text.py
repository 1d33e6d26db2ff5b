"""Small pure string helpers shared by the parser, the archive and the index."""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_SPACES = re.compile(r"[^\S\n]+")
_WORD_BREAKS = re.compile(r"[\s-]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"[’'‘`´]")
WORDS = re.compile(r"[^\W_]+")  # words as FTS5 splits a text: runs of letters and digits
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def normalize_ws(text: str) -> str:
    """No-break and other Unicode spaces become spaces; runs collapse; ends are trimmed, of
    the characters that print as nothing too (a zero-width space or a byte-order mark that
    a scraped page leaves before a label)."""
    if text.isascii() and not (
        "  " in text or "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text
    ):
        return text.strip()  # the common case: nothing inside the line to change
    # Without a newline, the same as the pattern (`\s` is str.isspace), and faster.
    text = " ".join(text.split()) if "\n" not in text else _SPACES.sub(" ", text).strip()
    return strip_blank(text) if text[:1] in BLANK or text[-1:] in BLANK else text


# Characters that print as nothing and may stand around a paragraph or a label's name.
BLANK = "\u200b\u200c\u200d\u2060\ufeff"


def strip_blank(text: str) -> str:
    """Text less the spaces and the characters that print as nothing at its ends."""
    return text.strip(" " + BLANK)


def fold(text: str) -> str:
    """Case- and accent-insensitive form, for matching names and words: `Kılıçdaroğlu`,
    `ŁÓDŹ`, `Straße`, `ﬁghting` and `CO₂` fold to `kilicdaroglu`, `lodz`, `strasse`,
    `fighting` and `co2`; a printed apostrophe (`O’Brien`) is a typed one (`o'brien`).

    Each character folds on its own (`fold_places`): a symbol or a private-use character (an
    icon font's glyph) to a space (`WhatsApp™` to `whatsapp `), a compatibility form to its
    plain letters or digits, and marks are dropped where they are accents (see `_ACCENTED`).
    A letter written with its marks apart (not in NFC) folds as the letter composed, its
    marks to nothing."""
    if text.isascii():
        return text.casefold()
    if _apart(text):
        return "".join(_pieces(text))
    return text.translate(_FOLDS)


def fold_places(text: str) -> list[int]:
    """Where the fold of each character of `text` starts in `fold(text)`, then its end."""
    if text.isascii():
        return list(range(len(text) + 1))
    apart = _apart(text)
    pieces: Iterable[str] = _pieces(text) if apart else map(_FOLDS.__getitem__, map(ord, text))
    return [0, *itertools.accumulate(map(len, pieces))]


# Kana sound marks: half-width (ｶﾞ, ﾊﾟ) or combining. Each folds on its own to a combining
# mark, which would stay apart from its letter (カ and a mark, not ガ): see `_pieces`.
_SOUND_MARKS = re.compile("[\u3099\u309a\uff9e\uff9f]")


def _apart(text: str) -> bool:
    """Whether some letter of `text` is written apart from the marks that make it: not in NFC,
    or a kana with a sound mark that only NFKC composes (`ｶﾞ`, `ｶ\u3099`)."""
    return not unicodedata.is_normalized("NFC", text) or _SOUND_MARKS.search(text) is not None


def _pieces(text: str) -> list[str]:
    """The fold of each character of a text written apart (`_apart`): a character and the
    marks (or Hangul vowels and finals, or kana sound marks) after it, which NFC or NFKC
    may compose with it, fold together as composed."""
    pieces: list[str] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end < len(text) and _composes(text[end]):
            continue
        piece = unicodedata.normalize("NFC", text[start:end]).translate(_FOLDS)
        if end - start > 1 and _SOUND_MARKS.search(piece):  # `ｶﾞ` folds to カ and a mark: ガ
            piece = unicodedata.normalize("NFC", piece)
        pieces.append(piece)
        pieces += [""] * (end - start - 1)
        start = end
    return pieces


def _composes(char: str) -> bool:
    return (
        unicodedata.category(char)[0] == "M"
        or "\u1160" <= char <= "\u11ff"
        or char in "\uff9e\uff9f"  # half-width sound marks (Lm), which NFKC composes
    )


class _Folds(dict[int, str]):
    """Each character's fold, as `str.translate` wants it, worked out when first met; kept
    for the first _KEPT_FOLDS characters, so that a page of every code point costs time but
    never a table of a million folds."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < _KEPT_FOLDS:
            self[code] = folded
        return folded


_KEPT_FOLDS = 1 << 16


_FOLDS = _Folds()
# Where a mark on a letter is an accent that a search ignores: Latin (with the combining marks,
# ligatures and full-width forms), Greek, Cyrillic, Hebrew and Arabic (vowel points, and the
# presentation forms). Elsewhere a mark makes another letter (Hangul, kana, Indic scripts): only
# case and compatibility forms (`²`, `①`, half-width kana) fold.
_ACCENTED = (
    (0x00C0, 0x036F), (0x0370, 0x052F), (0x0590, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF),
    (0x1E00, 0x1FFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xAB30, 0xAB6F), (0xFB00, 0xFDFF),
    (0xFE70, 0xFEFF), (0xFF01, 0xFF5E),
)  # fmt: skip
_OWN_LETTERS = frozenset("йЙїЇўЎѓЃќЌ")  # Cyrillic letters, not и, і, у, г, к with an accent
# Letters with their mark inside (a stroke, no dot) or two letters joined, which Unicode does
# not decompose: written as a plain keyboard would write them.
_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ƚ": "l", "ɨ": "i"}
    | {"æ": "ae", "œ": "oe", "þ": "th"}
)


# Characters that print as nothing inside a word: a soft hyphen, zero-width (non-)joiners, a
# word joiner, direction marks (all format characters, Cf), variation selectors, and the
# Arabic tatweel that only stretches a word. FTS5 reads most of them as a space, so that
# `inter\u00adnational` would be two words, and the tatweel as a letter: they fold to nothing.
# A zero-width space is left to part words, as it is meant to.
_INVISIBLE = frozenset(
    "\u034f\u0640\u180b\u180c\u180d\u180f"
    + "".join(map(chr, [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
)


# Apostrophes as printed (`O’Brien`, `Hayʼat`): the one a plain keyboard types.
_APOSTROPHE_FORMS = frozenset("’‘‛ʼ")


def _fold_char(char: str) -> str:
    """The character's fold, whose own letters and marks fold to themselves: a form that
    becomes other letters becomes their folds (`ŉ` to `ʼn` to `'n`, `ϒ` to `Υ` to `υ`, `ᵆ`
    to `æ` to `ae`), so that its fold, typed, finds it."""
    folded = _fold_once(char)
    if folded == char:
        return folded
    return "".join(_fold_once(c) if unicodedata.category(c)[0] in "LM" else c for c in folded)


def _fold_once(char: str) -> str:
    if char in _APOSTROPHE_FORMS:
        return "'"
    category = unicodedata.category(char)
    if (category == "Cf" and char != "\u200b") or char in _INVISIBLE:
        return ""
    if category[0] == "S" and char > "\x7f":  # `™`, `№`, `₽`, emoji: between words
        return " "
    if category == "Co":  # an icon font's glyph (`\uf099Follow`), which FTS5 reads as a letter
        return " "
    if char in _OWN_LETTERS or category[0] not in "LMN":
        return char.casefold()
    code = ord(char)
    if any(start <= code <= end for start, end in _ACCENTED):
        decomposed = unicodedata.normalize("NFKD", char.casefold())
        return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)
    return unicodedata.normalize("NFKC", char).casefold()  # `²`, `①`, `Ⅻ`, `𝐁`, half-width kana


def without_article(surname: str) -> str:
    """`al-assad` -> `assad`: a folded surname less the Arabic article it may carry."""
    article, dash, rest = surname.partition("-")
    return rest if dash and rest and article in ("al", "el", "ul") else surname


def slugify(text: str, limit: int = 100) -> str:
    """URL-style slug: folded, apostrophes dropped, other runs of non-alphanumerics as '-'."""
    slug = _NOT_SLUG.sub("-", _APOSTROPHES.sub("", fold(text))).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def initials(name: str) -> str:
    """'Jane Doe' -> 'JD'; 'Syria Deeply' -> 'SD'; particles such as 'al-' are skipped."""
    words = _WORD_BREAKS.split(name)
    return "".join(w[0] for w in words if w and w[0].isupper())


def visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    return "␡" if code == 0x7F else f"<U+{code:04X}>"


def sanitize(value: str) -> str:
    """Control characters and bidi overrides in visible form; everything else as written."""
    return _CONTROL.sub(lambda m: visible(m.group(0)), value)


def markdown_text(value: str) -> str:
    """Text that Markdown shows as written: what it would read as markup is escaped (`*`,
    `_`, `<`, a link's `](`, an entity's `&` …, and `#`, `-`, `1986.` where a line starts),
    so an article's `* not a bullet` or `[link](javascript:…)` stays text."""
    escaped = _MD_INLINE.sub(r"\\\1", value)
    return _MD_LINE_START.sub(_escape_line_start, escaped)


# What Excel and LibreOffice take for the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: article text that starts as a formula would
    (`=HYPERLINK(…)`, `+`, `-`, `@`, tab, CR) gets a leading `'`; anything else as it is."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_table(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A header and rows as CSV, each text cell guarded by `spreadsheet_cell`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark = match.groups()
    return indent + (mark + "\\" if mark[0].isdigit() else "\\" + mark)


# `[these]` stays as editors print it: only a `]` that would close a link's text (`](`, `][`,
# `]:`) is escaped, which is enough for no link to form; `&` only where it starts an entity.
_MD_INLINE = re.compile(r"([\\`*_<>|]|\](?=[(\[:])|&(?=#?\w+;))")
_MD_LINE_START = re.compile(r"^([ \t]*)([#+=~-]|\d+(?=[.)]))", re.MULTILINE)
