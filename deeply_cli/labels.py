"""The shapes of speaker labels: where a label ends, and whether it looks like a person."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from deeply_cli.text import initials, strip_blank

MAX_LABEL = 240  # characters scanned for a label's colon; keeps the parser linear

# The quotes that may close a quotation, by its opening quote: pages mix curly and straight
# ones (`“Syria: A History"`), so either form closes.
_CLOSE_QUOTES = {"“": '”"', "„": '“”"', "«": "»", '"': '"”'}
# What split_label stops at: an opening quote (a straight `'` only where a word starts), a
# colon, or a sentence end before a space.
_LABEL_STOP = re.compile(r"[“„«\"‘:]|(?<!\w)'(?=\w)|[.?!](?= )")
# The ’ or ' that closes a ‘…’ or '…' quotation, not an apostrophe inside a word (`Syria’s`).
_CLOSE_SINGLE = re.compile(r"[’'](?!\w)")

_INTERVIEWER = re.compile(
    r"^(?:(?:The\s+)?Question|Q|[A-Z]{1,3}D(?:\s+[Aa]sks)?"
    r"|(?P<publication>(?:[A-Z][\w&’'-]*\s+){0,3}Deeply)(?:\s+[Aa]sks)?)$"
)
_PARTICLES = frozenset(
    """
    al el bin bint ibn abu abou de del della da das do dos du van von der den ter la le di y
    ben st. mc
    """.split()
)
_CAPITALISED = re.compile(r"^(?:(?:al|el|ad|ar|as|ash|at|az|an|ibn|bin|abu|d|l)[-’'])?[^\W\d_a-z]")
# Marks that letters carry (Python's \w has no combining marks): accents written apart,
# Arabic vowel marks, and the vowel signs of Indic, Thai and other scripts' names.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u08d3-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u1ab0-\u1aff"
    "\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_NAME_TOKEN = re.compile(
    rf"^(?:[A-Z]\.|(?:(?:al|el|Al|El|Abu|Bin|Ibn)-)?[^\W\d_][\w{_MARKS}’'.-]*)$"
)
_NOT_NAMES = frozenset(
    """
    note editor editor’s editor's update updated correction clarification photo photos
    source sources related read more reading recommended further suggested see also top
    image video map chart graphic warning disclaimer disclosure background context summary
    answer question part chapter step day week one two three four five first second third
    finally why what how when where who which the this that these those a an in on at for to
    of and or but if as by with from our my your his her their its we i you he she they it
    here there breaking exclusive analysis opinion interview transcript caption credit image
    courtesy january february march july september october november
    december monday tuesday wednesday thursday friday saturday sunday translation translated
    listen watch sign subscribe share follow contact email phone tel fax address website web
    click
    """.split()
)
_ORG_WORDS = frozenset(
    """
    institute institution council group center centre organization organisation foundation
    agency ministry university committee network office report news times post journal
    nations commission association project observatory watch international press tribune
    herald review magazine radio television tv channel company corporation bank fund program
    programme department government army forces front coalition party movement brigade
    brigades state province governorate district countryside
    """.split()
)
# First words of group and place names (`Jaish al-Islam:`, `Eastern Ghouta:` as lead-ins in
# an answer), never of a person's name with more words after them.
_PLACE_OR_GROUP_FIRST = frozenset(
    "islamic jaish jaysh jabhat ahrar harakat liwa faylaq failaq eastern western"
    " northern southern deir jabal jebel kafr bab ras khan tell".split()
)
# Groups whose first word is also a given name (`Hayat`, `Tahrir`, `Nour`): known by more.
_GROUP_START = re.compile(
    r"(?:hay[’']?at tahrir|tahrir al-sham|nour al-din al-zenki|jund al-)", re.IGNORECASE
)
_DATELIKE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?\d{4}\b"
    r"|\b\d{4}\b"
)
# `Jane Doe, who runs the clinic, said:` and `Jane Doe, a nurse, remembers:` are prose that
# introduces a quotation; `…, a journalist who (now) writes about Syria:` is a role, the verb
# being a relative clause's (`_prose`).
_SAYING = re.compile(
    r"\b(?:said|says|say|told|tells|tell|explained|explains|added|adds|wrote|writes|argued"
    r"|argues|asked|asks|noted|notes|stated|states|spoke|speaks|replied|answered|warned"
    r"|summed|sums|put it|puts it|recalled|recalls|insisted|insists|observed|observes"
    r"|commented|comments|responded|responds|concluded|concludes|cautioned|cautions"
    r"|acknowledged|acknowledges|admitted|admits|pointed out|points out|remembers|remembered"
    r"|recounts|recounted|describes|described|reflects|reflected|continues|continued"
    r"|remarks|remarked|claims|claimed|believes|believed|suggests|suggested|wonders|wondered"
    r"|urges|urged|predicts|predicted|tweeted|posted)\b"
)
_RELATIVE = re.compile(r"\b(?:who|that|which|whose)\b")


class Label(NamedTuple):
    """A candidate label at the start of a paragraph (a named tuple: one per paragraph)."""

    printed: str  # as printed, before the colon
    name: str  # the part before any affiliation
    affiliation: str | None
    rest: str  # the paragraph's text after the colon ('' for a label on its own line)
    has_colon: bool = True


def split_label(text: str) -> Label | None:
    """Find `Label: text` at a paragraph start; a colon inside quotation marks does not end it.
    Markdown's bold or italic label (`**Label:** text`, `__Label__: text`, `*Label:* text`)
    is a label too, and so is one inside a paragraph set in emphasis (`**Label: text?**`),
    or in a Markdown quote (`> **Label:** text`, `> Label: text`)."""
    if text[:1] == ">":
        return split_label(_QUOTE_MARKS.sub("", text, count=1))
    if text[:1] in "*_":
        if bold := _BOLD_LABEL.match(text, 0, MAX_LABEL):
            return _make_label(bold["label"].strip(), text[bold.end() :].strip(), True)
        marks = _MARKS_OPEN.match(text)
        if marks and len(text) > 2 * marks.end() and text.endswith(marks.group()):
            inner = split_label(text[marks.end() : -marks.end()].strip())
            return inner if inner and inner.rest else None
    if text.find(":", 0, MAX_LABEL) < 0:
        return None  # most paragraphs: no colon within reach
    at = 0
    while match := _LABEL_STOP.search(text, at, MAX_LABEL + 1):  # +1: the space after a stop
        i, char = match.start(), match.group()[0]
        if i >= MAX_LABEL:
            return None
        if char in _CLOSE_QUOTES:
            at = _closing_quote(text, i + 1, _CLOSE_QUOTES[char]) + 1
            if not at:
                return None  # the quotation runs past the label's reach
        elif char in "‘'":  # also written for an elided letter (`‘90s`): then not a quotation
            close = _CLOSE_SINGLE.search(text, i + 1, MAX_LABEL)
            at = close.end() if close else i + 1
        elif char == ":":
            after = text[i + 1 : i + 2]
            if after and not (after.isspace() or after.isupper() or after in "“\"‘'"):
                return None  # 10:30, http://, Bonsey:isis
            if _subtitle_follows(text, i):
                at = i + 1
                continue
            return _make_label(strip_blank(text[:i]), text[i + 1 :].strip(), True)
        elif not abbreviation(text, i):
            return None  # a sentence ended before any colon
        else:
            at = i + 1
    return None


def _closing_quote(text: str, start: int, closers: str, reach: int = MAX_LABEL) -> int:
    """Where the first of `closers` stands from `start` within a label's reach, or -1."""
    found = [at for close in closers if (at := text.find(close, start, reach)) >= 0]
    return min(found, default=-1)


