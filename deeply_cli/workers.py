"""An ordered map over worker processes that can be stopped at any moment without hanging.

multiprocessing.Pool has its workers share one locked queue for their results. Stopped
while a worker holds that lock (a Ctrl-C, an error in the caller), `terminate()` can wait
for it forever. Here each worker has a pipe of its own, so stopping is killing the workers
and closing their pipes: nothing is left locked. Workers ignore SIGINT: a Ctrl-C in a
terminal reaches the whole process group, and only the parent answers it.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import queue
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

CHUNK = 16  # items a worker is sent at a time
DEPTH = 2  # chunks sent to a worker ahead of its answers, so it never waits for the parent
_POLL = 0.05  # seconds between looks at the stop flag and the caller's progress

Work = Callable[[Any, Any], Any]  # work(shared, item) -> result


def ordered_map(
    work: Work,
    shared: Any,
    items: Iterable[Any],
    workers: int,
    ahead: int,
    start: Callable[[], None] | None = None,
) -> Generator[Any, None, None]:
    """`work(shared, item)` for each item, in order, computed by `workers` processes.

    `shared` is sent to each worker once; `start` runs in each worker first. At most `ahead`
    results wait for the caller. A worker that dies has its chunks done here instead; when
    no worker can be started, everything is. Closing the iterator stops the workers.
    """
    procs = _start(workers, work, shared, start)
    if not procs:
        yield from (work(shared, item) for item in items)
        return
    pump = _Pump(work, shared, items, procs, max(1, ahead // CHUNK))
    thread = threading.Thread(target=pump.run, name="deeply-workers", daemon=True)
    thread.start()
    try:
        while True:
            answer = pump.out.get()
            if answer is None:
                return
            if isinstance(answer, BaseException):
                raise answer
            yield from answer
            pump.taken += 1
    finally:
        pump.stop.set()
        for proc, _ in procs:
            proc.kill()  # wakes the thread if it waits on a worker
        thread.join()
        _stop(procs)


def _start(
    workers: int, work: Work, shared: Any, start: Callable[[], None] | None
) -> list[tuple[Any, Connection]]:
    context = multiprocessing.get_context("spawn")  # small, fresh workers
    procs: list[tuple[Any, Connection]] = []
    with _sigint_ignored():
        for _ in range(workers):
            mine, theirs = context.Pipe()
            proc = context.Process(
                target=_serve, args=(theirs, work, shared, start), name="deeply-worker", daemon=True
            )
            try:
                proc.start()
            except OSError:  # no more processes to be had: work with those there are
                mine.close()
                break
            except BaseException:
                mine.close()
                _stop(procs)
                raise
            finally:
                theirs.close()
            procs.append((proc, mine))
    return procs


def _stop(procs: list[tuple[Any, Connection]]) -> None:
    for proc, _ in procs:
        proc.kill()  # safe at any moment: no lock or pipe is shared with another worker
    for proc, conn in procs:
        conn.close()
        proc.join()


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Processes spawned inside ignore SIGINT; one sent to this process meanwhile waits.

    A spawned process keeps the SIGINT disposition but not the signal mask, so ignoring
    makes the workers deaf to it, and blocking it first keeps it pending for this process.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield  # signal handlers can only be changed from the main thread
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # when it first starts, it unblocks SIGINT
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    old_handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old_handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, CHUNK)):
        yield chunk


def _serve(conn: Connection, work: Work, shared: Any, start: Callable[[], None] | None) -> None:
    """A worker: answer chunks until told to stop, or until the parent is gone."""
    if start is not None:
        start()
    with contextlib.suppress(EOFError, OSError):
        while (chunk := conn.recv()) is not None:
            conn.send([work(shared, item) for item in chunk])


class _Pump:
    """Runs in a thread of the parent: sends chunks, takes answers, puts them in order."""

    def __init__(
        self,
        work: Work,
        shared: Any,
        items: Iterable[Any],
        procs: list[tuple[Any, Connection]],
        window: int,
    ) -> None:
        self.work, self.shared, self.window = work, shared, window
        self.chunks = enumerate(_chunks(items))
        self.sent: dict[Connection, deque[tuple[int, list[Any]]]] = {c: deque() for _, c in procs}
        self.out: queue.Queue[list[Any] | BaseException | None] = queue.Queue()
        self.stop = threading.Event()
        self.taken = 0  # chunks the caller has had; written by the caller's thread only
        self.done: dict[int, list[Any]] = {}
        self.next = 0  # the chunk the caller wants next
        self.numbered = 0  # chunks taken from `items` so far
        self.exhausted = False

    def run(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # the caller raises it
            self.out.put(exc)

    def _run(self) -> None:
        while not self.stop.is_set():
            if self.sent:
                self._send()
                if self.exhausted and not any(self.sent.values()):
                    break
                for conn in wait(list(self.sent), timeout=_POLL):
                    self._take(conn)  # type: ignore[arg-type]
            elif self.numbered < self.taken + self.window:  # every worker gone: work here
                if (pair := self._next()) is None:
                    break
                self._finish(pair[0], [self.work(self.shared, item) for item in pair[1]])
            else:
                self.stop.wait(_POLL)
        else:
            return  # stopped by the caller
        for conn in self.sent:
            with contextlib.suppress(OSError):
                conn.send(None)
        self.out.put(None)

    def _next(self) -> tuple[int, list[Any]] | None:
        pair = None if self.exhausted else next(self.chunks, None)
        if pair is None:
            self.exhausted = True
        else:
            self.numbered += 1
        return pair

    def _send(self) -> None:
        for conn, queued in self.sent.items():
            while len(queued) < DEPTH and self.numbered < self.taken + self.window:
                if (pair := self._next()) is None:
                    return
                queued.append(pair)
                with contextlib.suppress(OSError):  # a dead worker: found at its next answer
                    conn.send(pair[1])

    def _take(self, conn: Connection) -> None:
        queued = self.sent[conn]
        try:
            answer = conn.recv()
        except (EOFError, OSError):  # the worker died (killed, out of memory): redo its work
            del self.sent[conn]
            for number, chunk in queued:
                if self.stop.is_set():
                    return  # killed by the caller, which wants no more
                self._finish(number, [self.work(self.shared, item) for item in chunk])
            return
        number, _ = queued.popleft()
        self._finish(number, answer)

    def _finish(self, number: int, answer: list[Any]) -> None:
        self.done[number] = answer
        while self.next in self.done:
            self.out.put(self.done.pop(self.next))
            self.next += 1
