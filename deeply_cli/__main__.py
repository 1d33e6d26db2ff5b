"""Run deeply as ``python -m deeply_cli``."""

from deeply_cli.launch import main

main()
