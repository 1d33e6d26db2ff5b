"""Typed errors and named exit statuses; the CLI translates them in one place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Exit(IntEnum):
    """Exit statuses, documented in the README."""

    OK = 0
    NOT_FOUND = 1  # nothing matched, or some article needs attention
    USAGE = 2  # bad option value, ambiguous name or slug
    INTERRUPTED = 130


class DeeplyError(Exception):
    """An expected failure: printed as one line, never as a traceback."""

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        status: Exit = Exit.NOT_FOUND,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.status = status

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message


class UsageError(DeeplyError):
    """A problem with what the user typed (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=Exit.USAGE)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one file, reported while the rest of the archive still works."""

    path: str
    message: str
    line: int | None = None
    fatal: bool = True  # the file was skipped; otherwise it was read with a warning

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
