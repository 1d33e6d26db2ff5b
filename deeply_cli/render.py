"""With layout.py, the only modules that import Rich. Article text always enters as sanitised
Text, never markup."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from deeply_cli.archive import Entry
from deeply_cli.catalog import Hit, SpeakerFigures, Summary
from deeply_cli.errors import Problem
from deeply_cli.layout import Indent
from deeply_cli.model import Article
from deeply_cli.text import sanitize

if TYPE_CHECKING:  # only for annotations: keep start-up light
    from rich.progress import Progress, TaskID

    from deeply_cli.checks import Finding
    from deeply_cli.query import Quote
    from deeply_cli.stats import Stats
    from deeply_cli.verify import Source

PALETTE = ("cyan", "green", "magenta", "yellow", "blue", "red", "bright_cyan", "bright_magenta")
INTERVIEWER_STYLE = "bold"
TABLE_MIN_WIDTH = 40  # columns a table is drawn in however narrow the terminal: the terminal
# wraps its lines, and no cell loses its text


def text(value: str | None, style: str = "") -> Text:
    return Text(sanitize(value or ""), style=style)


def one_line(value: str, style: str = "") -> Text:
    """Text that must stay one line (a message, a file name): newlines shown as ␊."""
    return text(value.replace("\n", "\u240a"), style)


def make_console(
    *, stderr: bool = False, width: int | None = None, soft_wrap: bool = False
) -> Console:
    """Rich never interprets data: no markup, emoji codes or highlighting. A width from the
    environment below MIN_WIDTH is raised to it, and `COLUMNS=0` means unset (as Python's
    shutil reads it): too narrow a console prints lines with nothing in them."""
    console = Console(
        stderr=stderr, width=width, soft_wrap=soft_wrap, markup=False, emoji=False, highlight=False
    )
    if width is None and console.width < MIN_WIDTH:
        console.width = MIN_WIDTH if console.width > 0 else 80
    return console


MIN_WIDTH = 20  # columns, as `--width` allows


def speaker_style(name: str, order: Sequence[str] = ()) -> str:
    index = order.index(name) if name in order else zlib.crc32(name.encode())
    return f"bold {PALETTE[index % len(PALETTE)]}"


def render_problem(problem: Problem) -> Text:
    kind = "error" if problem.fatal else "warning"
    return Text.assemble(
        ("deeply: ", "bold"),
        (f"{kind}: ", "red" if problem.fatal else "yellow"),
        one_line(str(problem)),
    )


def render_error(message: str) -> Text:
    return Text.assemble(("deeply: ", "bold"), ("error: ", "red"), one_line(message))


def render_list(summaries: Sequence[Summary], total: int) -> RenderableType:
    if not total:
        return text("0 articles", "dim")
    table = Table(show_lines=False, header_style="bold", expand=False)
    for name in ("slug", "title", "authors", "date", "speakers"):
        table.add_column(name, overflow="fold")
    table.add_column("Qs", justify="right", overflow="fold")
    for s in summaries:
        table.add_row(
            text(s.slug, "cyan"),
            text(s.title),
            text(", ".join(s.authors)),
            text(s.published or "—"),
            text(", ".join(s.speakers)),
            text(str(s.questions)),
        )
    if len(summaries) >= total:
        return table
    more = text(f"{len(summaries)} of {total} articles shown; --limit 0 shows all", "dim")
    return Group(table, more)


def render_hits(hits: Sequence[Hit], more: bool = False) -> RenderableType:
    """The hits, then their count: `20 hits shown; more match` when the limit cut them."""
    blocks: list[RenderableType] = []
    for h in hits:
        head = Text.assemble(
            text(h.speaker, INTERVIEWER_STYLE if h.is_question else speaker_style(h.speaker)),
            text(f"  {h.title or h.slug}", "bold"),
            text(f"  ({h.slug}, exchange {h.exchange + 1})", "dim"),
        )
        parts: list[RenderableType] = [head]
        if h.question and not h.is_question:
            parts.append(Indent(text("Q: " + h.question.split("\n\n")[0], "dim italic"), 2))
        parts.append(Indent(_highlighted(h.snippet), 2))
        blocks.append(Group(*parts))
    count = f"{len(hits)} hit{'s' if len(hits) != 1 else ''}"
    footer = text(f"{count} shown; more match (--limit 0 shows all)" if more else count, "dim")
    return Indent(Group(*_spaced([*blocks, footer])), 0)


def _highlighted(snippet: Sequence[str]) -> Text:
    out = Text()
    for i, part in enumerate(snippet):  # every second part is a match
        out.append_text(text(part, "bold reverse" if i % 2 else ""))
    return out


def render_speakers(figures: Sequence[SpeakerFigures], more: bool = False) -> RenderableType:
    table = Table(header_style="bold")
    table.add_column("speaker", overflow="fold")
    table.add_column("role(s)", overflow="fold")
    for name in ("articles", "answers", "words"):
        table.add_column(name, justify="right", overflow="fold")
    for f in figures:
        table.add_row(
            text(f.name, speaker_style(f.name)),
            text("; ".join(f.roles)),
            text(str(f.articles)),
            text(str(f.answers)),
            text(str(f.words)),
        )
    if more:
        plural = "s" if len(figures) != 1 else ""
        shown = text(f"{len(figures)} speaker{plural} shown; --limit 0 shows all", "dim")
        return Group(table, shown)
    return table


class _Meter:
    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress, self.task = progress, task

    def advance(self, count: int = 1) -> None:
        self.progress.advance(self.task, count)


@contextlib.contextmanager
def progress_bar(total: int) -> Iterator[_Meter | None]:
    """A bar on stderr while indexing, only on a terminal and only for real work."""
    console = make_console(stderr=True)
    if not console.is_terminal or total < 200:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield _Meter(progress, progress.add_task("indexing", total=total))


def _byline(article: Article) -> Text:
    parts = []
    if article.authors:
        parts.append("By " + ", ".join(article.authors))
    parts.append(article.published.strftime("%-d %B %Y") if article.published else "n.d.")
    if article.read_minutes:
        parts.append(f"{article.read_minutes} min read")
    return text(" · ".join(parts), "dim")


def render_header(entry: Entry) -> RenderableType:
    a = entry.article
    lines: list[RenderableType] = [text(a.title or entry.slug, "bold")]
    if a.dek:
        lines.append(text(a.dek, "italic"))
    lines.append(_byline(a))
    lines.append(one_line(f"{entry.slug}  ({entry.path})", "dim"))
    if a.caption:
        lines.append(text("Photo: " + a.caption, "dim"))
    return Group(*lines)


def _said(speaker: str, paragraphs: Sequence[str], style: str, role: str | None) -> RenderableType:
    head = Text.assemble(text(speaker, style))
    if role:
        head.append_text(text(f"  {role}", "dim italic"))
    body = [text(p) for p in paragraphs]
    return Group(head, Indent(Group(*_spaced(body)), 2))


def _spaced(items: Sequence[RenderableType]) -> list[RenderableType]:
    out: list[RenderableType] = []
    for i, item in enumerate(items):
        if i:
            out.append(Text(""))
        out.append(item)
    return out


def render_article(entry: Entry, only: str | None = None) -> RenderableType:
    """Header, intro, then each question and its answers; `only` keeps one speaker's answers."""
    a = entry.article
    order = [s.name for s in a.speakers]
    roles = {s.name: s.role for s in a.speakers}
    blocks: list[RenderableType] = [render_header(entry)]
    if not only:
        blocks += [text(p) for p in a.intro]
    introduced: set[str] = set()
    for number, exchange in enumerate(a.exchanges, 1):
        answers = [t for t in exchange.answers if only is None or t.speaker == only]
        if not answers and only is not None:
            continue
        blocks.append(text(f"— {number} —", "dim"))
        if exchange.question:
            question = exchange.question
            blocks.append(_said(question.speaker, question.paragraphs, INTERVIEWER_STYLE, None))
        for answer in answers:
            first = answer.speaker not in introduced
            introduced.add(answer.speaker)
            role = roles.get(answer.speaker) if first else None
            style = speaker_style(answer.speaker, order)
            blocks.append(_said(answer.speaker, answer.paragraphs, style, role))
    if a.notes and not only:
        blocks += [text(p, "dim") for p in a.notes]
    return Indent(Group(*_spaced(blocks)), 0)


