"""The ordered map over worker processes: order, a dying worker, stopping, SIGINT."""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Any

from deeply_cli.workers import CHUNK, ordered_map


def add(shared: int, item: int) -> int:
    return shared + item


def die_in_a_worker(parent: int, item: int) -> int:
    """Kills the worker it runs in at every tenth item; in the parent, simply answers."""
    if os.getpid() != parent and item % 10 == 7:
        os._exit(1)
    return item


def sigint_handler(shared: None, item: int) -> Any:
    return signal.getsignal(signal.SIGINT)


def workers_alive() -> list[Any]:
    return [p for p in multiprocessing.active_children() if p.name == "deeply-worker"]


def test_results_come_in_order() -> None:
    items = range(40 * CHUNK + 3)
    assert list(ordered_map(add, 1000, items, workers=2, ahead=4 * CHUNK)) == [
        1000 + i for i in items
    ]
    assert workers_alive() == []


def test_nothing_to_do() -> None:
    assert list(ordered_map(add, 0, [], workers=2, ahead=CHUNK)) == []


def test_a_worker_that_dies_loses_nothing() -> None:
    items = list(range(20 * CHUNK))
    assert list(ordered_map(die_in_a_worker, os.getpid(), items, workers=2, ahead=64)) == items
    assert workers_alive() == []


def test_closing_early_stops_the_workers() -> None:
    results = ordered_map(add, 0, range(100_000), workers=2, ahead=4 * CHUNK)
    assert [next(results) for _ in range(5)] == [0, 1, 2, 3, 4]
    assert len(workers_alive()) == 2
    results.close()
    assert workers_alive() == []


def test_workers_ignore_ctrl_c_and_the_caller_keeps_its_handler() -> None:
    def mine(signum: int, frame: object) -> None:
        raise AssertionError("no SIGINT was sent")

    before = signal.signal(signal.SIGINT, mine)
    try:
        handlers = set(ordered_map(sigint_handler, None, range(4 * CHUNK), workers=2, ahead=64))
        assert handlers == {signal.SIG_IGN}
        assert signal.getsignal(signal.SIGINT) is mine
        assert not signal.pthread_sigmask(signal.SIG_BLOCK, [])  # nothing left blocked
    finally:
        signal.signal(signal.SIGINT, before)
