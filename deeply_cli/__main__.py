"""Run deeply as ``python -m deeply_cli``."""

from deeply_cli.cli import main

main()
