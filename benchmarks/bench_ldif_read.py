"""The read of two LDIF files alone (`sources/ldif_reader.py: _read`, both files, on two
cores), timed inside `ldifctl diff` under two checkouts, rounds interleaved. A whole
`diff` at 100k varies by ±0.5 s from run to run on a shared host, more than a change to
the reader may save; its reading alone is steadier.

    git worktree add --detach /tmp/before HEAD~1
    python benchmarks/bench_ldif_read.py --before /tmp/before --cwd benchmarks/data/d \\
        --rounds 30 benchmarks/data/dump-100000-a.ldif benchmarks/data/dump-100000-b.ldif

`--cwd` holds an `ldifctl.yaml` (the scaling run's); prints the median and the fastest
read of each side, and the whole run's median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

import installed  # noqa: F401  (first: see installed.py)
from bench_ab import checkouts, interleaved

# Imports ldifctl from the checkout in argv[1], never from the editable install, and
# wraps the reader's `_read` in a timer.
RUNNER = """
import sys, time
root = sys.argv.pop(1)
sys.path.insert(0, root)
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f)]
import ldifctl
assert ldifctl.__file__.startswith(root), ldifctl.__file__
import ldifctl.sources.ldif_reader as reader
from ldifctl.cli.main import app
read, spent = reader._read, []
def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return read(*args, **kwargs)
    finally:
        spent.append(time.perf_counter() - start)
reader._read = timed
start = time.perf_counter()
try:
    app(prog_name="ldifctl")
except SystemExit:
    pass
print("READ", sum(spent), time.perf_counter() - start, file=sys.stderr)
"""


def main() -> None:
    parser = checkouts(__doc__, rounds=10)  # --cwd: a folder with an ldifctl.yaml
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    found: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    files = [str(args.old.resolve()), str(args.new.resolve())]
    for name, root in interleaved(args):
        command = [sys.executable, "-c", RUNNER, str(root), "diff", *files]
        done = subprocess.run(command, cwd=args.cwd, capture_output=True, text=True)
        line = next(x for x in done.stderr.splitlines() if x.startswith("READ "))
        found[name].append((float(line.split()[1]), float(line.split()[2])))
    for name, runs in found.items():
        reads = [r for r, _ in runs]
        print(f"{name:6}  read {statistics.median(reads):.3f} s (fastest {min(reads):.3f})  "
              f"whole diff {statistics.median(t for _, t in runs):.3f} s  ({len(runs)} runs)")


if __name__ == "__main__":
    main()