def render_quotes(quotes: Sequence[Quote]) -> RenderableType:
    blocks: list[RenderableType] = []
    for q in quotes:
        source = Text.assemble(text(q.title or q.slug, "bold"), text(f"  ({q.slug})", "dim"))
        parts: list[RenderableType] = [source]
        if q.question:
            asked = q.question.split("\n\n")
            parts.append(_said(q.asker or "Question", asked, INTERVIEWER_STYLE, None))
        parts.append(_said(q.speaker, q.paragraphs, speaker_style(q.speaker), q.role))
        blocks.append(Group(*_spaced(parts)))
    footer = text(f"{len(quotes)} answer{'s' if len(quotes) != 1 else ''}", "dim")
    return Indent(Group(*_spaced([*blocks, footer])), 0)


def render_check(found: Sequence[Finding], articles: int) -> RenderableType:
    lines: list[RenderableType] = []
    for finding in found:
        style = "red" if finding.severity == "error" else "yellow"
        lines.append(Text.assemble(one_line(str(finding)), (f"  [{finding.severity}]", style)))
    files = len({f.path for f in found})
    needs = "1 file needs" if files == 1 else f"{files} files need"
    summary = f"{articles} articles read; {needs} attention"
    lines.append(text(summary if found else f"{articles} articles read; all clean", "bold"))
    return Group(*lines)


