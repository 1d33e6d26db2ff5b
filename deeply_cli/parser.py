"""Text -> Article: an ordered pipeline of small pure steps. No I/O, no printing."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from deeply_cli import header
from deeply_cli.frontmatter import FrontMatter, load_front_matter, split_front_matter
from deeply_cli.header import Para
from deeply_cli.labels import split_label
from deeply_cli.model import Article, Exchange, Removed, Turn
from deeply_cli.speakers import SERIES_HEADING, Resolver, asks, roles_for
from deeply_cli.text import fold, normalize_ws

# Paragraphs after the turns that belong to no speaker, matched at the start of a paragraph
# folded, its emphasis marks and a Markdown quote's `>` removed. Inside the interview, a note
# or a caption is one paragraph and the answer goes on after it.
_ONE_PARAGRAPH_NOTE = re.compile(
    r"editor[’']?s[’']? note|eds?\.? note|(?:update|updated|correction|clarification|note"
    r"|disclosure|disclaimer)\s*:|(?:top |featured |cover |main |header )?(?:photo|image"
    r"|picture|photograph)(?: credit)?\s*:"
)
# Everything after these is notes: a note on the interview itself, a reading list, a notice.
_RUN_ON_NOTE = re.compile(
    r"(?:this|the) (?:interview|conversation|q ?& ?a|q\+a|transcript|exchange|discussion)"
    r" (?:has|have|had|was|were|is) (?:been )?(?:lightly |slightly )?(?:edited|condensed"
    r"|translated|shortened|abridged|conducted)"
    r"|(?:the )?(?:interview|answers|responses|remarks|comments|quotes|transcript)"
    r" (?:(?:has|have) been |were |was )?(?:lightly )?(?:edited|condensed|translated)\b"
    r"|the (?:views|opinions)(?: and (?:views|opinions))? expressed"
    r"|(?:an? (?:earlier |longer |shorter )?version of )?(?:this|the) (?:article|story|piece"
    r"|interview|report|q ?& ?a) (?:was )?(?:originally|first)"
    r" (?:appeared|ran|published|was published)"
    r"|originally (?:published|appeared) (?:in|on|at|by)\b"
    r"|(?:sign up|subscribe) (?:for|to) (?:our|the) "
    r"|(?:recommended|further|suggested|related) reading|read more|reading list|related:"
    r"|related (?:articles|stories|coverage|content|posts)\b"
    r"|(?:the |this )?(?:interview|conversation|q ?& ?a) (?:was )?(?:conducted|carried out"
    r"|recorded|translated|edited) by\b|(?:interview|translation) by [a-z]"
    r"|(?:you can )?follow (?:\S+ ){1,4}(?:on|at) (?:twitter|facebook|instagram|@)"
    r"|(?:translated|translation) (?:from [a-z]+ )?(?:(?:in)?to [a-z]+ )?by [a-z]"
    r"|(?:additional )?reporting by [a-z]|(?:\S+ ){1,4}contributed (?:reporting|research|to this)"
    r"|(?:some |all |the )?(?:names|identities)(?: of [^.,]{1,40})? (?:have|has|had|were) been"
    r" (?:changed|withheld|altered)"
)
_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.)+$|\b(?:Inc|Ltd|Co|Jr|Sr|St)\.$")
# `Acme Institute, March 2016: Report Title` in a reading list.
_READING_LINE = re.compile(
    r"^[^:]{2,120}, (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r" (?:\d{1,2}, )?\d{4}: "
)


@dataclass(frozen=True, slots=True)
class ParseConfig:
    """Archive-wide settings from `deeply.yaml`."""

    interviewer_labels: frozenset[str] = frozenset()  # folded
    boilerplate: frozenset[str] = frozenset()
    aliases: Mapping[str, str] = field(default_factory=dict)  # folded alias -> full name


DEFAULT_CONFIG = ParseConfig()


@dataclass(slots=True)
class _Head:
    title: str | None = None
    dek: str | None = None
    caption: str | None = None
    lines: list[int] = field(default_factory=list)
    byline: header.Byline | None = None
    publication: str | None = None
    resolver: Resolver | None = None  # built for the whole body while looking for the title


def parse(text: str, config: ParseConfig = DEFAULT_CONFIG) -> Article:
    """Parse one article page (raw, as scraped, or with front matter)."""
    block, body, offset = split_front_matter(normalize_newlines(text.removeprefix("\ufeff")))
    meta = load_front_matter(block) if block is not None else FrontMatter()
    paras, blank_separated = split_paragraphs(body, offset)
    removed: list[Removed] = []
    head = _Head()
    paras = _strip_furniture(paras, config, head, removed)
    paras = _read_header(paras, meta, blank_separated, head, removed, config)
    return _build(paras, meta, head, config, removed)


def normalize_newlines(text: str) -> str:
    """CRLF (Windows) and lone CR (old Mac) line endings become LF, before anything looks for
    the front matter's `---` lines or counts lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split_paragraphs(body: str, offset: int = 0) -> tuple[list[Para], bool]:
    """One paragraph per non-blank line (LF endings); also tells whether blank lines separate
    paragraphs."""
    paras: list[Para] = []
    previous_blank = True
    lines = body.split("\n")
    for number, raw in enumerate(lines, offset + 1):
        if "&" in raw:
            raw = _ENTITY.sub(_unescape, raw)
        text = normalize_ws(raw) if raw else raw  # half the lines are empty: skip the call
        if text:
            paras.append(Para(text, number, not previous_blank))
        previous_blank = not text
    return paras, any(not p.joined for p in paras[1:])


