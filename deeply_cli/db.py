"""The SQLite deeply reads and writes its index with.

`pysqlite3` (the `fast` extra, where a wheel of it exists: CPython on glibc Linux x86-64)
brings a newer SQLite than most Pythons are built with: its FTS5 ranks a word found in most
turns about 1.5 times faster than SQLite 3.40's, and builds the index faster. Without it
Python's own module serves, with the same API. Every module takes `sqlite3` from here, so
that one process never opens the index through two different SQLite libraries, whose locks
would not see each other.
"""

from __future__ import annotations

try:
    from pysqlite3 import dbapi2 as sqlite3
except ImportError:  # not installed, or no wheel for this platform
    import sqlite3

__all__ = ["sqlite3"]
