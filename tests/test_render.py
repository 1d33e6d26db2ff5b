"""deeply lays out article text itself for speed; it must match Rich's own layout exactly."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from deeply_cli import archive, layout, render
from deeply_cli.query import Quote

FIXTURES = Path(__file__).parent / "fixtures"


class RichIndent:
    """The reference: each level rendered by Rich's `render_lines`, trailing spaces dropped."""

    def __init__(self, inner: RenderableType, size: int) -> None:
        self.inner, self.size = inner, size

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width - self.size)
        for line in console.render_lines(self.inner, options.update_width(width), pad=False):
            if self.size:
                yield Segment(" " * self.size)
            yield from layout._rstrip(line)
            yield Segment.line()


def printed(renderable: RenderableType, width: int, colour: bool, crop: bool = True) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(renderable, crop=crop)
    return out.getvalue()


def both_ways(build: Callable[[], RenderableType], width: int, colour: bool) -> tuple[str, str]:
    ours = printed(build(), width, colour)
    # `show` skips Rich's cropping pass for an Indent: its lines must fit already
    assert printed(build(), width, colour, crop=False) == ours
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(render, "Indent", RichIndent)
        patched.setattr(layout, "Indent", RichIndent)
        reference = printed(build(), width, colour)
    return ours, reference


ONE_CELL = st.sampled_from("aábcdeéfghijklmnopqrstuvwxyzAZ0123456789.,;:'’“”—–-()[]…")
PROSE_LINE = st.lists(
    st.one_of(
        st.text(ONE_CELL, min_size=1, max_size=12),  # words
        st.text(ONE_CELL, min_size=13, max_size=60),  # words longer than a narrow line
        st.text(" ", min_size=1, max_size=4),  # runs of spaces
        st.text(" \u00a0", min_size=1, max_size=2),  # no-break spaces too
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(line=PROSE_LINE, width=st.integers(1, 40))
def test_wrap_plain_breaks_lines_where_rich_does(line: str, width: int) -> None:
    console = Console(width=200, file=io.StringIO())
    expected = [piece.plain.rstrip() for piece in Text(line).wrap(console, width)]
    assert layout.wrap_plain(line, width) == expected


ANY_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e"),
    max_size=200,
)
PARAGRAPH = st.one_of(
    PROSE_LINE, ANY_TEXT, st.lists(PROSE_LINE, min_size=2, max_size=3).map("\n".join)
)


def quote(paragraphs: list[str], question: str, title: str) -> Quote:
    return Quote(
        slug="a-slug",
        title=title,
        path="a.txt",
        exchange=0,
        question=question,
        asker="Syria Deeply",
        speaker="Jane Doe",
        role="director of an institute",
        label="Doe",
        paragraphs=tuple(paragraphs),
        line=1,
        paragraph=1,
    )


@settings(max_examples=150, deadline=None)
@given(
    answers=st.lists(st.lists(PARAGRAPH, min_size=1, max_size=3), min_size=1, max_size=3),
    question=PARAGRAPH,
    title=PROSE_LINE,
    width=st.integers(1, 120),
    colour=st.booleans(),
)
def test_quotes_print_exactly_as_rich_lays_them_out(
    answers: list[list[str]],
    question: str,
    title: str,
    width: int,
    colour: bool,
) -> None:
    found = [quote(paragraphs, question, title) for paragraphs in answers]
    ours, reference = both_ways(lambda: render.render_quotes(found), width, colour)
    assert ours == reference


STYLE = st.sampled_from(["", "bold", "dim italic", "red", "bold reverse", "no-such-style"])


@settings(max_examples=300, deadline=None)
@given(
    plain=PARAGRAPH,
    base=STYLE,
    spans=st.lists(st.tuples(st.integers(0, 220), st.integers(0, 220), STYLE), max_size=4),
    width=st.integers(1, 60),
    colour=st.booleans(),
)
def test_styled_text_prints_exactly_as_rich_lays_it_out(
    plain: str, base: str, spans: list[tuple[int, int, str]], width: int, colour: bool
) -> None:
    """A text of several styles, spans apart or overlapping, with a style of its own."""

    def build() -> RenderableType:
        styled = Text(plain, style=base)
        for a, b, style in spans:
            styled.stylize(style, min(a, b), max(a, b))
        return layout.Indent(Group(styled, Text("after", style="bold")), 0)

    ours, reference = both_ways(build, width, colour)
    assert ours == reference


@pytest.mark.parametrize("width", [1, 2, 20, 57, 80, 133])
@pytest.mark.parametrize("colour", [False, True])
def test_articles_print_exactly_as_rich_lays_them_out(width: int, colour: bool) -> None:
    loaded = archive.load(FIXTURES)
    assert len(loaded.entries) >= 10
    for entry in loaded.entries:
        ours, reference = both_ways(lambda e=entry: render.render_article(e), width, colour)
        assert ours == reference, entry.path


def test_printed_lines_keep_no_trailing_spaces() -> None:
    paragraph = "word " * 40 + "\n\n" + "x" * 90
    output = printed(layout.Indent(render.text(paragraph), 4), 30, False)
    lines = output.split("\n")
    assert lines[0] == "    " + "word " * 4 + "word"
    assert all(line == line.rstrip() for line in lines)
    assert "" in lines  # the blank line is empty, not four spaces
    assert "    " + "x" * 26 in lines  # a word longer than the line is folded


@pytest.mark.parametrize("width", [1, 2, 3, 4])
@pytest.mark.parametrize("colour", [False, True])
def test_a_console_narrower_than_the_indent_shows_blank_lines(width: int, colour: bool) -> None:
    def build() -> RenderableType:
        heading = Text.assemble(("Jane", "bold"), (" Doe", "dim"))
        inner = Group(heading, Text("cd ef"), layout.Indent(Text("gh ij", style="dim"), 2))
        return layout.Indent(Group(Text("ab"), layout.Indent(inner, 2)), 0)

    ours, reference = both_ways(build, width, colour)
    assert ours == reference
    assert all(line == line.rstrip() for line in ours.split("\n"))


def test_a_style_rich_does_not_know_is_no_style() -> None:
    def build() -> RenderableType:
        return layout.Indent(Text("plain words", style="no-such-style"), 2)

    ours, reference = both_ways(build, 40, True)
    assert ours == reference == "  plain words\n"
