"""Article files -> the rows the index stores; parsing runs in worker processes when many."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deeply_cli import archive
from deeply_cli.errors import DeeplyError
from deeply_cli.fts import indexed_text

if TYPE_CHECKING:
    from deeply_cli.parser import ParseConfig

SEP = "\x1f"  # joins authors and speakers inside one column
BATCH = 500  # files a transaction stores
PARALLEL_FROM = 400  # files to parse before workers pay off: each takes ~0.25 s to start

Rows = tuple[tuple[Any, ...], list[tuple[Any, ...]]]


def parsed_rows(
    root: Path, config: ParseConfig | None, todo: list[str]
) -> Generator[Rows, None, None]:
    """Parse files, in worker processes when there are many (parsing is CPU-bound).

    At most two batches wait to be stored, so parsed articles never pile up in memory while
    the index stores the ones before them. Close the iterator to stop the workers.
    """
    shared = (root, config)
    workers = min(os.cpu_count() or 1, 4)
    if len(todo) < PARALLEL_FROM or workers < 2:
        return (_index_file(shared, rel) for rel in todo)
    from deeply_cli.workers import ordered_map

    return ordered_map(_index_file, shared, todo, workers, 2 * BATCH, start=_yield_to_writer)


def _yield_to_writer() -> None:
    """Parse at a lower priority than the process that stores: that one process is the
    bottleneck, and sharing the cores evenly with the workers would slow it down."""
    with contextlib.suppress(OSError, AttributeError):  # not every system has nice()
        os.nice(5)


def _index_file(shared: tuple[Path, ParseConfig | None], rel: str) -> Rows:
    """One file -> its `files` row and `turns` rows. Runs in worker processes too."""
    root, config = shared
    path = root / rel
    try:
        stat = path.stat()
        signature = stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns
    except OSError:
        signature = -1, -1, -1
    try:
        article, warning = archive.parse_file(path, rel, config or _default_config())
    except DeeplyError as exc:
        return (
            rel,
            *signature,
            None,
            None,
            "",
            None,
            "",
            0,
            0,
            None,
            None,
            exc.message,
            exc.line,
            1,
        ), []
    except Exception as exc:  # a parser bug must not take the rest of the archive down
        message = f"could not be parsed (a bug in deeply: {exc!r})"
        return (rel, *signature, None, None, "", None, "", 0, 0, None, None, message, None, 1), []
    roles = {s.name: s.role for s in article.speakers}
    row = (
        rel,
        *signature,
        archive.base_slug(rel, article),
        article.title,
        SEP.join(article.authors),
        article.published.isoformat() if article.published else None,
        SEP.join(s.name for s in article.speakers),
        len(article.questions),
        len(article.answers),
        article.publication,
        article.url,
        warning.message if warning else None,
        warning.line if warning else None,
        0,
    )
    turns = []
    for number, exchange in enumerate(article.exchanges):
        question = exchange.question.text if exchange.question else None
        asker = exchange.question.speaker if exchange.question else None
        for position, turn in enumerate((exchange.question, *exchange.answers)):
            if turn is None:
                continue
            text = "\n".join(turn.paragraphs)
            turns.append(
                (
                    rel,
                    number,
                    position,
                    turn.speaker,
                    turn.label,
                    int(turn.is_question),
                    question,
                    asker,
                    text,
                    roles.get(turn.speaker),
                    turn.line,
                    turn.paragraph,
                    len(text.split()),
                    indexed_text(text),
                )
            )
    return row, turns


def _default_config() -> ParseConfig:
    from deeply_cli.parser import DEFAULT_CONFIG

    return DEFAULT_CONFIG
