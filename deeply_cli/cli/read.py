"""Reading commands: list, show, quotes, search, speakers."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from deeply_cli import catalog, query, render, serialize
from deeply_cli.cli.common import (
    TEXT_ARGUMENTS,
    JsonOption,
    NoPagerOption,
    WidthOption,
    app,
    checked_limit,
    complete_slug,
    complete_speaker,
    current_index,
    emit_json,
    given,
    guarded,
    helped,
    show,
)
from deeply_cli.errors import Exit, UsageError
from deeply_cli.query import Quote


class Sort(StrEnum):
    path = "path"
    slug = "slug"
    title = "title"
    date = "date"
    questions = "questions"
    answers = "answers"


class CiteFormat(StrEnum):
    text = "text"
    md = "md"
    csv = "csv"
    json = "json"


SpeakerOption = Annotated[
    str | None,
    typer.Option(
        "--speaker",
        help="Full name, surname, label, alias or unique prefix.",
        autocompletion=complete_speaker,
    ),
]
CiteOption = Annotated[bool, typer.Option("--cite", help="Print each answer as a citation.")]
FormatOption = Annotated[
    CiteFormat,
    typer.Option(
        "--format",
        help="Citation format (with --cite). In csv, a cell that starts with = + - @, a tab"
        " or a carriage return gets a leading ' so that spreadsheets take it as text.",
    ),
]


def _format_needs_cite(fmt: CiteFormat, cite_: bool) -> None:
    """`quotes --format csv > x.csv` without --cite would quietly write the text layout."""
    if fmt is not CiteFormat.text and not cite_:
        raise UsageError(f"--format {fmt.value} is a citation format: add --cite")


def _cite_format(fmt: CiteFormat, as_json: bool) -> CiteFormat:
    """`--cite --json` is `--cite --format json`: stdout holds only JSON."""
    if not as_json:
        return fmt
    if fmt not in (CiteFormat.text, CiteFormat.json):
        raise UsageError(f"--json prints citations as JSON; leave out --format {fmt.value}")
    return CiteFormat.json


def _cite(quotes: list[Quote], fmt: CiteFormat) -> None:
    from deeply_cli import cite

    if fmt is CiteFormat.json:
        emit_json([cite.fields(q) for q in quotes])
        return
    output = cite.render(quotes, fmt.value)
    render.write_text(output)


@app.command("list")
@guarded
def list_cmd(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N articles; 0 for all.")] = 20,
    sort: Annotated[Sort, typer.Option("--sort", help="Order by this field.")] = Sort.path,
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the order.")] = False,
    speaker: SpeakerOption = None,
    author: Annotated[
        str | None, typer.Option("--author", help="Only articles by this author.")
    ] = None,
    as_json: JsonOption = False,
    width: WidthOption = None,
) -> None:
    """List the articles in the archive.

    Exit status 1 when --speaker or --author leaves no article.

    \b
    Examples:
      deeply list
      deeply list --sort date --reverse --limit 10
      deeply list --speaker Bonsey --json
    """
    given(speaker=speaker, author=author)
    index = current_index(ctx)
    name = catalog.match_speaker(index, speaker) if speaker else None
    found, total = catalog.summaries(
        index,
        limit=checked_limit(limit),
        sort=sort.value,
        reverse=reverse,
        speaker=name,
        author=author,
    )
    if as_json:
        emit_json([serialize.list_item(s) for s in found])
    else:
        show(ctx, render.render_list(found, total), width)
    if not total and (speaker or author):
        raise typer.Exit(Exit.NOT_FOUND)  # as search does when nothing matches


@app.command("show")
@guarded
def show_cmd(
    ctx: typer.Context,
    slug: Annotated[
        str,
        typer.Argument(
            help="The article's slug, or a unique prefix of it.", autocompletion=complete_slug
        ),
    ],
    speaker: SpeakerOption = None,
    cite_: CiteOption = False,
    fmt: FormatOption = CiteFormat.text,
    as_json: JsonOption = False,
    width: WidthOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """Show one article: header, intro, questions and answers.

    \b
    Examples:
      deeply show as-isis
      deeply show as-isis --speaker Bonsey
      deeply show as-isis --cite --format md
    """
    if not slug.strip():
        raise UsageError("the article's slug is empty (see `deeply list`)")
    given(speaker=speaker)
    _format_needs_cite(fmt, cite_)
    entry = catalog.entry(current_index(ctx), slug)
    only = (
        query.match_speaker(
            query.speaker_names([entry]), speaker, query.aliases_of([entry]), "in this article"
        )
        if speaker is not None
        else None
    )
    if cite_:
        quotes = sorted(query.quotes([entry], only), key=lambda q: q.paragraph)
        _cite(quotes, _cite_format(fmt, as_json))
        return
    if as_json:
        emit_json(serialize.article(entry, only))
        return
    show(ctx, render.render_article(entry, only), width, pager=not no_pager)


@app.command("quotes")
@guarded
def quotes_cmd(
    ctx: typer.Context,
    speaker: Annotated[
        str,
        typer.Option(
            "--speaker",
            help="Full name, surname, label, alias or unique prefix.",
            autocompletion=complete_speaker,
        ),
    ],
    cite_: CiteOption = False,
    fmt: FormatOption = CiteFormat.text,
    as_json: JsonOption = False,
    width: WidthOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """Print every answer by one speaker across the archive, with the questions.

    \b
    Examples:
      deeply quotes --speaker Bonsey
      deeply quotes --speaker "Noah Bonsey" --json
      deeply quotes --speaker Bonsey --cite --format csv > bonsey.csv
    """
    _format_needs_cite(fmt, cite_)
    index = current_index(ctx)
    found = catalog.quotes(index, catalog.match_speaker(index, speaker))
    if cite_:
        _cite(found, _cite_format(fmt, as_json))
    elif as_json:
        emit_json([serialize.quote(q) for q in found])
    else:
        show(ctx, render.render_quotes(found), width, pager=not no_pager)


@app.command("search", context_settings=TEXT_ARGUMENTS)
@guarded
def search_cmd(
    ctx: typer.Context,
    terms: Annotated[list[str], typer.Argument(help='Words, "phrases", -excluded, OR, prefix*.')],
    speaker: SpeakerOption = None,
    article: Annotated[
        str | None,
        typer.Option(
            "--article", help="Only this article (slug prefix).", autocompletion=complete_slug
        ),
    ] = None,
    questions: Annotated[bool, typer.Option("--questions", help="Search questions only.")] = False,
    answers: Annotated[bool, typer.Option("--answers", help="Search answers only.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N hits; 0 for all.")] = 20,
    as_json: JsonOption = False,
    width: WidthOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """Search questions and answers, best matches first.

    All words must match; "exact phrases", -excluded words, a OR b, and prefix* work too.
    Case and accents are ignored. Exit status 1 when nothing matches.

    \b
    Examples:
      deeply search "Deir Ezzor"
      deeply search al-Nusra --speaker Bonsey
      deeply search 'caliph*' -Iraq --answers --json
    """
    if helped(ctx, terms):
        return
    if questions and answers:
        raise UsageError("--questions and --answers exclude each other")
    given(speaker=speaker, article=article)
    index = current_index(ctx)
    path = index.path_of(article)[1] if article else None
    name = catalog.match_speaker(index, speaker, path) if speaker else None
    only = True if questions else False if answers else None
    limit = checked_limit(limit)
    hits = catalog.search(
        index, " ".join(terms), speaker=name, path=path, questions=only, limit=_one_more(limit)
    )
    more, hits = len(hits) > limit > 0, hits[: limit or None]
    if as_json:
        emit_json([serialize.hit(h) for h in hits])
    else:
        show(ctx, render.render_hits(hits, more), width, pager=not no_pager)
    if not hits:
        raise typer.Exit(Exit.NOT_FOUND)


@app.command("speakers")
@guarded
def speakers_cmd(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N speakers; 0 for all.")] = 20,
    as_json: JsonOption = False,
    width: WidthOption = None,
) -> None:
    """List the speakers in the archive with roles, articles, answers and words.

    Most answers first.

    \b
    Examples:
      deeply speakers
      deeply speakers --limit 0 --json
    """
    limit = checked_limit(limit)
    figures = catalog.speakers(current_index(ctx), limit=_one_more(limit))
    more, figures = len(figures) > limit > 0, figures[: limit or None]
    if as_json:
        emit_json([serialize.speaker_figures(f) for f in figures])
        return
    show(ctx, render.render_speakers(figures, more), width)


def _one_more(limit: int) -> int:
    """Ask for one row past the limit, to tell whether the limit cut the rows (0: all)."""
    return limit + 1 if limit else 0