# HTML character references left in scraped pages (`&nbsp;`, `&amp;`, `&#8217;`, `&#x2019;`).
# Only the complete form, with its semicolon: `AT&T` and `R&D` stay as written.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescape(match: re.Match[str]) -> str:
    """The character a reference stands for. A format character (`&shy;`, `&zwnj;`) is
    dropped as a browser hides it; a line break, tab or no-break space becomes a space, so
    that a reference never splits a line."""
    text = html.unescape(match.group())
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else "" if unicodedata.category(c) == "Cf" else " " for c in text
    )


def _strip_furniture(
    paras: list[Para], config: ParseConfig, head: _Head, removed: list[Removed]
) -> list[Para]:
    """Banner, footer, configured boilerplate and debris go to `removed`."""
    start, head.publication = header.strip_banner(paras, _find_byline(paras))
    end = max(start, header.footer_start(paras, config.boilerplate))
    removed += [Removed("header", p.text, p.line) for p in paras[:start]]
    removed += [
        Removed("debris" if header.is_link_definition(p.text) else "footer", p.text, p.line)
        for p in paras[end:]
    ]
    kept: list[Para] = []
    for para in paras[start:end]:
        if para.text in config.boilerplate:
            removed.append(Removed("boilerplate", para.text, para.line))
            continue
        clean, debris = header.strip_debris(para)
        removed += debris
        if clean:
            kept.append(clean)
    return kept


def _find_byline(paras: Sequence[Para]) -> int | None:
    return next((i for i, p in enumerate(paras[:16]) if header.read_byline(p.text)), None)


