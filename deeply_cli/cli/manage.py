"""Commands that look after the archive: index, check, import, export."""

from __future__ import annotations

import os
import sqlite3
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from deeply_cli import archive, catalog, render
from deeply_cli.cli.common import (
    JsonOption,
    app,
    archive_root,
    complete_slug,
    complete_speaker,
    current_index,
    emit_json,
    given,
    guarded,
    report,
    stdout_is_unicode,
)
from deeply_cli.errors import DeeplyError, Exit, Problem, UsageError
from deeply_cli.index import open_index, unusable

if TYPE_CHECKING:
    from deeply_cli import export
    from deeply_cli.index import Index
    from deeply_cli.model import Turn
    from deeply_cli.parser import ParseConfig


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    md = "md"
    sqlite = "sqlite"


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
    root_dir = archive_root(ctx)
    index = open_index(root_dir, os.environ, fresh=rebuild)
    ctx.call_on_close(index.conn.close)
    try:
        done = index.refresh(render.progress_bar, rebuild=rebuild)
    except sqlite3.OperationalError as exc:
        if not unusable(exc):
            raise
        raise DeeplyError(
            f"cannot write the index ({exc}); it keeps what it stored: free some space there"
            " or set DEEPLY_CACHE_DIR to another folder",
            str(index.db_path),
        ) from None
    report(index.problems + index.stored_problems() + index.slug_problems())
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
        emit_json(summary)
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
    root_dir = archive_root(ctx)
    loaded = archive.load(root_dir, _held_slugs(root_dir))
    from deeply_cli import checks

    found = checks.findings(loaded)
    if as_json:
        emit_json(
            [
                {"path": f.path, "line": f.line, "message": f.message, "severity": f.severity}
                for f in found
            ]
        )
    else:
        render.make_console(soft_wrap=True).print(render.render_check(found, len(loaded.entries)))
    if found:
        raise typer.Exit(Exit.NOT_FOUND)


def _held_slugs(root_dir: Path) -> dict[str, str]:
    """The slugs the index gave so far, so that `check` names the same -2 as other commands;
    none when there is no usable index."""
    try:
        index = open_index(root_dir, os.environ)
    except (DeeplyError, sqlite3.Error):
        return {}
    try:
        return index.held_slugs()
    except sqlite3.Error:
        return {}
    finally:
        index.conn.close()


