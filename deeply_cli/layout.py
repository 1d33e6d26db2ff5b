"""Indented text laid out exactly as Rich lays it out, fast enough for a whole archive.

Rich's general layout renders each nested level and each word through several layers; an
archive's quotes run to a hundred thousand words. Here nested indents and groups are
flattened and a paragraph of ordinary text is wrapped by Rich's own rule with string
searches. Anything else (wide characters, several styles in a long line, other renderables)
still goes through Rich. tests/test_render.py compares the two, character for character.
"""

from __future__ import annotations

import itertools
import re

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text


class Indent:
    """Indent a renderable without padding its lines on the right (Rich's Padding pads).

    Lines end without trailing spaces, and a blank line is empty. Nested indents and groups
    are flattened, and a plain paragraph is wrapped here rather than by `render_lines`: an
    archive's quotes run to a hundred thousand words, and Rich's general layout costs
    microseconds a word. The result is the same, character for character, and no line is
    wider than the console.
    """

    def __init__(self, inner: RenderableType, size: int) -> None:
        self.inner, self.size = inner, size

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        out: list[Segment] = []
        _lay_out(console, options, self.inner, self.size, out)
        return out


def _lay_out(
    console: Console, options: ConsoleOptions, inner: RenderableType, size: int, out: list[Segment]
) -> None:
    """Append the lines of `inner`, indented by `size`, to `out` (a list, not nested
    generators: every segment would otherwise pass up through each level)."""
    if isinstance(inner, Indent):
        _lay_out(console, options, inner.inner, size + inner.size, out)
        return
    if isinstance(inner, Group):
        for item in inner.renderables:
            _lay_out(console, options, item, size, out)
        return
    width = max(1, options.max_width - size)
    shown = size < options.max_width  # else only the indent would fit: every line is blank
    pad = (Segment(" " * size),) if size else ()
    newline = Segment.line()
    if (
        isinstance(inner, Text)
        and _one_cell(inner, options, width)
        and (runs := _runs(console, inner)) is not None
    ):
        start = 0  # of the line in the text
        for line in inner.plain.split("\n"):
            for a, b in itertools.pairwise(_breaks(line, width)):
                end = start + a + len(line[a:b].rstrip())
                if end > start + a and shown:
                    out += pad
                    out += [Segment(t, style) for t, style in _styled(runs, start + a, end)]
                    out.append(newline)
                else:
                    out.append(newline)
            start += len(line) + 1
        return
    rendered = console.render_lines(inner, options.update_width(width), pad=False)
    for line in (_rstrip(line) for line in rendered):
        if line and shown:
            out += (*pad, *line, newline)
        else:
            out.append(newline)


Runs = list[tuple[int, str, Style | None]]  # (start, text, style), each run to the next


def _runs(console: Console, text: Text) -> Runs | None:
    """The text cut where its style changes, as Rich renders it; None where spans overlap
    (Rich stacks those)."""
    plain = text.plain
    base = console.get_style(text.style, default=Style.null()) if text.style else None
    runs: Runs = []
    at = 0
    for span in sorted(text.spans, key=lambda span: span.start):
        start, end = span.start, min(span.end, len(plain))
        if start >= end:
            continue
        if start < at:
            return None
        if start > at:
            runs.append((at, plain[at:start], base))
        style = console.get_style(span.style, default=Style.null())
        runs.append((start, plain[start:end], base + style if base else style))
        at = end
    if at < len(plain) or not runs:
        runs.append((at, plain[at:], base))
    return runs


def _styled(runs: Runs, start: int, end: int) -> list[tuple[str, Style | None]]:
    """The text from start to end, in pieces of one style."""
    if len(runs) == 1:
        offset, text, style = runs[0]
        return [(text[start - offset : end - offset], style)]
    pieces = []
    for offset, text, style in runs:
        if offset < end and offset + len(text) > start:
            pieces.append((text[max(start - offset, 0) : end - offset], style))
    return pieces


def _rstrip(line: list[Segment]) -> list[Segment]:
    """Drop the spaces word wrapping leaves at a line's end."""
    line = list(line)
    while line and not line[-1].text.strip():
        line.pop()
    if line:
        last = line[-1]
        line[-1] = Segment(last.text.rstrip(), last.style, last.control)
    return line


_ONE_CELL = frozenset(
    chr(c)
    for c in (*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2028), 0x2030, 0x20AC)
    if c != 0xAD  # the soft hyphen takes no cell
)
_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it, as Rich splits text


def _one_cell(text: Text, options: ConsoleOptions, width: int) -> bool:
    """Whether this text can be laid out here as Rich would: default layout, and characters
    (the usual Latin letters, spaces and punctuation) one terminal cell wide each."""
    plain = text.plain
    return (
        text.end == "\n"
        and not text.no_wrap
        and not options.no_wrap
        and (text.justify or options.justify) in (None, "default", "left")
        and (text.overflow or options.overflow) in (None, "fold")
        and _ONE_CELL.issuperset(plain.replace("\n", " "))
    )


def wrap_plain(line: str, width: int) -> list[str]:
    """Rich's word wrap (`rich._wrap.divide_line`, folding long words) for one line of
    one-cell characters, each piece without its trailing spaces.

    Rich's rule: a line takes each next word whose last letter still fits, and a word longer
    than a line is cut into pieces of the full width. Found here a line at a time with
    string searches, rather than a word at a time.
    """
    return [line[a:b].rstrip() for a, b in itertools.pairwise(_breaks(line, width))]


def _breaks(line: str, width: int) -> list[int]:
    """Where `wrap_plain` starts each line, and the line's end."""
    if len(line) <= width:
        return [0, len(line)]
    if line[0] in _SPACES:  # Rich counts leading spaces as part of the first word
        return _word_breaks(line, width)
    end = len(line.rstrip())
    breaks = [0]
    start = 0  # where the current line starts
    while start + width < end:
        limit = start + width  # the first place past the line
        if line[limit] in _SPACES:  # the next line starts with the next word
            found = _NOT_SPACE.search(line, limit)
            assert found is not None  # limit < end: a letter is still to come
            start = found.start()
        else:  # the next line starts with the word that runs over the limit...
            start = max(line.rfind(" ", start, limit), line.rfind("\xa0", start, limit)) + 1
            if start <= breaks[-1]:  # ...unless it fills the line: cut it, spaces and all
                start = breaks[-1]
                found = _NOT_SPACE.search(line, _SPACE.search(line, start).start())
                word_end = found.start() if found else len(line)
                last = start + (word_end - start - 1) // width * width
                breaks += range(start + width, last, width)
                start = last
        breaks.append(start)
    breaks.append(len(line))
    return breaks


_SPACES = " \xa0"  # the only spaces among one-cell characters
_SPACE = re.compile("[ \xa0]|$")
_NOT_SPACE = re.compile("[^ \xa0]")


def _word_breaks(line: str, width: int) -> list[int]:
    """`_breaks` a word at a time, as Rich does it."""
    breaks = [0]
    offset = 0
    for match in _WORD.finditer(line):
        start, end = match.span()
        length = len(match.group().rstrip())
        if width - offset >= length:
            offset += end - start
        elif length > width:  # longer than any line: cut into pieces of the full width
            for piece_start in range(start, end, width):
                if piece_start:
                    breaks.append(piece_start)
            offset = (end - start) % width or width
        elif offset and start:
            breaks.append(start)
            offset = end - start
    breaks.append(len(line))
    return breaks