def _read_header(
    paras: list[Para],
    meta: FrontMatter,
    blank_separated: bool,
    head: _Head,
    removed: list[Removed],
    config: ParseConfig,
) -> list[Para]:
    """Title, dek, byline and caption; returns the body paragraphs after them."""
    byline_at = _find_byline(paras)
    if byline_at is None:
        return _read_title(paras, meta, head, config)
    head.byline = header.read_byline(paras[byline_at].text)
    before = paras[:byline_at]
    if len(before) == 1 or (len(before) >= 2 and _not_a_title(before[-2].text, before[-1].text)):
        head.title = _unmarked(before[-1].text)
        extra = before[:-1]
    elif before:
        head.title, head.dek = _unmarked(before[-2].text), _unmarked(before[-1].text)
        extra = before[:-2]
    else:
        extra = []
    head.lines += [p.line for p in before[len(extra) :]] + [paras[byline_at].line]
    removed += [Removed("header", p.text, p.line) for p in extra]
    rest = paras[byline_at + 1 :]
    # Blank lines part the header here, not only somewhere on the page: a single-newline
    # capture whose footer holds an extra newline joins its intro to the byline too.
    blank_separated = blank_separated and (
        not paras[byline_at].joined or (len(rest) > 1 and not rest[1].joined)
    )
    if rest and header.is_caption(rest[0], blank_separated, rest[1].text if rest[1:] else ""):
        head.caption = rest[0].text
        head.lines.append(rest[0].line)
        rest = rest[1:]
    return rest


def _read_title(
    paras: list[Para], meta: FrontMatter, head: _Head, config: ParseConfig
) -> list[Para]:
    """No byline: the first paragraph is the title (or the declared title repeated), unless
    the interview starts there."""
    if not paras:
        return paras
    if meta.title:
        if fold(paras[0].text.lstrip("# ")) != fold(meta.title):
            return paras
    elif split_label(paras[0].text) and _opens_interview(paras, meta, head, config):
        return paras
    head.resolver = None  # a title: the body and its context are not what it was built for
    head.title = _unmarked(paras[0].text)
    head.lines.append(paras[0].line)
    return paras[1:]


_EMPHASIS_MARKS = re.compile(r"[*_]")  # `**Note:**`, `__Update__:`, `*Editor’s note: …*`


def _opening(text: str) -> str:
    """A paragraph's start as notes are recognised: folded, without emphasis marks, without
    the `>` of a Markdown quote."""
    return fold(_EMPHASIS_MARKS.sub("", text[:80])).lstrip("> \t")


_HEADING = re.compile(r"#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)([^*_]+?)(?<=\S)\1")


def _unmarked(text: str) -> str:
    """A title or dek less the marks Markdown writes it with (`# Title`, `*A dek.*`)."""
    if heading := _HEADING.fullmatch(text):
        text = heading[1]
    if emphasis := _EMPHASIS.fullmatch(text):
        text = emphasis[2]
    return text


def _opens_interview(
    paras: list[Para], meta: FrontMatter, head: _Head, config: ParseConfig
) -> bool:
    """The first paragraph is the interview's first turn, not a title shaped like a label:
    a question that asks (`?` ends it or the paragraph after it), or an answer followed by
    another answer or by a speaker who answers again. `Jane Doe: a phrase` before a dek,
    `Expert View: …` and `Syria Deeply: The Week Ahead` stay titles."""
    if SERIES_HEADING.match(paras[0].text):
        return False
    resolver = _resolver(paras, meta, meta.authors or (), head, config)
    head.resolver = resolver  # what `_build` needs when this paragraph opens the interview
    first, after = resolver.turn_at(0), resolver.turn_at(1)
    if first is None:
        return False
    if _title_case(first.rest) and not first.rest.endswith((".", "?", "!", "…", '"', "”")):
        return False  # `Lina Sergie: We Will Rebuild Aleppo`: a headline, not her answer
    if first.is_question:
        follows = paras[1].text if len(paras) > 1 and after is None else ""
        return any(asks(text) for text in (first.rest, follows))
    if after is None:
        return False
    again = (resolver.turn_at(i) for i in range(2, len(paras)))
    return not after.is_question or any(
        t is not None and not t.is_question and t.speaker == first.speaker for t in again
    )


