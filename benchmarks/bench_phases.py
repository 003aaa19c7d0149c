"""Where one ldifctl command spends its wall time: each phase of the process that runs it,
with when it started and ended, so the time spent on one core (between the phases that
use two) shows. Each phase is a function timed by a wrapper around it in this process
(a forked child's own work is not listed; its share shows as the parent waiting).

    python benchmarks/bench_phases.py --cwd benchmarks/data/repo-100000 --cold -- validate
    python benchmarks/bench_phases.py --cwd benchmarks/data/repo-100000 -- \\
        diff ../dump-100000-a.ldif ../dump-100000-b.ldif

The phases are those named for the command in PHASES, or `--phase module:function` (a
function of a class as `Class.function`), given once or more.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import installed  # noqa: F401  (first: see installed.py)

PHASES = {
    "validate": [
        "ldifctl.cache.untracked:_others",
        "ldifctl.cache.head_tree:HeadTree.files",
        "ldifctl.repo.tree:entry_files",
        "ldifctl.cache.entry_rows:parse_rows",
        "ldifctl.cache.entry_rows:write_rows",
        "ldifctl.cache.states:load_state",
        "ldifctl.policy.check:state_findings",
        "ldifctl.policy.structure:check_entries",
        "ldifctl.policy.incremental:addresses",
        "ldifctl.policy.incremental:remember",
    ],
    "diff": [
        "ldifctl.sources.ldif_records:OldFile",
        "ldifctl.sources.ldif_reader:_read",
        "ldifctl.bulk:side_by_side_parts",
        "ldifctl.sources.ldif_reader:_load_changed",
        "ldifctl.validation:check_state",
        "ldifctl.policy.change_routing:routing",
    ],
}
# Run in the command's own process: the wrappers, then ldifctl's entry, then the report
# (ldifctl ends with os._exit, which skips atexit: the report goes in before it).
CHILD = """
import functools, importlib, os, sys, time
t0, pid, marks = time.perf_counter(), os.getpid(), []
def timed(spec):
    module, _, name = spec.partition(":")
    owner, *path = [importlib.import_module(module), *name.split(".")]
    for part in path[:-1]:
        owner = getattr(owner, part)
    function = getattr(owner, path[-1])
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            if os.getpid() == pid:
                marks.append((start - t0, time.perf_counter() - t0, name))
    setattr(owner, path[-1], wrapper)
for spec in sys.argv[1].split(","):
    timed(spec)
exit_now = os._exit
def report(code):
    if os.getpid() == pid:
        print(f"{'start':>8} {'end':>8} {'took':>8}  phase", file=sys.stderr)
        for start, end, name in sorted(marks):
            print(f"{start:8.3f} {end:8.3f} {end - start:8.3f}  {name}", file=sys.stderr)
        print(f"{'':>8} {time.perf_counter() - t0:8.3f} {'':>8}  the whole run", file=sys.stderr)
    sys.stderr.flush()
    exit_now(code)
os._exit = report
sys.argv = ["ldifctl", *sys.argv[2:]]
from ldifctl.cli.entry import main
main()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="where to run it")
    parser.add_argument("--cold", action="store_true", help="empty .git/ldifctl/ first")
    parser.add_argument("--phase", action="append", default=[], help="module:function")
    parser.add_argument("command", nargs="+", help="the ldifctl command line")
    args = parser.parse_args()
    phases = args.phase or PHASES.get(args.command[0], [])
    if not phases:
        parser.error(f"no phases known for {args.command[0]!r}: give --phase")
    for spec in phases:  # a name that does not resolve is said before the run
        module, _, name = spec.partition(":")
        owner = importlib.import_module(module)
        functools.reduce(getattr, name.split("."), owner)
    if args.cold:
        shutil.rmtree(args.cwd / ".git" / "ldifctl", ignore_errors=True)
    child = [sys.executable, "-c", CHILD, ",".join(phases), *args.command]
    done = subprocess.run(child, cwd=args.cwd, stdout=subprocess.DEVNULL, env=os.environ)
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