_OPEN_QUOTE = re.compile(r"[“„«\"‘]|(?<!\w)'(?=\w)")


def unquoted(text: str) -> tuple[str, str]:
    """`text` as two strings of its length, to find where a phrase stops outside quotation
    marks: the text with a comma or period printed inside a closing quote put after it
    (`“Syria: A History,” about` -> `“Syria: A History”, about`), and the same with what the
    quotation marks hold blanked to letters, so that its colons, commas and question marks
    stop nothing. A quote that does not close is no quotation."""
    if not _OPEN_QUOTE.search(text):
        return text, text
    moved, plain = list(text), list(text)
    at = 0
    while match := _OPEN_QUOTE.search(text, at):
        start = match.end()
        if match.group() in "‘'":
            close = _CLOSE_SINGLE.search(text, start)
            end = close.start() if close else -1
        else:
            end = _closing_quote(text, start, _CLOSE_QUOTES[match.group()], len(text))
        if end < 0:
            at = start
            continue
        if end > start and text[end - 1] in ",." and text[end - 2 : end - 1] != ".":
            moved[end - 1], moved[end] = text[end], text[end - 1]
            plain[end - 1], plain[end] = text[end], text[end - 1]
            end -= 1
        plain[start:end] = "x" * (end - start)
        at = end + 1
    return "".join(moved), "".join(plain)


