"""The Typer app: each command finds the archive, asks the core, and hands the result on."""

from __future__ import annotations

import functools
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from enum import StrEnum
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from deeply_cli import archive, catalog, checks, importer, query, render, serialize, writer
from deeply_cli.errors import DeeplyError, Exit, UsageError
from deeply_cli.index import Index, open_index

app = typer.Typer(
    name="deeply",
    help="Read archives of published interviews: list, show, quote and search them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of text.")]
WidthOption = Annotated[
    int | None, typer.Option("--width", min=20, max=1000, help="Wrap text at this width.")
]


class Sort(StrEnum):
    path = "path"
    slug = "slug"
    title = "title"
    date = "date"
    questions = "questions"
    answers = "answers"


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"deeply {package_version('deeply')}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    archive_dir: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            metavar="DIR",
            help="Archive folder (else $DEEPLY_ARCHIVE, else the nearest articles/).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Read archives of published interviews: list, show, quote and search them.

    \b
    Examples:
      deeply list
      deeply show as-isis
      deeply quotes --speaker Bonsey
      deeply search "Deir Ezzor"
    """
    ctx.obj = archive_dir


def guarded(fn: F) -> F:
    """Expected failures become one line on stderr and a named exit status."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DeeplyError as exc:
            _stderr().print(render.render_error(str(exc)), soft_wrap=True)
            raise typer.Exit(int(exc.status)) from None

    return wrapper  # type: ignore[return-value]


def _stderr() -> Any:
    return render.make_console(stderr=True)


def _root(ctx: typer.Context) -> Path:
    return archive.find_archive(ctx.obj, os.environ, Path.cwd())


def _report(problems: list[archive.Problem]) -> None:
    err = _stderr()
    for problem in dict.fromkeys(problems):  # once per run
        err.print(render.render_problem(problem), soft_wrap=True)


def _index(ctx: typer.Context, rebuild: bool = False) -> Index:
    """The archive's index, brought up to date with the files; a damaged one is rebuilt."""
    root_dir = _root(ctx)
    index = open_index(root_dir, os.environ)
    ctx.call_on_close(lambda: index.conn.close())
    try:
        index.refresh(render.progress_bar, rebuild=rebuild)
    except sqlite3.DatabaseError:
        index = open_index(root_dir, os.environ, fresh=True)
        ctx.call_on_close(index.conn.close)
        index.refresh(render.progress_bar)
    index.slugs()
    _report(index.problems + index.stored_problems())
    return index


def _emit_json(data: Any) -> None:
    sys.stdout.write(serialize.dumps(data) + "\n")


def _limit(value: int) -> int:
    if value < 0:
        raise UsageError("--limit must be 0 (no limit) or more")
    return value


@app.command("list")
@guarded
def list_cmd(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N articles; 0 for all.")] = 50,
    sort: Annotated[Sort, typer.Option("--sort", help="Order by this field.")] = Sort.path,
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the order.")] = False,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Only articles where NAME answers.")
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", help="Only articles by this author.")
    ] = None,
    as_json: JsonOption = False,
    width: WidthOption = None,
) -> None:
    """List the articles in the archive.

    \b
    Examples:
      deeply list
      deeply list --sort date --reverse --limit 10
      deeply list --speaker Bonsey --json
    """
    index = _index(ctx)
    name = query.match_speaker(catalog.speaker_names(index), speaker) if speaker else None
    found, total = catalog.summaries(
        index, limit=_limit(limit), sort=sort.value, reverse=reverse, speaker=name, author=author
    )
    if as_json:
        _emit_json([serialize.list_item(s) for s in found])
        return
    render.make_console(width=width).print(render.render_list(found, total))


@app.command("show")
@guarded
def show_cmd(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The article's slug, or a unique prefix of it.")],
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Show only this speaker's answers.")
    ] = None,
    as_json: JsonOption = False,
    width: WidthOption = None,
) -> None:
    """Show one article: header, intro, questions and answers.

    \b
    Examples:
      deeply show as-isis
      deeply show as-isis --speaker Bonsey
    """
    entry = catalog.entry(_index(ctx), slug)
    only = query.match_speaker(query.speaker_names([entry]), speaker) if speaker else None
    if as_json:
        data = serialize.article(entry)
        if only:
            data["exchanges"] = [
                {**ex, "answers": [a for a in ex["answers"] if a["speaker"] == only]}
                for ex in data["exchanges"]
                if any(a["speaker"] == only for a in ex["answers"])
            ]
        _emit_json(data)
        return
    render.make_console(width=width).print(render.render_article(entry, only))


@app.command("quotes")
@guarded
def quotes_cmd(
    ctx: typer.Context,
    speaker: Annotated[
        str, typer.Option("--speaker", help="Full name, surname or a unique prefix.")
    ],
    as_json: JsonOption = False,
    width: WidthOption = None,
) -> None:
    """Print every answer by one speaker across the archive, with the questions.

    \b
    Examples:
      deeply quotes --speaker Bonsey
      deeply quotes --speaker "Noah Bonsey" --json
    """
    index = _index(ctx)
    found = catalog.quotes(index, query.match_speaker(catalog.speaker_names(index), speaker))
    if as_json:
        _emit_json([serialize.quote(q) for q in found])
        return
    render.make_console(width=width).print(render.render_quotes(found))


