"""The Typer app: each command finds the archive, asks the core, and hands the result on."""

from deeply_cli.cli import read, research  # noqa: I001 - registration order is help order
from deeply_cli.cli import manage
from deeply_cli.cli.common import app, main

__all__ = ["app", "main", "manage", "read", "research"]