def _subtitle_follows(text: str, colon: int) -> bool:
    """`…, author of Syria: The Fall of the House of Assad: It …`: a book's title and subtitle
    printed without quotation marks; the label ends at the colon after the subtitle."""
    if not _WORK_OF.search(text, max(0, colon - 60), colon):
        return False
    end = text.find(": ", colon + 1, MAX_LABEL)
    subtitle = text[colon + 1 : end]
    words = [w for w in subtitle.split() if len(w) >= 4]
    return (
        end > 0
        and bool(words)
        and all(w[0].isupper() for w in words)
        and not any(c in subtitle for c in ".?!")
    )


_WORK_OF = re.compile(r"\b(?:author|co-author|editor|translator|director|producer) of \S")


_QUOTE_MARKS = re.compile(r"(?:>[ \t]*)+")  # `> `, `>> `, `> > ` before a quoted paragraph
_BOLD_LABEL = re.compile(r"(\*{1,3}|_{1,3})(?P<label>[^*_:\n]+?)\s*(?::\s*\1|\1\s*:)(?=\s|$)")
_MARKS_OPEN = re.compile(r"(?:\*{1,3}|_{1,3})(?=[^\s*_])")


_TITLES = frozenset(
    "dr doctor prof professor mr mrs ms mx sir dame gen general col colonel capt captain sgt"
    " sheikh imam rev father sister brother senator ambassador minister president judge".split()
)
_DOTTED_TITLES = frozenset("amb sen rep gov lt maj adm".split())  # only as `Maj.`: Maj Sjöwall


def is_title(word: str) -> bool:
    """`Dr.`, `Prof`, `Senator`: a word that goes before a name."""
    bare = word.rstrip(".").casefold()
    return bare in _TITLES or (word.endswith(".") and bare in _DOTTED_TITLES)


def without_title(name: str) -> str:
    """A name less its leading titles (`Dr. Jane Smith` -> `Jane Smith`, `Lt. Col. Omar
    Haddad` -> `Omar Haddad`), if a name remains."""
    first, _, rest = name.partition(" ")
    while rest and is_title(first) and rest[:1].isupper():
        name = rest.strip()
        first, _, rest = name.partition(" ")
    return name


def abbreviation(text: str, i: int) -> bool:
    """A period that ends an initial, a title or an abbreviation (`J.`, `Dr.`, `U.S.`,
    `Ph.D.`, `Amb.`) rather than a sentence."""
    if text[i] != ".":
        return False
    word = text[
        max(text.rfind(" ", 0, i), text.rfind(",", 0, i), text.rfind("(", 0, i)) + 1 : i + 1
    ]
    return (
        len(word) <= 3
        or bool(_LETTERS_AND_PERIODS.fullmatch(word))
        or word[:-1].casefold() in _ABBREVIATIONS
    )


