"""Small pure string helpers shared by the parser, the archive and the index."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[^\S\n]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"[’'‘`´]")


def normalize_ws(text: str) -> str:
    """No-break and other Unicode spaces become spaces; runs collapse; ends are trimmed."""
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form, for matching names and words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str, limit: int = 100) -> str:
    """URL-style slug: folded, apostrophes dropped, other runs of non-alphanumerics as '-'."""
    slug = _NOT_SLUG.sub("-", _APOSTROPHES.sub("", fold(text))).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def initials(name: str) -> str:
    """'Jane Doe' -> 'JD'; 'Syria Deeply' -> 'SD'; particles such as 'al-' are skipped."""
    words = re.split(r"[\s-]+", name)
    return "".join(w[0] for w in words if w and w[0].isupper())