def _about_an_author(opening: str, authors: Sequence[str]) -> bool:
    """`Mona Writer is a journalist based in Beirut.` after the last answer: the author's
    note, not the answer's last paragraph. (`opening` is folded.)"""
    return any(
        opening.startswith(fold(author)) and _BIO_VERB.match(opening, len(fold(author)))
        for author in authors
        if " " in author and not author.endswith(" Deeply")  # a person, not the publication
    )


# `Mona Writer is …`, `Mona Writer, a journalist, covers …`
_BIO_VERB = re.compile(r"(?:,[^,]{1,80},)? (?:is|was|has|writes|covers|reports|works|lives)\b")


def _not_a_title(text: str, after: str) -> bool:
    """Letter text or a signature line before a title whose dek is missing: long, signed, or
    a sentence where the paragraph after it reads as a heading."""
    if header.is_signature(text):
        return True
    if SERIES_HEADING.match(text) or _title_case(text):
        return False  # `Expert View: The War Is Not Over.` is a title with a period
    sentence = text.endswith((".", ",", ";", ":")) and not _ABBREVIATION.search(text)
    heading = not after.endswith((".", ",", ";", ":"))
    return len(text) > 160 or (sentence and heading)


def _title_case(text: str) -> bool:
    """Most words of three letters or more capitalised, as in a headline (`The War Is Not
    Over.`), not in a sentence of a letter."""
    words = [w for w in text.split() if len(w.strip(".,:;!?’'\"“”()")) >= 3]
    return len(words) >= 2 and sum(w[:1].isupper() for w in words) >= 0.75 * len(words)


def _build(
    paras: list[Para], meta: FrontMatter, head: _Head, config: ParseConfig, removed: list[Removed]
) -> Article:
    byline = head.byline
    authors = meta.authors if meta.authors is not None else (byline.authors if byline else ())
    resolver = head.resolver or _resolver(paras, meta, authors, head, config)
    intro: list[Para] = []
    notes: list[Para] = []
    turns: list[_OpenTurn] = []
    sink: list[Para] | _OpenTurn = intro
    found_at = [resolver.turn_at(index) for index in range(len(paras))]
    last_turn = max((i for i, found in enumerate(found_at) if found is not None), default=-1)
    signatures = {fold(author) for author in authors}  # `— Mona Writer` after the last answer
    for index, para in enumerate(paras):
        found = found_at[index]
        if found is not None:
            turns.append(_OpenTurn(found.speaker, found.label, found.is_question, found.rest, para))
            sink = turns[-1]
        elif turns and (
            (one := _ONE_PARAGRAPH_NOTE.match(opening := _opening(para.text)))
            or _RUN_ON_NOTE.match(opening)
            or _READING_LINE.match(para.text)
            or (index > last_turn and _about_an_author(opening, authors))
            or (index > last_turn and fold(para.text.lstrip("—–-~ ")) in signatures)
        ):
            notes.append(para)
            # Inside the interview, an editor's note or a caption is one paragraph and the
            # answer goes on after it; a reading list, or any note after the last turn, runs on.
            if index > last_turn or not one:
                sink = notes
        elif isinstance(sink, _OpenTurn):
            sink.add(para)
        else:
            sink.append(para)
    if _dek_without_byline(head, meta, intro, turns):
        head.dek = _unmarked(intro[0].text)
        head.lines.append(intro[0].line)
        intro = intro[1:]
    interviewer = resolver.interviewer
    closed = []
    number = len(intro) + 1
    for turn in turns:
        closed.append(turn.close(interviewer, number))
        number += len(turn.paragraphs)
    speakers = roles_for(
        closed,
        meta=meta,
        texts=[t for t in (head.title, head.dek) if t] + [p.text for p in intro],
        title=meta.title or head.title,
        affiliations=resolver.affiliations,
    )
    return Article(
        title=meta.title or head.title,
        dek=meta.dek if meta.dek is not None else head.dek,
        authors=authors,
        published=meta.published or (byline.published if byline else None) or _url_date(meta.url),
        read_minutes=meta.read_minutes or (byline.read_minutes if byline else None),
        interviewer=meta.interviewer
        or (interviewer if any(t.is_question for t in closed) else None),
        publication=resolver.publication,
        url=meta.url,
        slug=meta.slug,
        tags=meta.tags,
        caption=meta.caption or head.caption,
        header_lines=tuple(head.lines),
        speakers=speakers,
        intro=tuple(p.text for p in intro),
        intro_lines=tuple(p.line for p in intro),
        exchanges=_exchanges(t for t in closed if t.paragraphs),
        notes=tuple(p.text for p in notes),
        note_lines=tuple(p.line for p in notes),
        removed=tuple(sorted(removed, key=lambda r: r.line)),
        warnings=tuple(sorted(resolver.warnings, key=lambda w: w.line)),
    )