def render_import(report: dict[str, object]) -> RenderableType:
    status = str(report["status"])
    style = {"written": "green", "would write": "cyan"}.get(status, "red")
    line = Text.assemble((f"{status}: ", style), one_line(str(report["source"])))
    if report.get("error"):
        line.append_text(one_line(f": {report['error']}"))
    elif report.get("target"):
        line.append_text(one_line(f" -> {report['target']}"))
    if report.get("exchanges") is not None:
        line.append_text(text(f" ({report['exchanges']} exchanges)", "dim"))
    warnings = [one_line(f"  warning: {w}", "yellow") for w in report.get("warnings") or []]  # type: ignore[union-attr]
    return Group(line, *warnings)


def render_index(summary: dict[str, object]) -> Text:
    parts = [f"{summary['articles']} articles indexed"]
    parts += [f"{summary[k]} {k}" for k in ("added", "changed", "removed") if summary[k]]
    if summary["rebuilt"]:
        parts.append("rebuilt")
    where = summary["index"] or "memory (no cache)"
    return text(f"{'; '.join(parts)} ({where})")


def _bars(title: str, rows: Sequence[tuple[str, int]], width: int = 40) -> RenderableType:
    """A horizontal bar chart: label, bar scaled to the largest value, the value."""
    return Group(text(title, "bold"), _Bars(rows, width))


class _Bars:
    """The bars of a chart, at most `width` cells long and scaled to the room the console
    leaves: a bar cut short at its edge would look like a smaller figure."""

    LABEL = 30  # cells of a label before it folds
    SHORTEST = 10  # cells for the longest bar, however narrow the console: labels fold first

    def __init__(self, rows: Sequence[tuple[str, int]], width: int) -> None:
        self.rows = [(text(label), value) for label, value in rows]
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        labels = min(self.LABEL, max((t.cell_len for t, _ in self.rows), default=0))
        values = max((len(str(v)) for _, v in self.rows), default=0)
        room = options.max_width - labels - values - 2  # a space either side of the bar
        bars = min(self.width, max(self.SHORTEST, room))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(overflow="fold", max_width=max(1, options.max_width - values - bars - 2))
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        top = max((v for _, v in self.rows), default=0) or 1
        for label, value in self.rows:
            bar = "█" * max(1 if value else 0, round(value / top * bars))
            grid.add_row(label, Text(bar, style="cyan"), text(str(value)))
        yield grid


def render_stats(stats: Stats, top: int = 20) -> RenderableType:
    from deeply_cli.stats import most_quoted

    shown = stats.speakers[:top]
    head = f"{stats.articles} articles, {stats.questions} questions, {stats.answers} answers"
    blocks: list[RenderableType] = [text(f"{stats.scope}: {head}", "bold")]
    blocks.append(_bars("Answers per speaker", [(s.name, s.answers) for s in shown]))
    blocks.append(_bars("Words per speaker", [(s.name, s.words) for s in shown]))
    if stats.scope == "archive":
        if stats.years:
            undated = [("undated", stats.undated)] if stats.undated else []
            blocks.append(_bars("Articles per year", [*stats.years.items(), *undated]))
        else:
            blocks.append(text(f"Articles per year: no dates known ({stats.undated} undated)"))
        quoted = most_quoted(stats)
        blocks.append(_bars("Most quoted (articles)", [(s.name, s.articles) for s in quoted]))
    if len(stats.speakers) > top:
        blocks.append(text(f"{top} of {len(stats.speakers)} speakers shown", "dim"))
    return Group(*_spaced(blocks))


def render_sources(sources: Sequence[Source]) -> RenderableType:
    blocks: list[RenderableType] = []
    for s in sources:
        how = "exact match" if s.exact else f"{s.closeness:.0%} close"
        head = Text.assemble(
            (f"{how}  ", "bold green" if s.exact else "bold yellow"),
            text(s.speaker, INTERVIEWER_STYLE if s.is_question else speaker_style(s.speaker)),
            text(f"  {s.title or s.slug}", "bold"),
            text(f"  ({s.slug}, paragraph {s.paragraph})", "dim"),
        )
        blocks.append(Group(head, Indent(text(s.text), 2)))
    return Indent(Group(*_spaced(blocks)), 0)


