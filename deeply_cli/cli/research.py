"""Commands for people who quote and analyse: verify, stats."""

from __future__ import annotations

from typing import Annotated

import typer

from deeply_cli import catalog, render, serialize
from deeply_cli.cli.common import (
    TEXT_ARGUMENTS,
    JsonOption,
    WidthOption,
    app,
    checked_limit,
    complete_slug,
    current_index,
    emit_json,
    guarded,
    helped,
    show,
)
from deeply_cli.errors import Exit, UsageError


@app.command("verify", context_settings=TEXT_ARGUMENTS)
@guarded
def verify_cmd(
    ctx: typer.Context,
    quote: Annotated[str, typer.Argument(help="The quote to find, as you have it.")],
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, help="Show at most N sources (0: every exact one)."),
    ] = 5,
    as_json: JsonOption = False,
    width: WidthOption = None,
) -> None:
    """Find where a quote comes from: exact matches first, then near ones.

    Quote marks, spacing, case, accents and ellipses (…) do not matter; small wording changes
    give a near match with how close it is. Exit status 1 when nothing is close.

    \b
    Examples:
      deeply verify "their roots are not dissimilar"
      deeply verify "ISIS has been drawing fighters ... since ISIS was announced" --json
    """
    from deeply_cli import verify

    if helped(ctx, [quote]):
        return
    # Clamped as search's is: a limit past SQLite's integers would reach its LIMIT clause.
    sources = verify.find(current_index(ctx), quote, limit=checked_limit(limit))
    if as_json:
        emit_json([serialize.source(s) for s in sources])
    elif sources:
        show(ctx, render.render_sources(sources), width)
    else:
        render.write_text("no source found: nothing in the archive is close to this quote\n")
    if not sources:
        raise typer.Exit(Exit.NOT_FOUND)


@app.command("stats")
@guarded
def stats_cmd(
    ctx: typer.Context,
    slug: Annotated[
        str | None,
        typer.Argument(
            help="One article (slug or prefix); the whole archive if left out.",
            autocompletion=complete_slug,
        ),
    ] = None,
    as_json: JsonOption = False,
    width: WidthOption = None,
) -> None:
    """Show who speaks how much, as bar charts, for one article or the archive.

    \b
    Examples:
      deeply stats
      deeply stats as-isis
      deeply stats --json
    """
    from deeply_cli import stats

    if slug is not None and not slug.strip():
        raise UsageError("the article's slug is empty (leave it out for the whole archive)")
    index = current_index(ctx)
    figures = stats.of_article(catalog.entry(index, slug)) if slug else stats.of_archive(index)
    if as_json:
        emit_json(serialize.stats(figures))
        return
    show(ctx, render.render_stats(figures), width)
