"""The README's quick start is exactly two commands, and CI runs the second."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from deeply_cli.cli import app
from tests.conftest import REPO


def quick_start() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "no shell block in the quick start"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands() -> None:
    install, test = quick_start()
    assert "pip install ." in install and "deeply list" in install
    assert "pip install '.[test]'" in test and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start()[1] in ci.splitlines()


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [c.name for c in app.registered_commands]
    assert commands
    for name in commands:
        assert f"deeply {name}" in readme, name
        assert "Example" in CliRunner().invoke(app, [name, "--help"]).stdout, name


def test_every_test_the_readme_names_exists() -> None:
    """The guarantees table points at tests; a renamed or deleted one must not go unnoticed."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_\w+\.py)(?:::(test_\w+))?", readme))
    assert len(named) > 10
    for file, function in named:
        source = (REPO / "tests" / file).read_text(encoding="utf-8")
        assert not function or f"def {function}(" in source, f"{file}::{function}"
