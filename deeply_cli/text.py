"""Small pure string helpers shared by the parser, the archive and the index."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[^\S\n]+")
_WORD_BREAKS = re.compile(r"[\s-]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"[’'‘`´]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def normalize_ws(text: str) -> str:
    """No-break and other Unicode spaces become spaces; runs collapse; ends are trimmed."""
    if text.isascii() and not (
        "  " in text or "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text
    ):
        return text.strip()  # the common case: nothing inside the line to change
    if "\n" not in text:
        return " ".join(text.split())  # the same as below (`\s` is str.isspace), and faster
    return _SPACES.sub(" ", text).strip()


# Letters that carry their mark inside (a stroke, a dotless i) or join two letters, which
# Unicode does not decompose: written as a reader would type them on a plain keyboard.
_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ƚ": "l", "ɨ": "i"}
    | {"æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form, for matching names and words: `Kılıçdaroğlu`,
    `ŁÓDŹ`, `Straße` and `ﬁghting` fold to `kilicdaroglu`, `lodz`, `strasse`, `fighting`.

    Each character folds on its own, so a text's fold is its characters' folds joined."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)


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