def _dek_without_byline(
    head: _Head, meta: FrontMatter, intro: Sequence[Para], turns: Sequence[_OpenTurn]
) -> bool:
    """A page with a title and no byline: the paragraph right after the title may be the
    dek, which the byline would otherwise have marked off from the intro."""
    if head.byline is not None or head.title is None or meta.dek is not None or not turns:
        return False
    speakers = {t.speaker for t in turns if not t.is_question}
    texts = [p.text for p in intro]
    return header.dek_leads(texts, speakers, roundup=not turns[0].is_question)


def _resolver(
    paras: list[Para],
    meta: FrontMatter,
    authors: Sequence[str],
    head: _Head,
    config: ParseConfig,
) -> Resolver:
    return Resolver(
        paras,
        meta=meta,
        authors=authors,
        publication=meta.publication or head.publication,
        context=[t for t in (head.title, head.dek) if t],
        config_aliases=config.aliases,
        interviewer_labels=config.interviewer_labels,
    )


_URL_DATE = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)")


def _url_date(url: str | None) -> dt.date | None:
    """Archive addresses carry the date: /syria/articles/2014/6/27/slug."""
    match = _URL_DATE.search(url or "")
    try:
        return dt.date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


_QUOTE_MARKS = re.compile(r"(?:>[ \t]*)+")


class _OpenTurn:
    """A turn being collected: its first paragraph is the text after the label."""

    __slots__ = ("is_question", "label", "label_line", "lines", "paragraphs", "quoted", "speaker")

    def __init__(self, speaker: str, label: str, is_question: bool, rest: str, para: Para) -> None:
        self.speaker, self.label, self.is_question = speaker, label, is_question
        self.label_line = para.line
        self.paragraphs = [rest] if rest else []
        self.lines = [para.line] if rest else []
        self.quoted = para.text.startswith(">")  # a turn set in a Markdown quote

    def add(self, para: Para) -> None:
        text = para.text
        if self.quoted and text.startswith(">"):
            text = _QUOTE_MARKS.sub("", text, count=1)  # its paragraphs are quoted too
            if not text:
                return  # `>` alone: the blank line between two quoted paragraphs
        self.paragraphs.append(text)
        self.lines.append(para.line)

    def close(self, interviewer: str | None, paragraph: int) -> Turn:
        speaker = (
            (self.speaker or interviewer) if self.is_question and interviewer else self.speaker
        )
        paragraphs, lines = tuple(self.paragraphs), tuple(self.lines)
        return Turn(
            speaker, self.label, paragraphs, lines, self.is_question, self.label_line, paragraph
        )


def _exchanges(turns: Iterable[Turn]) -> tuple[Exchange, ...]:
    """A question opens an exchange; answers join the open one (round-ups: one with no question)."""
    exchanges: list[tuple[Turn | None, list[Turn]]] = []
    for turn in turns:
        if turn.is_question:
            exchanges.append((turn, []))
        elif exchanges:
            exchanges[-1][1].append(turn)
        else:
            exchanges.append((None, [turn]))
    return tuple(Exchange(q, tuple(answers)) for q, answers in exchanges)
