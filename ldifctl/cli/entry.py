"""The program's entry: the work tree's scan is started before the imports
(repo/scan_ahead.py), then the command line is run (main.py)."""

from __future__ import annotations

import sys

from ldifctl.repo import scan_ahead


def main() -> None:
    scan_ahead.start(sys.argv[1:])
    from ldifctl.cli.main import main as run  # Typer and every command module: ~0.08 s

    run()
