"""Page furniture: banner, footer, debris, byline and caption (pure functions over paragraphs)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from deeply_cli.labels import person_shaped
from deeply_cli.model import Removed
from deeply_cli.text import fold


class Para(NamedTuple):
    """A non-blank line of the page. A named tuple: one is built per line, and cheaply."""

    text: str
    line: int
    joined: bool = False  # separated from the paragraph before by a single newline


# -- banner -----------------------------------------------------------------------------------
_DEAR = re.compile(r"^Dear\b[^.!?]{0,60},$", re.IGNORECASE)
_NOTICE = re.compile(
    r"^(?:Welcome to the archives of|We continue to produce events|While we paused)", re.IGNORECASE
)
_BANNER_END = re.compile(r"(?:email\s*protected\]?|do so at:?)[\s.>)]*$", re.IGNORECASE)
_PUBLICATION = re.compile(r"\barchives of ((?:[A-Z][\w&’'-]*\s)+?Deeply)\b")
_SIGNATURE = re.compile(r"^[A-Z][^,.:;!?]{1,60}(?:,\s*[^,.:;!?]{2,80}){1,3}$")


def is_signature(text: str) -> bool:
    """`Jane Doe, Editor, Syria Deeply`, `Jane Doe and Tom Roe, Co-Founders, News Deeply` or
    `— The Syria Deeply Team` under a letter."""
    text = text.lstrip("—–- ")
    if _TEAM.match(text):
        return True
    names = _AND.split(text.split(",")[0])
    return bool(_SIGNATURE.match(text)) and all(map(person_shaped, names))


_AND = re.compile(r",? (?:and|&) ")
_TEAM = re.compile(r"(?:The )?(?:[A-Z][\w’'-]* ){1,4}(?:Team|Editors|Staff)$")


def strip_banner(paras: Sequence[Para], byline_at: int | None) -> tuple[int, str | None]:
    """The archive notice ("Dear Deeply Readers," … "[email protected]") or a farewell letter.

    Returns how many leading paragraphs are banner, and the publication it names.
    """
    publication = next((m.group(1) for p in paras[:6] if (m := _PUBLICATION.search(p.text))), None)
    if not paras or not (_DEAR.match(paras[0].text) or _NOTICE.match(paras[0].text)):
        return 0, publication
    for i, para in enumerate(paras[:8]):
        if _BANNER_END.search(para.text):
            # A letter signed before it: the address is the dek's (`Tips: <[email protected]>`).
            signed = [j for j in range(1, i) if is_signature(paras[j].text)]
            return (signed[-1] if signed else i) + 1, publication
    # A farewell letter: it ends at its last signature line before the title.
    limit = byline_at if byline_at is not None else len(paras)
    signatures = [i for i in range(1, limit - 1) if is_signature(paras[i].text)]
    if signatures:
        return signatures[-1] + 1, publication
    notices = [
        i for i in range(limit) if _DEAR.match(paras[i].text) or _NOTICE.match(paras[i].text)
    ]
    if byline_at is not None:
        return max(notices[-1] + 1, byline_at - 2), publication
    return notices[-1] + 1, publication


# -- footer -----------------------------------------------------------------------------------
_FOOTER = re.compile(
    r"^(?:Suggest your story or issue\.?|Share Your Story\.?|Have a story idea\?.*|Learn more\.?)$",
    re.IGNORECASE,
)


def footer_start(paras: Sequence[Para], extra: frozenset[str] = frozenset()) -> int:
    """Index where the trailing site footer ("Suggest your story or issue." …) begins."""
    end = len(paras)
    while end > 0 and (
        _FOOTER.match(paras[end - 1].text)
        or paras[end - 1].text in extra
        or is_link_definition(paras[end - 1].text)  # a Markdown page's links, after its footer
    ):
        end -= 1
    return end


# -- debris -----------------------------------------------------------------------------------
# A tag's attributes are `name=value` pairs (values quoted straight, curly or with a prime,
# as pages print them: `<div source=’picture’ id=’1234′ />`, `width=”640″`) or a few known
# flags, so that text such as `a<b and c>d` is not taken for a tag and lost.
_VALUE = r"\"[^\"<>]*\"|'[^'<>]*'|[“”][^“”″<>]*[“”″]|[‘’′][^‘’′<>]*[‘’′]|[^\s<>\"'“”″‘’′]+"
_ATTRIBUTE = (
    rf"[\w:.-]+\s*=\s*(?:{_VALUE})"
    r"|allowfullscreen|async|defer|hidden|nowrap|disabled|checked|selected|controls|autoplay"
)
_TAG = (
    r"</?(?:div|span|a|p|br|img|strong|em|b|i|u|iframe|figure|figcaption|blockquote|h[1-6]"
    rf"|ul|ol|li|script|style|sup|sub|font|center|table|tr|td)(?:\s+(?:{_ATTRIBUTE}))*\s*/?>"
    r"|<!(?:--|–|—)\s*more\s*(?:--|–|—)?>"
)
_IMAGE = (
    r"\[!\[[^\]]{0,500}\](?:\[\d*\]|\([^)]{0,2000}\))\](?:\[\d*\]|\([^)]{0,2000}\))"
    r"|!\[[^\]]{0,500}\](?:\[\d*\]|\([^)]{0,2000}\))"
)
_DEBRIS = re.compile(rf"(?:{_TAG}|{_IMAGE})", re.IGNORECASE)
_LINK_DEF = re.compile(r"^\[\d+\]:\s*\S+$")


def is_link_definition(text: str) -> bool:
    return bool(_LINK_DEF.match(text))


def strip_debris(para: Para) -> tuple[Para | None, list[Removed]]:
    """Picture placeholders, raw HTML tags and Markdown image debris, glued or alone."""
    if is_link_definition(para.text):
        return None, [Removed("debris", para.text, para.line)]
    if "<" not in para.text and "![" not in para.text:
        return para, []
    removed = [Removed("debris", m.group(0), para.line) for m in _DEBRIS.finditer(para.text)]
    if not removed:
        return para, []
    rest = re.sub(r"\s+", " ", _DEBRIS.sub(" ", para.text)).strip()
    if not rest:
        return None, [Removed("debris", para.text, para.line)]
    return Para(rest, para.line, para.joined), removed


# -- dek without a byline ----------------------------------------------------------------------
def dek_leads(lead: Sequence[str], speakers: Collection[str], roundup: bool) -> bool:
    """On a page with no byline, whether the first of the paragraphs between the title and
    the first turn is the dek (the standfirst) rather than the intro's start.

    It is when it names no speaker and the first turn follows it, when the paragraph after
    it opens the intro (names a speaker, or asks a round-up's framing question), or when it
    does not and a later one does. An intro of several paragraphs that opens by naming the
    speaker has no dek.
    """
    if not lead or not speakers:
        return False
    keys = {k for name in speakers for k in (fold(name), fold(name).rsplit(" ", 1)[-1])}
    keys = {key: frozenset(_WORD.findall(key)) for key in keys if len(key) > 2}
    opens = [_names_a_speaker(text, keys) or (roundup and "?" in text) for text in lead]
    if len(lead) == 1:  # one paragraph that names who answers is an intro, as pages write it
        return not opens[0]
    return opens[1] or (not opens[0] and any(opens[2:]))


_WORD = re.compile(r"\w+")


def _names_a_speaker(text: str, keys: Mapping[str, frozenset[str]]) -> bool:
    """Whether a speaker's full name or surname (folded, by its words) is a word of the
    text. Only a name whose every word is one of the text's is looked for: a page of
    thousands of speakers looked for each through the whole paragraph."""
    folded = fold(text)
    words = set(_WORD.findall(folded))
    return any(
        re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded)
        for key, needed in keys.items()
        if needed <= words
    )


# -- byline -----------------------------------------------------------------------------------
_BYLINE = re.compile(
    r"^(?:Written by\s*(?P<authors>.*?)\s*(?=Published on|Read time|$))?"
    r"(?:Published on\s*(?P<date>.*?)\s*(?=Read time|$))?"
    r"(?:Read time:?\s*(?:Approx\.?\s*)?(?P<minutes>\d+)\s*min(?:ute)?s?\.?"
    r"(?:\s+[^\W\d][^\d]{0,30}?)?)?\s*$",  # `… 6 minutes read`, `… 6 min to read`
    re.IGNORECASE,
)
_BYLINE_START = re.compile(r"(?:Written by|Published on)\b", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
_NAME_SUFFIX = re.compile(r"(?:Jr|Sr|Ph\.?D|MD|M\.D)\.?|I{2,3}|IV", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Byline:
    authors: tuple[str, ...]
    published: dt.date | None
    read_minutes: int | None


def read_byline(text: str) -> Byline | None:
    """`Written by A, B & C Published on DATE Read time Approx. N minutes`, any part optional."""
    if not _BYLINE_START.match(text) or len(text) > 400:
        return None
    match = _BYLINE.match(text)
    if not match:
        return None
    authors: list[str] = []
    for author in _AUTHOR_SPLIT.split(match.group("authors") or ""):
        if authors and _NAME_SUFFIX.fullmatch(author):
            authors[-1] += f", {author}"  # `John Smith, Jr.` is one author
        elif author:
            authors.append(author)
    minutes = match.group("minutes")
    date = parse_date(match.group("date") or "")
    return Byline(tuple(authors), date, int(minutes) if minutes else None)


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
# An optional weekday (`Tuesday, March 8, 2016`) and ordinal (`March 8th`, `8th of March`).
_WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
# A time after the date (`March 8, 2016 10:30`, `…, at 3:15 p.m. EST`): read past, not kept.
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
_DATE_MDY = re.compile(
    rf"^{_WEEKDAY}([A-Za-z]{{3,9}})\.?\s+{_DAY},?\s+(\d{{4}}){_TIME}$", re.IGNORECASE
)
_DATE_DMY = re.compile(
    rf"^{_WEEKDAY}{_DAY}(?:\s+of)?\s+([A-Za-z]{{3,9}})\.?,?\s+(\d{{4}}){_TIME}$", re.IGNORECASE
)


def parse_date(text: str) -> dt.date | None:
    """'Mar. 8, 2016', 'March 8th, 2016', 'Tuesday, 8 March 2016' or '2016-03-08'; else
    None, never a guess."""
    text = text.strip()
    try:
        if m := _DATE_MDY.match(text):
            return dt.date(int(m[3]), _month(m[1]), int(m[2]))
        if m := _DATE_DMY.match(text):
            return dt.date(int(m[3]), _month(m[2]), int(m[1]))
        return _iso_date(text) if text else None
    except (KeyError, ValueError):
        return None


def _month(word: str) -> int:
    """`Mar`, `March`, `Sept`: a month's name or its start; `Marx` is none (KeyError)."""
    word = word.casefold()
    if word != "sept" and not any(name.startswith(word) for name in _MONTH_NAMES):
        raise KeyError(word)
    return _MONTHS[word[:3]]


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def _iso_date(text: str) -> dt.date | None:
    """`2016-03-08`, also with a time (`2016-03-08T10:30:00Z`), as some exports print it."""
    match = _ISO_DATE.fullmatch(text)
    return dt.date(*map(int, match.groups())) if match else None


# -- caption ----------------------------------------------------------------------------------
# The lookahead holds every credit's first letter: other positions fail at once.
_CREDIT = re.compile(
    r"(?=[vargepcfi/©])(?:\b(?:via AP|AFP|Reuters|AP Photo|EPA|Anadolu|Photo(?:graph)? by"
    r"|Photo(?:graph)? courtesy|Courtesy|Copyright)\b|\bCredit:|\b(?:Photo(?:graph)?|Image)\s*:"
    r"|©|\bfor (?:[A-Z][\w&’'-]* ){1,3}Deeply\b|Getty Images|/AP\b|^Photo(?:graph)?\b)",
    re.IGNORECASE,
)


def is_caption(para: Para, blank_separated: bool, after: str = "") -> bool:
    """A photo caption: right after the byline, on the next line, or ending with a credit,
    or the photographer's name alone (`Karam Al-Masri`) unless the paragraph `after` it is
    about that person (a contributors page: the name, then a profile).

    A credit inside a sentence (`a former Reuters correspondent`) or a question is not one.
    """
    text = para.text
    if len(text) > 400 or text.endswith("?"):
        return False
    if blank_separated and para.joined:
        return True
    if names := _names_only(text):
        words = {fold(word) for name in names for word in name.split()} | _PRONOUNS
        return fold(after).partition(" ")[0].strip(",’'s") not in words
    if _PHOTOGRAPHER.match(text) or _name_slash_outlet(text):
        return True
    tail = len(text.rstrip(" .)]")) - _CREDIT_TAIL
    return any(
        (m.start() == 0 and not _SENTENCE_AFTER.match(text, m.end()))
        or (
            m.end() >= tail
            and not _LOWER_WORD.search(text, m.end())  # nothing said after it
            and not _PROSE_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
        )
        or _opens_a_sentence(text, m)
        for m in _CREDIT.finditer(text)
    )


def _names_only(text: str) -> list[str]:
    """`Karam Al-Masri`, `Jane Roe and John Doe`: the names, if the text is people's names
    and nothing else."""
    names = _NAME_LIST.split(text)
    return names if all(person_shaped(name) for name in names) else []


_NAME_LIST = re.compile(r"\s*(?:/|,|&|\band\b)\s*")
_PRONOUNS = frozenset(("he", "she", "they", "his", "her", "their"))


def _opens_a_sentence(text: str, credit: re.Match[str]) -> bool:
    """`… in Aleppo. Photo by Jane Roe, taken in May.`: a photo credit opening a sentence."""
    before = text[: credit.start()].rstrip()
    return before.endswith((".", "(")) and credit.group().casefold().startswith(
        ("photo", "courtesy", "credit", "image", "copyright", "©")
    )


_CREDIT_TAIL = 30  # characters from the end of a caption within which its credit ends
_LOWER_WORD = re.compile(r"\s[a-z]")
# `…, according to Reuters.`, `… she told AFP.`: the agency is what a sentence's verb or
# preposition names, not a credit (`Photo by Jane Roe/AFP`, `courtesy of Reuters` are).
_PROSE_BEFORE = re.compile(r"(?<!\S)(?!(?:by|of|via|for)\s)[a-z]+\s+$")
# `Reuters reported on Tuesday …` opens an intro, not a caption (`AFP/Jane Roe`, `Courtesy of …`)
_SENTENCE_AFTER = re.compile(r"\s+(?!(?:of|by|via|courtesy|photo)\b)[a-z]")
# `GHAITH ABDUL-AHAD/Guardian`: a name of two words or more in capitals, then its outlet
_PHOTOGRAPHER = re.compile(r"[A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]*)+/[^\s:][^:\n]{0,80}$")
# `Sam Tarling/Oxfam`, `UNICEF/Al-Issa`, `… in Idlib. UNHCR/Andrew McConnell`: capitalised
# words, a slash and capitalised words, alone or after a sentence, end the paragraph.
_SLASH_CREDIT = re.compile(r"(?:^|[.!] | \()([^/.!()]{1,60})/([^/()]{1,60}?)\)?\.?$")


def _name_slash_outlet(text: str) -> bool:
    match = _SLASH_CREDIT.search(text)
    if match is None:
        return False
    words = f"{match.group(1)} {match.group(2)}".split()
    return len(words) <= 8 and all(
        word[0].isupper() or word.startswith(("al-", "el-")) or word in ("de", "van", "von")
        for word in words
    )