@app.command("import")
@guarded
def import_cmd(
    ctx: typer.Context,
    files: Annotated[list[str], typer.Argument(help="Raw pages to import.")],  # '' told from .
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be written; write nothing.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing article.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import raw pages into the archive as clean articles with front matter.

    Each page becomes SLUG.md in the archive folder (pages of one title in one run: SLUG.md,
    SLUG-2.md, …). Nothing is overwritten without --force.

    \b
    Examples:
      deeply import ~/Downloads/page.txt --dry-run
      deeply import ~/Downloads/*.txt
    """
    if any(not f.strip() for f in files):
        raise UsageError("a file name to import is empty")
    root_dir = archive_root(ctx)
    config, _ = archive.load_config(root_dir)
    written: set[str] = set()  # targets of this run: a page of the same title never replaces one
    reports = [
        _import_one(
            path, root_dir, config, dry_run=dry_run, force=force, written=written, as_json=as_json
        )
        for path in _once_each([Path(f) for f in files])
    ]
    if as_json:
        emit_json(reports)
    else:
        out = render.make_console(stderr=dry_run, soft_wrap=True)
        for report in reports:
            out.print(render.render_import(report))
    if any(r["status"] == "failed" for r in reports):
        raise typer.Exit(Exit.NOT_FOUND)


def _once_each(files: list[Path]) -> list[Path]:
    """Each page once, however often it is named (`import *.txt page.txt`, or by a link):
    a second time it would be written again beside the first, as SLUG-2.md. A file is
    known by its device and inode, which its hard links share too; by its path if absent."""
    seen: set[object] = set()
    unique = []
    for path in files:
        try:
            info = os.stat(path)
            key: object = (info.st_dev, info.st_ino)
        except OSError:
            try:
                key = os.path.realpath(path)
            except OSError:  # a relative path, and the current folder is gone
                key = str(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _shown_path(name: str | None, root_dir: Path) -> str:
    """A file in the archive by its path there (`plain-title.md`), any other in full."""
    path = Path(name or "")
    return path.relative_to(root_dir).as_posix() if path.is_relative_to(root_dir) else str(path)


def _import_one(
    path: Path,
    root_dir: Path,
    config: ParseConfig,
    *,
    dry_run: bool,
    force: bool,
    written: set[str],
    as_json: bool,
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "source": str(path),
        "target": None,
        "status": "failed",
        "warnings": [],
    }
    try:
        article, warning = archive.parse_file(path, str(path), config)
        slug = base = archive.base_slug(path.name, article)
        number = 1
        while slug in written:  # another page of this run has that title: numbered, as slugs are
            number += 1
            slug = f"{base}-{number}"
        written.add(slug)
        target = root_dir / f"{slug}.md"
        report["target"] = target.relative_to(root_dir).as_posix()
        report["warnings"] = [f"{path}:{w.line}: {w.message}" for w in article.warnings]
        if warning:
            report["warnings"].insert(0, str(warning))
        from deeply_cli import importer, writer

        text = importer.article_file(article, slug)
        writer.check_plain(target)  # never through a link, nor into a pipe that blocks
        if not force:  # said at once, as --dry-run says it, not after a write that failed
            writer.check_new(target)
        if dry_run:
            if as_json:
                report["text"] = text  # stdout holds only JSON
            else:
                render.write_text(text)
            report["status"] = "would write"
        else:
            writer.write_atomic(target, text, overwrite=force)
            report["status"] = "written"
        report["exchanges"] = len(article.exchanges)
    except DeeplyError as exc:  # the source is named once; another file, by its own name
        report["error"] = exc.message if exc.line is None else f"line {exc.line}: {exc.message}"
        if exc.path not in (None, str(path)):
            report["error"] = f"{_shown_path(exc.path, root_dir)}: {report['error']}"
    return report


@app.command("export")
@guarded
def export_cmd(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.jsonl,
    output_name: Annotated[
        str | None,  # text, so that an empty one is told from `.`
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write to FILE (atomically) instead of stdout (-: stdout).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing FILE.")] = False,
    speaker: Annotated[
        str | None,
        typer.Option(
            "--speaker", help="Only this speaker's turns.", autocompletion=complete_speaker
        ),
    ] = None,
    article: Annotated[
        str | None,
        typer.Option(
            "--article", help="Only this article (slug prefix).", autocompletion=complete_slug
        ),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Only turns matching QUERY.")
    ] = None,
) -> None:
    """Export the archive, or part of it, for other tools.

    Formats: jsonl (one turn per line), json (articles), csv (one turn per row), md (one
    readable document), sqlite (a database with a full-text index; open it with Datasette).
    On stdout, control characters from the articles are shown in visible form (␛); a file
    written with -o keeps them exactly. In csv, a cell that starts with = + - @, a tab or a
    carriage return gets a leading ' so that spreadsheets take it as text, not a formula.

    \b
    Examples:
      deeply export --format csv -o archive.csv
      deeply export --format sqlite -o archive.db && datasette archive.db
      deeply export --speaker Bonsey --format md
    """
    from deeply_cli import export, writer

    if output_name is not None and not output_name.strip():
        raise UsageError("-o is empty (give a file name, or - for stdout)")
    output = Path(output_name) if output_name not in (None, "-") else None  # -: stdout
    if fmt is ExportFormat.sqlite and output is None:
        raise UsageError("--format sqlite needs -o FILE")
    given(speaker=speaker, article=article, search=search)
    if output is not None and not force:
        writer.check_new(output)  # now, not after reading the whole archive
    index = current_index(ctx)
    selection = _selection(index, speaker=speaker, article=article, search=search)
    if (speaker or article or search) and not selection.chosen():
        raise DeeplyError("no turn matches the filters; nothing exported")  # as search: exit 1
    if fmt is ExportFormat.sqlite:
        assert output is not None
        writer.build_atomic(
            output, lambda _h, temp: export.to_sqlite(selection, temp), overwrite=force
        )
    else:
        ascii_only = output is None and not stdout_is_unicode()  # still JSON, on any stdout
        text = export.text_export(selection, fmt.value, ascii_only=ascii_only)
        if output is None:
            render.write_text(text)
        else:
            writer.write_atomic(output, text, overwrite=force)
    if output is not None:
        rows = sum(1 for _ in export.turn_rows(selection))
        # The name as typed, but on one line and with no escape sequence reaching the terminal.
        told = f"wrote {rows} turns from {len(selection.chosen())} articles to {output}"
        render.make_console(stderr=True, soft_wrap=True).print(render.one_line(told))


def _selection(
    index: Index, *, speaker: str | None, article: str | None, search: str | None
) -> export.Selection:
    """Parse the chosen articles; keep the turns the filters allow."""
    from deeply_cli import export

    slugs = index.slugs()
    paths = sorted(slugs)
    if article:
        paths = [index.path_of(article)[1]]
    name = catalog.match_speaker(index, speaker, paths[0] if article else None) if speaker else None
    hits: set[tuple[str, int, str, bool]] | None = None
    if search:
        found = catalog.search(index, search, speaker=name, limit=0)
        hits = {(h.path, h.exchange, h.speaker, h.is_question) for h in found}
        hit_paths = {h[0] for h in hits}
        paths = [p for p in paths if p in hit_paths]
    if name:
        speaker_paths = set(catalog.paths_with_speaker(index, name))
        paths = [p for p in paths if p in speaker_paths]
    config = index.parse_config()
    entries = []
    for path in paths:
        try:
            article_, _ = archive.parse_file(index.root / path, path, config)
        except DeeplyError as exc:
            report([Problem(path, exc.message, exc.line)])
            continue
        entries.append(archive.Entry(slugs[path], path, article_))

    def keep(entry: archive.Entry, number: int, position: int, turn: Turn) -> bool:
        if name and turn.speaker != name:
            return False
        return hits is None or (entry.path, number, turn.speaker, turn.is_question) in hits

    return export.Selection(entries, keep)