def pager_command(env: Mapping[str, str]) -> list[str]:
    """$DEEPLY_PAGER, else $PAGER, else `less -RFK` (colours kept, quits when short); none
    (an empty list) when the variable cannot be split, as with an unclosed quote."""
    for name in ("DEEPLY_PAGER", "PAGER"):
        if env.get(name, "").strip():
            try:
                return shlex.split(env[name])
            except ValueError:
                return []
    return ["less", "-RFK"]


def show(
    renderable: RenderableType, *, width: int | None, page: bool, env: Mapping[str, str]
) -> None:
    """Print to stdout, through the pager when asked, on a terminal and longer than a screen."""
    console = make_console(width=width)
    if console.width < TABLE_MIN_WIDTH and _holds_table(renderable):
        console = make_console(width=TABLE_MIN_WIDTH)  # a narrower table's cells come out empty
    crop = not isinstance(renderable, Indent)  # its lines fit already: skip Rich's pass
    if not (page and console.is_terminal) or env.get("TERM") == "dumb":
        console.print(renderable, crop=crop)  # a dumb terminal (Emacs' shell) cannot page
        return
    with console.capture() as captured:
        console.print(renderable, crop=crop)
    output = captured.get()
    if output.count("\n") < console.height or not run_pager(output, pager_command(env), env):
        console.file.write(output)


def _holds_table(renderable: RenderableType) -> bool:
    if isinstance(renderable, Group):
        return any(map(_holds_table, renderable.renderables))
    return isinstance(renderable, (Table, _Bars))


def run_pager(output: str, command: list[str], env: Mapping[str, str] | None = None) -> bool:
    """Feed the pager; False when the output is still to be printed: the pager could not be
    started, it ended without reading any of it (`PAGER="less -x"` names the bad option and
    exits 0), or it failed before reading it all (`PAGER=false`). A pager that read
    everything has shown it, whatever its exit status: printing it once more would show it
    twice; one that read some and exited 0 was quit by the user.

    Ctrl-C while it runs is the pager's (less stops a search with it): deeply waits for the
    pager to end, as git does, rather than kill it and leave the terminal without echo. It
    then ends as interrupted (130) only if the pager did not end normally.

    `PAGER=less` shows colours as `ESC[1m` unless told otherwise: as git does, LESS=FRX
    when LESS is not set (colours, quit when short, leave the text on the screen)."""
    if not command:
        return False
    environ = dict(os.environ if env is None else env)
    environ.setdefault("LESS", "FRX")
    # deeply keeps the pipe's reading end too, to learn at the end how much the pager read:
    # what is left in the pipe it did not.
    read_end, write_end = os.pipe()
    interrupted: list[int] = []
    try:
        try:
            pager = subprocess.Popen(command, stdin=read_end, env=environ)
        except OSError:
            return False
        data = output.encode("utf-8")
        with _held_interrupts(interrupted):
            left = _feed(pager, write_end, data)
            os.close(write_end)
            write_end = -1
            status = pager.wait()
        if interrupted and status != 0:
            signal.raise_signal(signal.SIGINT)  # the handler deeply had: exit 130
        unread = _unread(read_end)
        if unread == len(data) - left:  # it read nothing, so it showed nothing
            return False
        if status <= 0:  # below 0: stopped by a signal, not to be printed after it
            return True
        return not left and not unread
    finally:
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)


@contextlib.contextmanager
def _held_interrupts(interrupted: list[int]) -> Iterator[None]:
    """Note SIGINT instead of acting on it, for as long as the block runs."""
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, _frame: interrupted.append(signum))
    except ValueError:  # not the main thread: signals are not ours to handle
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _feed(pager: subprocess.Popen[bytes], fd: int, data: bytes) -> int:
    """Write `data` to the pager's input until all is written or the pager has ended;
    how many bytes were left unwritten."""
    import select

    os.set_blocking(fd, False)
    view = memoryview(data)
    while view:
        _, writable, _ = select.select([], [fd], [], 0.05)
        if writable:
            with contextlib.suppress(BlockingIOError):  # the pipe filled meanwhile
                view = view[os.write(fd, view[: 1 << 16]) :]
        elif pager.poll() is not None:
            break
    return len(view)


def _unread(fd: int) -> int:
    """How many bytes are still in the pipe whose reading end is `fd` (emptying it)."""
    os.set_blocking(fd, False)
    count = 0
    with contextlib.suppress(BlockingIOError):
        while chunk := os.read(fd, 1 << 16):
            count += len(chunk)
    return count


def write_text(output: str) -> None:
    """Plain text (citations, exports) on stdout, control characters in visible form: piped
    output reaches a terminal as often as not (`| less -R`, `| head`). `-o FILE` and JSON
    keep them exactly."""
    sys.stdout.write(sanitize(output))