@app.command("search")
@guarded
def search_cmd(
    ctx: typer.Context,
    terms: Annotated[list[str], typer.Argument(help='Words, "phrases", -excluded, OR, prefix*.')],
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Only this speaker's turns.")
    ] = None,
    article: Annotated[
        str | None, typer.Option("--article", help="Only this article (slug prefix).")
    ] = None,
    questions: Annotated[bool, typer.Option("--questions", help="Search questions only.")] = False,
    answers: Annotated[bool, typer.Option("--answers", help="Search answers only.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N hits; 0 for all.")] = 20,
    as_json: JsonOption = False,
    width: WidthOption = None,
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
    if questions and answers:
        raise UsageError("--questions and --answers exclude each other")
    index = _index(ctx)
    name = query.match_speaker(catalog.speaker_names(index), speaker) if speaker else None
    path = None
    if article:
        by_slug = {slug: p for p, slug in index.slugs().items()}
        path = by_slug[query.find_slug(list(by_slug), article)]
    only = True if questions else False if answers else None
    hits = catalog.search(
        index, " ".join(terms), speaker=name, path=path, questions=only, limit=_limit(limit)
    )
    if as_json:
        _emit_json([serialize.hit(h) for h in hits])
    else:
        render.make_console(width=width).print(render.render_hits(hits))
    if not hits:
        raise typer.Exit(Exit.NOT_FOUND)


@app.command("speakers")
@guarded
def speakers_cmd(
    ctx: typer.Context, as_json: JsonOption = False, width: WidthOption = None
) -> None:
    """List every speaker in the archive with roles, articles, answers and words.

    \b
    Examples:
      deeply speakers
      deeply speakers --json
    """
    figures = catalog.speakers(_index(ctx))
    if as_json:
        _emit_json([serialize.speaker_figures(f) for f in figures])
        return
    render.make_console(width=width).print(render.render_speakers(figures))


@app.command("index")
@guarded
def index_cmd(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start again from nothing.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring the search index up to date with the archive (other commands do it as needed).

    \b
    Examples:
      deeply index
      deeply index --rebuild
    """
    root_dir = _root(ctx)
    index = open_index(root_dir, os.environ, fresh=rebuild)
    ctx.call_on_close(index.conn.close)
    done = index.refresh(render.progress_bar, rebuild=rebuild)
    _report(index.problems + index.stored_problems())
    summary = {
        "archive": str(root_dir),
        "index": str(index.db_path) if index.db_path else None,
        "articles": index.article_count(),
        "added": done.added,
        "changed": done.changed,
        "removed": done.removed,
        "unchanged": done.unchanged,
        "rebuilt": done.rebuilt,
    }
    if as_json:
        _emit_json(summary)
    else:
        render.make_console(soft_wrap=True).print(render.render_index(summary))


@app.command("check")
@guarded
def check_cmd(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Check every article and report what needs attention, with file and line.

    Exit status 0 when all is clean, 1 when something needs attention.

    \b
    Examples:
      deeply check
      deeply check --json
    """
    loaded = archive.load(_root(ctx))
    found = checks.findings(loaded)
    if as_json:
        _emit_json(
            [
                {"path": f.path, "line": f.line, "message": f.message, "severity": f.severity}
                for f in found
            ]
        )
    else:
        render.make_console(soft_wrap=True).print(render.render_check(found, len(loaded.entries)))
    if found:
        raise typer.Exit(Exit.NOT_FOUND)


@app.command("import")
@guarded
def import_cmd(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Raw pages to import.", exists=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be written; write nothing.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing article.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import raw pages into the archive as clean articles with front matter.

    Each page becomes SLUG.md in the archive folder. Nothing is overwritten without --force.

    \b
    Examples:
      deeply import ~/Downloads/page.txt --dry-run
      deeply import ~/Downloads/*.txt
    """
    root_dir = _root(ctx)
    config, _ = archive.load_config(root_dir)
    reports = [_import_one(path, root_dir, config, dry_run=dry_run, force=force) for path in files]
    if as_json:
        _emit_json(reports)
    else:
        out = render.make_console(stderr=dry_run, soft_wrap=True)
        for report in reports:
            out.print(render.render_import(report))
    if any(r["status"] == "failed" for r in reports):
        raise typer.Exit(Exit.NOT_FOUND)


def _import_one(
    path: Path, root_dir: Path, config: Any, *, dry_run: bool, force: bool
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "source": str(path),
        "target": None,
        "status": "failed",
        "warnings": [],
    }
    try:
        article, warning = archive.parse_file(path, str(path), config)
        slug = archive.base_slug(path.name, article)
        target = root_dir / f"{slug}.md"
        report["target"] = target.relative_to(root_dir).as_posix()
        report["warnings"] = [f"{path}:{w.line}: {w.message}" for w in article.warnings]
        if warning:
            report["warnings"].insert(0, str(warning))
        text = importer.article_file(article, slug)
        if dry_run:
            sys.stdout.write(text)
            report["status"] = "would write"
        else:
            writer.write_atomic(target, text, overwrite=force)
            report["status"] = "written"
        report["exchanges"] = len(article.exchanges)
    except DeeplyError as exc:
        report["error"] = str(exc)
    return report


def _interrupted(signum: int, frame: object) -> None:
    sys.stderr.write("\n")
    raise SystemExit(Exit.INTERRUPTED)


def main() -> None:
    """Console entry point: Ctrl-C exits 130, a closed pipe ends quietly."""
    signal.signal(signal.SIGINT, _interrupted)
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(Exit.OK)
