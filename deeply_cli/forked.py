"""Work done in a forked child beside this process, its answer taken when it is wanted.

deeply's reads are short and the machine has more than one core: the launcher scans the
archive while Typer and Rich are imported, and a scan or a search over many rows splits its
work in two. Where there is no fork, or no child to be had, the caller does the work itself.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable


def in_child(work: Callable[[], object]) -> Callable[[], object]:
    """Start `work` in a forked child. The call returned waits for its answer: None when the
    child failed, and then the caller does the work itself."""
    if not hasattr(os, "fork"):
        return lambda: None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no more processes to be had
        os.close(read_end)
        os.close(write_end)
        return lambda: None
    if pid == 0:  # the child: work, send, and leave without running the parent's exit code
        import signal

        # A Ctrl-C from a terminal reaches the child too: the parent answers it, the child
        # just ends (rather than run the parent's handler, which prints a newline).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.close(read_end)
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(work(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write_end)

    def answer() -> object:
        try:
            with os.fdopen(read_end, "rb") as pipe:
                return pickle.load(pipe)
        except (OSError, EOFError, pickle.UnpicklingError):
            return None
        finally:
            os.waitpid(pid, 0)

    return answer
