"""Shared fixtures: every test runs in a temporary directory with its own cache."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from deeply_cli.cli import app

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "articles" / "as-isis-looks-deeper-into-deir-ezzor.txt"


def pytest_report_header() -> str:
    try:
        sqlite3.connect(":memory:").execute("create virtual table t using fts5(x)")
        fts5 = "yes"
    except sqlite3.OperationalError:
        fts5 = "no"
    return f"sqlite {sqlite3.sqlite_version}, fts5: {fts5}"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPLY_ARCHIVE", raising=False)
    monkeypatch.setenv("DEEPLY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A copy of the bundled archive."""
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return folder


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(archive: Path) -> Invoke:
    """Run deeply in-process against `archive` (or another folder given as archive=)."""

    def run(*args: str, folder: Path | None = None, env: dict[str, str] | None = None) -> Result:
        argv = ["--archive", str(folder or archive), *args]
        return CliRunner().invoke(app, argv, env=env, catch_exceptions=True)

    return run
