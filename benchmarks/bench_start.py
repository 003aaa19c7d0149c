"""What a command's start costs: the import of ldifctl's CLI, in checkouts named on the
command line, rounds interleaved (so each meets the same load of a host whose speed
drifts), timed by the interpreter's own `-X importtime`. Each checkout is imported as
bench_ab.py imports it (the editable install's finder removed), with its bytecode cached.

    git worktree add --detach /tmp/before HEAD~1
    python benchmarks/bench_start.py --rounds 60 /tmp/before .
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

import installed  # noqa: F401  (first: see installed.py)

IMPORT = (
    "import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)];"
    " sys.path.insert(0, sys.argv[1]); import ldifctl.cli.main"
)
_TOTAL = re.compile(r"\|\s+(\d+) \| ldifctl\.cli\.main\n")


def import_ms(root: Path) -> float:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORT, str(root)],
                          capture_output=True, text=True, check=True)
    found = _TOTAL.search(done.stderr)
    assert found is not None, done.stderr[-500:]
    return int(found[1]) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("checkouts", nargs="+", type=Path)
    args = parser.parse_args()
    roots = [c.resolve() for c in args.checkouts]
    for root in roots:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "ldifctl")],
                       check=True)
    times: dict[Path, list[float]] = {root: [] for root in roots}
    for _ in range(args.rounds):
        for root in roots:
            times[root].append(import_ms(root))
    for root, runs in times.items():
        print(f"{root}  import ldifctl.cli.main: median {statistics.median(runs):6.1f} ms,"
              f" least {min(runs):6.1f} ms ({args.rounds} rounds)")
    first = times[roots[0]]
    for root in roots[1:]:  # round by round: the load both met cancels out
        paired = statistics.median(b - a for a, b in zip(first, times[root], strict=True))
        print(f"{root} - {roots[0]}: {paired:+.1f} ms (median of the rounds' differences)")


if __name__ == "__main__":
    main()
