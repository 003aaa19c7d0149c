"""The `ldifctl` program: one Typer app (cli/common.py) with every command registered on it.

Each command module registers its commands on `app` when imported. A command imports the
code it runs only when it runs: every command starts faster (`plan` in pre-commit and CI
runs often) by not importing the others' code.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

# A command makes many long-lived objects (the ~270 modules it imports, then a state's
# entries and indexes), next to no reference cycles, and ends soon. At CPython's default
# (a collection per 700 new objects) the collector ran ~60 times in a one-edit `plan`,
# walking the 21 MB prior index it had just read each full pass: 25 ms of it. One per
# 50k new objects runs none there, and leaves a few MB of cyclic garbage at most.
gc.set_threshold(50_000, 10, 10)

# The command modules, in the order `--help` lists their commands.
from ldifctl.cli import commands, live, mail, onboard  # noqa: E402,F401
from ldifctl.cli.common import app  # noqa: E402
from ldifctl.repo import scan_ahead  # noqa: E402

__all__ = ["app", "main"]


def main() -> None:
    try:
        app(prog_name="ldifctl")
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    # Skip the interpreter's teardown: it frees every object one by one, 0.3 s after a
    # state of 100k entries was loaded, for a process about to end. The output is flushed
    # here; every file ldifctl writes is closed when written, and a git or ldapsearch
    # child sees its pipes close as the process ends.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (`ldifctl plan | head`)
            stream.flush()
    scan_ahead.drop()
    os._exit(code)


def _exit_code(code: object) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)  # what Python does with `sys.exit("message")`
    return 1


if __name__ == "__main__":
    main()
