"""The app, its global options, and what every command shares: errors, the index, output."""

from __future__ import annotations

import functools
import os
import re
import signal
import sqlite3
import sys
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from deeply_cli import render, scan, serialize
from deeply_cli.errors import DeeplyError, Exit, Problem, UsageError
from deeply_cli.index import Index, damaged, in_memory, open_index, unusable

app = typer.Typer(
    name="deeply",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])
MAX_LIMIT = 2**62


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"deeply {package_version('deeply')}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    archive_dir: Annotated[
        str | None,  # text, so that an empty one is told from `.`
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
    """Expected failures become one line on stderr and a named exit status. An index found
    damaged while a command reads it is rebuilt, and the command runs once more."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _OPENED.clear()  # in-process callers (tests) run many commands
        _REPORTED.clear()
        try:
            try:
                return fn(*args, **kwargs)
            except UnicodeEncodeError as exc:
                if "surrogates" not in exc.reason:
                    raise
                raise UsageError(_undecodable_argument()) from None
            except sqlite3.DatabaseError as exc:
                if unusable(exc):  # `deeply index` on a full disk: its work cannot be done
                    raise DeeplyError(
                        f"cannot write the index ({exc}); free some space there or set"
                        " DEEPLY_CACHE_DIR to another folder"
                    ) from None
                if not damaged(exc) or not _OPENED:
                    raise
                try:
                    _discard_opened(exc)
                    return fn(*args, **kwargs)
                except sqlite3.DatabaseError as again:
                    raise DeeplyError(
                        f"the index is damaged and could not be rebuilt ({again}); "
                        "set DEEPLY_CACHE_DIR to another folder"
                    ) from None
        except DeeplyError as exc:
            stderr().print(render.render_error(str(exc)), soft_wrap=True)
            raise typer.Exit(int(exc.status)) from None

    return wrapper  # type: ignore[return-value]


def _undecodable_argument() -> str:
    """Bytes in an argument that are not UTF-8 cannot be searched or matched as text."""
    for arg in sys.argv[1:]:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(arg).decode("utf-8", "backslashreplace")
            return f"argument is not valid UTF-8 text: {shown}"
    return "an argument is not valid UTF-8 text"


def stderr() -> Any:
    return render.make_console(stderr=True)


def archive_root(ctx: typer.Context) -> Path:
    option = ctx.find_root().params.get("archive_dir")
    if option is not None and not str(option).strip():
        raise UsageError("--archive is empty (give a folder, or leave it out)")
    return scan.find_archive(Path(option) if option else None, os.environ, scan.current_folder())


_REPORTED: set[Problem] = set()  # each problem once per run, also when a command runs again


def report(problems: list[Problem]) -> None:
    err = stderr()
    for problem in dict.fromkeys(problems):
        if problem not in _REPORTED:
            _REPORTED.add(problem)
            err.print(render.render_problem(problem), soft_wrap=True)


_OPENED: list[Index] = []  # this run's indexes, to rebuild if one proves damaged


def _discard_opened(exc: sqlite3.DatabaseError) -> None:
    err = stderr()
    while _OPENED:
        index = _OPENED.pop()
        index.conn.close()
        if index.db_path is None:
            continue
        where = Problem(str(index.db_path), f"index damaged ({exc}); rebuilding it", fatal=False)
        err.print(render.render_problem(where), soft_wrap=True)
        open_index(index.root, os.environ, fresh=True).conn.close()


def current_index(ctx: typer.Context, *, quiet: bool = False) -> Index:
    """The archive's index, brought up to date with the files; a damaged one is rebuilt."""
    root_dir = archive_root(ctx)
    index = open_index(root_dir, os.environ)
    progress = None if quiet else render.progress_bar
    try:
        try:
            index.refresh(progress)
        except sqlite3.DatabaseError as exc:
            if unusable(exc):
                raise
            index.conn.close()  # damaged, or of another kind: built anew
            index = open_index(root_dir, os.environ, fresh=True)
            index.refresh(progress)
    except sqlite3.OperationalError as exc:
        if not unusable(exc):
            raise
        # A full disk or quota, say: the index keeps what it stored, and this run reads
        # the articles into memory instead.
        index = in_memory(root_dir, index, str(exc))
        index.refresh(progress)
    ctx.call_on_close(index.conn.close)
    _OPENED.append(index)
    if not quiet:
        report(index.problems + index.stored_problems() + index.slug_problems())
    return index


# For commands whose text may start with a dash (`search isis -Iraq`, `verify "-and then…"`):
# unknown options reach the text, and `-hamas` is not `-h` (help) and `amas`.
TEXT_ARGUMENTS: dict[str, Any] = {"ignore_unknown_options": True, "help_option_names": ["--help"]}


def helped(ctx: typer.Context, texts: list[str]) -> bool:
    """Show the help for a lone `-h` among the texts (True); a mistyped `--option` is a usage
    error, not text."""
    argv = sys.argv[1:]
    literal = argv[argv.index("--") + 1 :] if "--" in argv else []  # text after `--`, always
    if "-h" in texts and "-h" not in literal:
        typer.echo(ctx.get_help())
        return True
    mistyped = next((t for t in texts if _option_shaped(t) and t not in literal), None)
    if mistyped and mistyped.split("=", 1)[0] == "--archive":
        raise UsageError(_archive_goes_first("no such option: --archive", ctx.info_name))
    if mistyped:
        raise UsageError(f"no such option: {mistyped} (see `deeply {ctx.info_name} --help`)")
    return False