_LETTERS_AND_PERIODS = re.compile(r"(?:[^\W\d_]{1,2}\.)+")  # U.S., U.N., Ph.D., e.g.
_ABBREVIATIONS = frozenset(
    "prof gen col sgt capt amb sen rep gov lt maj mrs adm cmdr supt hon rev jr sr inc ltd"
    " corp dept univ assoc asst intl natl govt".split()
)


_LINKING = re.compile(r"(?:and|or|but|nor|so|then|with|in|on|at|to|for|of|from)\b")


def own_line_label(text: str) -> Label | None:
    """`Jane, Teacher, Aleppo` alone on a line (vox-pop pieces): a label with no colon."""
    if len(text) > 100 or text[-1:] in '.?!:;…”"' or "," not in text:
        return None
    parts = [p.strip() for p in text.split(",")]
    # `Jane, Teacher, Aleppo`; after an age, `Khaled, 34, a farmer from Saraqeb` in any case.
    # `Aleppo, before the war` is a subheading and `Damascus, Homs, and Aleppo` a list.
    # After an age, a part may start with a linking word: `Um Khaled, 52, from Daraa`.
    capitals = all(p[:1].isupper() or p[:1].isdigit() for p in parts)
    aged = len(parts) > 2 and parts[1].isdigit() and len(parts[1]) <= 3
    linked = any(_LINKING.match(p) for p in parts[1:])
    if len(parts) > 4 or not (capitals or aged) or (linked and not aged):
        return None
    label = _make_label(text, "", False)
    return label if label and person_shaped(label.name, single_ok=True) else None


def _make_label(printed: str, rest: str, has_colon: bool) -> Label | None:
    if not printed or "\n" in printed:
        return None
    name, role = name_and_role(printed)
    return Label(printed, name, role, rest, has_colon)


def name_and_role(printed: str) -> tuple[str, str | None]:
    """A label's name and the affiliation printed with it: `Jane Doe, fellow at Acme`,
    `Jane Doe (fellow, Acme Institute)`, `Jane Doe – fellow at Acme`."""
    aside = None
    if printed.endswith(")") or "–" in printed or "—" in printed or " -" in printed:
        aside = _ASIDE.fullmatch(printed.strip())
    if aside:
        name, role = aside["name"], (aside["paren"] or aside["dash"]).strip()
        if _NOT_A_ROLE.match(role) or role.replace(".", "") == initials(name):
            role = None  # `Jane Doe (JD)`, `Jane Doe (translated from Arabic)`
    else:
        name, comma, affiliation = printed.partition(",")
        suffix, _, after = affiliation.partition(",")
        if _NAME_SUFFIX.fullmatch(suffix.strip()):
            affiliation = after  # `Jane Doe, PhD, fellow at Acme`: a degree, not her role
        role = affiliation.strip() or None if comma else None
    name = _without_stray_period(name.strip())
    role = _without_stray_period(role) if role else role
    if not name.isascii():  # `José` with its accent written apart is the same José
        name = unicodedata.normalize("NFC", name)
    return name, role


def _without_stray_period(text: str) -> str:
    """`Jane Doe.:` is Jane Doe: a period before the label's colon that ends no initial,
    title or abbreviation (`J.D.`, `Jr.`, `Acme Inc.`) is no part of the name."""
    if text.endswith(".") and not abbreviation(text, len(text) - 1):
        return text[:-1].rstrip()
    return text


_NOT_A_ROLE = re.compile(r"(?:translated|through|via|by|in|on|from|speaking|interpreted)\b")
# An affiliation printed in parentheses or after a dash rather than after a comma.
# A dash may be printed as a hyphen or two with spaces around (`Jane Doe - fellow at Acme`).
_ASIDE = re.compile(
    r"(?P<name>[^(),–—]+?)\s*(?:\((?P<paren>[^()]+)\)|\s(?:[–—]|--?(?=\s))\s*(?P<dash>.+))"
)
# After a name and its comma, what goes with the name rather than being a role.
_NAME_SUFFIX = re.compile(r"(?:Jr|Sr|Ph\.?D|M\.?D|MPH|MBA|Esq)\.?|I{2,3}|IV", re.IGNORECASE)


