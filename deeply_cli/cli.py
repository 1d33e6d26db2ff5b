"""The Typer app: each command finds the archive, asks the core, and hands the result on."""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from deeply_cli import archive, checks, importer, query, render, serialize, writer
from deeply_cli.errors import DeeplyError, Exit

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
    """
    ctx.obj = archive_dir


def guarded(fn: F) -> F:
    """Expected failures become one line on stderr and a named exit status."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DeeplyError as exc:
            render.make_console(stderr=True).print(render.render_error(str(exc)), soft_wrap=True)
            raise typer.Exit(int(exc.status)) from None

    return wrapper  # type: ignore[return-value]


def _load(ctx: typer.Context) -> archive.Loaded:
    root_dir = archive.find_archive(ctx.obj, os.environ, Path.cwd())
    loaded = archive.load(root_dir)
    err = render.make_console(stderr=True)
    for problem in loaded.problems:
        err.print(render.render_problem(problem), soft_wrap=True)
    return loaded


def _emit_json(data: Any) -> None:
    sys.stdout.write(serialize.dumps(data) + "\n")


@app.command("list")
@guarded
def list_cmd(ctx: typer.Context, as_json: JsonOption = False, width: WidthOption = None) -> None:
    """List the articles in the archive.

    \b
    Examples:
      deeply list
      deeply list --json
    """
    entries = _load(ctx).entries
    if as_json:
        _emit_json([serialize.list_item(e) for e in entries])
        return
    render.make_console(width=width).print(render.render_list(entries))


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
    entry = query.find_entry(_load(ctx).entries, slug)
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
    entries = _load(ctx).entries
    name = query.match_speaker(query.speaker_names(entries), speaker)
    found = query.quotes(entries, name)
    if as_json:
        _emit_json([serialize.quote(q) for q in found])
        return
    render.make_console(width=width).print(render.render_quotes(found))


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
    root_dir = archive.find_archive(ctx.obj, os.environ, Path.cwd())
    loaded = archive.load(root_dir)
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
    root_dir = archive.find_archive(ctx.obj, os.environ, Path.cwd())
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