def _option_shaped(text: str) -> bool:
    """`--limt`, not `--and then we left` (a quotation with a dash for a dash)."""
    return text.startswith("--") and text != "--" and not any(c.isspace() for c in text)


def emit_json(data: Any) -> None:
    # An output that cannot encode every character gets JSON's own escapes (`\u00e9`), not
    # the stream's (`\xe9`), which no JSON reader takes.
    sys.stdout.write(serialize.dumps(data, ascii_only=not stdout_is_unicode()) + "\n")


def stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower()
    return encoding.replace("_", "-").startswith("utf")


def given(**options: str | None) -> None:
    """An option given as empty text (`--speaker ''`) is a mistake, not "no filter": it
    would otherwise quietly match the whole archive."""
    for name, value in options.items():
        if value is not None and not value.strip():
            raise UsageError(f"--{name} is empty")


def checked_limit(value: int) -> int:
    if value < 0:
        raise UsageError("--limit must be 0 (no limit) or more")
    return min(value, MAX_LIMIT)


def show(ctx: typer.Context, renderable: Any, width: int | None, pager: bool = False) -> None:
    render.show(renderable, width=width, page=pager, env=os.environ)


# -- shared options ----------------------------------------------------------------------------
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of text.")]
WidthOption = Annotated[
    int | None,
    typer.Option("--width", min=render.MIN_WIDTH, max=1000, help="Wrap text at this width."),
]
NoPagerOption = Annotated[
    bool, typer.Option("--no-pager", help="Never page output (paged only on a terminal).")
]


# -- shell completion --------------------------------------------------------------------------
# Typer keeps only the completions that start with what was typed, as typed, and bash puts
# them on the line unquoted. So a completion keeps the typed letters as they were (`As` gives
# `As-isis…`: slugs are matched in any case), a speaker is completed by the word of the name
# typed (`Bon` gives `Bonsey`, which --speaker takes), and bash gets its spaces escaped.
def complete_slug(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        slugs = current_index(ctx, quiet=True).slugs().values()
    except Exception:  # completion must never print a traceback into the shell
        return []
    return sorted(_as_typed(s, incomplete) for s in slugs if s.startswith(incomplete.lower()))


def complete_speaker(ctx: typer.Context, incomplete: str) -> list[str]:
    from deeply_cli import catalog

    try:
        names = catalog.speaker_names(current_index(ctx, quiet=True))
    except Exception:  # completion must never print a traceback into the shell
        return []
    wanted = incomplete.casefold()
    found: dict[str, None] = {}
    for name in names:
        words = name.split()
        for form in (name, *words[1:]):  # the full name, else a later word (the surname)
            if form.casefold().startswith(wanted):
                found[_for_the_shell(_as_typed(form, incomplete))] = None
                break
    return list(found)


def _as_typed(value: str, incomplete: str) -> str:
    return incomplete + value[len(incomplete) :]


def _for_the_shell(value: str) -> str:
    """bash puts a completion on the command line as it is: its spaces must be escaped."""
    if not any(v == "complete_bash" for k, v in os.environ.items() if k.endswith("_COMPLETE")):
        return value
    return re.sub(r"""([\s'"\\$`!&;|<>(){}*?#~])""", r"\\\1", value)


def _interrupted(signum: int, frame: object) -> None:
    sys.stderr.write("\n")
    raise SystemExit(Exit.INTERRUPTED)


def main() -> None:
    """Run the app; Ctrl-C exits 130. `launch.main` decides how the process ends."""
    signal.signal(signal.SIGINT, _interrupted)
    for stream in (sys.stdout, sys.stderr):
        # An output that cannot encode every character (PYTHONIOENCODING=ascii, say) shows
        # those characters as escapes rather than stopping with a traceback.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        code = app(standalone_mode=False)
    except typer.Abort:  # end of input at a prompt
        sys.stderr.write("Aborted!\n")
        raise SystemExit(1) from None
    except _CLICK_ERROR as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `deeply` alone: the help, as Click shows it
            exc.show()  # type: ignore[attr-defined]
        else:
            stderr().print(render.render_error(_one_line(exc)), soft_wrap=True)
        raise SystemExit(exc.exit_code) from None  # type: ignore[attr-defined]
    raise SystemExit(code if isinstance(code, int) else 0)


# Click's errors (a mistyped option, a bad value, a missing argument), found through Typer's
# public BadParameter: printed in deeply's one line rather than Click's four.
_CLICK_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def _one_line(exc: Exception) -> str:
    message = " ".join(str(getattr(exc, "format_message", exc.__str__)()).split())
    if message[1:2].islower():
        message = message[0].lower() + message[1:]  # "No such option" -> "no such option"
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return message
    if getattr(exc, "option_name", None) == "--archive":
        return _archive_goes_first("no such option: --archive", ctx.info_name)
    return f"{message} (see `{ctx.command_path} --help`)"


def _archive_goes_first(message: str, command: str | None) -> str:
    """`deeply index --archive DIR`: the global option typed after the command (Click's own
    "did you mean --author?" would mislead)."""
    return (
        f"{message}: it goes before the command (`deeply --archive DIR {command} …`;"
        f" see `deeply {command} --help`)"
    )