def answer_label(name: str) -> bool:
    """`A`, `Answer`, `The Answer`: the one who answers, on a page of `Q:` and `A:`."""
    return name in _ANSWER_LABELS


_ANSWER_LABELS = frozenset(("A", "Answer", "The Answer", "ANSWER", "THE ANSWER"))


def interviewer_label(name: str) -> re.Match[str] | None:
    """`Syria Deeply`, `News Deeply Asks`, `SD`, `SD Asks`, `Q`, `Question`, `The Question`,
    also in capitals (`SYRIA DEEPLY`)."""
    match = _interviewer_match(name)
    if match is None and name.isupper() and " " in name:  # `SD ASKS` is `SD Asks`
        words = (w if _INITIALS_D.fullmatch(w) else w.title() for w in name.split())
        match = _interviewer_match(" ".join(words))
    return match


def publication_name(name: str) -> bool:
    """`Syria Deeply`, `Refugees Deeply`: a publication, which asks and never answers."""
    match = _interviewer_match(name)
    return bool(match and match.group("publication"))


_INITIALS_D = re.compile(r"[A-Z]{1,3}D")  # `SD`, `RD`: initials stay in capitals


def _interviewer_match(name: str) -> re.Match[str] | None:
    # Every form ends with one of these words (`$` also allows a final newline): most
    # names are turned down without running the pattern.
    if not name.rstrip("\n").endswith(("Question", "Q", "D", "Asks", "asks", "Deeply")):
        return None
    return _INTERVIEWER.match(name)


def person_shaped(name: str, single_ok: bool = False) -> bool:
    """Capitalised words (particles allowed) that could be a person's name, not a phrase."""
    tokens = name.split()
    if not tokens or len(tokens) > 5 or (len(tokens) == 1 and not single_ok):
        return False
    last = len(tokens) - 1
    if last and (tokens[0].casefold() in _PLACE_OR_GROUP_FIRST or _GROUP_START.match(name)):
        return False
    for i, token in enumerate(tokens):  # one pass, each word folded once
        folded = token.casefold()
        if folded.strip("’'") in _NOT_NAMES or folded in _ORG_WORDS or not _NAME_TOKEN.match(token):
            return False
        # Inner words may be lowercase particles (`bin`, `de la`); the first and last may not.
        if not capitalised(token) and (i in (0, last) or folded not in _PARTICLES):
            return False
    return True


def capitalised(token: str) -> bool:
    """`Doe`, `al-Masri`, `d’Amato`: a name word, whatever lowercase particle it carries."""
    return bool(_CAPITALISED.match(token))


def plausible_affiliation(affiliation: str | None) -> bool:
    """An affiliation is a role, not a date (reading lists) or a clause (`…, told us:`)."""
    if affiliation is None:
        return True
    return not (
        len(affiliation.split()) > 40
        or (_DATELIKE.search(affiliation) and len(affiliation.split()) <= 3)
        or _prose(affiliation)
    )


def _prose(affiliation: str) -> bool:
    """A verb of saying outside a relative clause (`who`, `that`, … earlier in the same part
    between commas)."""
    for verb in _SAYING.finditer(affiliation):
        part = affiliation.rfind(",", 0, verb.start()) + 1
        if not _RELATIVE.search(affiliation, part, verb.start()):
            return True
    return False


def looks_like_initials(name: str) -> bool:
    """`JD`, `J.D.`, `EŞY`: two to four capital letters, bare or each with a period."""
    letters = name.replace(".", "")
    if not (2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper()):
        return False
    return "." not in name or name == "".join(f"{letter}." for letter in letters)
