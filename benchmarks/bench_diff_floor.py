"""How far `diff` of two dumps is from issue 13's time goal (2x the Go `ldifdiff`), and
what a faster LDIF reader alone could give: rounds interleaved, each runs

1. python-ldap's parse of both files (`LDIFRecordList`): the reference that can run
   here. The issue measured it at 5.6 s beside Go's 0.77 s, so this run's Go figure is
   taken as 0.77 s scaled by the parse's time now (the host's speed varies by hour; its
   CPU time, which other jobs on the host stretch less than its wall time: one process,
   one thread, so on a quiet host the two are the same), and the goal as twice that;
2. `ldifctl diff OLD NEW`: wall time and CPU time of its process tree (measure.py),
   and how long its two phases that run on one core take (the checks of the whole new
   state and the routing near the change, timed as bench_phases.py times them);
3. ldifctl's LDIF reading alone, in one process: the old file read and cut (`OldFile`)
   and every record of the new one (`records`), no entry made, nothing checked: what a
   `diff` cannot do without.

The bound printed is what `diff` would take with a reader that cost nothing, the two
one-core phases as they are, and the rest of its CPU time spread perfectly over both
cores: serial + (diff CPU - reading CPU - serial) / 2. Where that is above the goal, no
reader meets it: the entries, DN keys, checks and routing must cost less. (On a loaded
host the phases' wall times overstate their CPU time: compare rounds of a quiet hour.)

    python benchmarks/bench_diff_floor.py --cwd benchmarks/data/repo-100000 \\
        benchmarks/data/dump-100000-a.ldif benchmarks/data/dump-100000-b.ldif
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import installed  # noqa: F401  (first: see installed.py)
from bench_phases import CHILD
from measure import Run, run

SERIAL = ("ldifctl.validation:check_state", "ldifctl.policy.change_routing:routing")
ISSUE_PARSE, ISSUE_GO = 5.6, 0.77  # issue 13's run: python-ldap's parse of both, Go
PARSE = "import ldif, sys\nfor p in sys.argv[1:]:\n    ldif.LDIFRecordList(open(p, 'rb')).parse()"
READING = """
import sys
from pathlib import Path
from ldifctl.sources.ldif_records import OldFile, records
OldFile(Path(sys.argv[1]).read_bytes(), sys.argv[1])
for _ in records(Path(sys.argv[2]).read_bytes(), sys.argv[2]):
    pass
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cwd", type=Path, required=True, help="a repo with ldifctl.yaml")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    old, new = args.old.resolve(), args.new.resolve()
    timed_diff = [sys.executable, "-c", CHILD, ",".join(SERIAL), "diff", str(old), str(new)]
    rows: list[tuple[Run, Run, Run]] = []
    for number in range(args.rounds):
        parse = run([sys.executable, "-c", PARSE, str(old), str(new)], args.cwd)
        diff = run(timed_diff, args.cwd, ok=(0, 1))
        reading = run([sys.executable, "-c", READING, str(old), str(new)], args.cwd)
        rows.append((parse, diff, reading))
        print(f"round {number + 1}: " + _line(parse, diff, _serial(diff.err), reading), flush=True)
    parse, diff, reading = (_median([r[i] for r in rows]) for i in range(3))
    serial = statistics.median(_serial(r[1].err) for r in rows)
    print("medians: " + _line(parse, diff, serial, reading))


def _median(runs: list[Run]) -> Run:
    """The median times and the highest peak of a command's runs."""
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs),
               0.0, 0, b"", b"", statistics.median(r.cpu for r in runs))


def _serial(err: bytes) -> float:
    """The one-core phases' seconds, from the table bench_phases' wrappers print."""
    names = {spec.partition(":")[2] for spec in SERIAL}
    took = [line.split() for line in err.decode(errors="replace").splitlines()]
    return sum(float(cells[2]) for cells in took if len(cells) == 4 and cells[3] in names)


def _line(parse: Run, diff: Run, serial: float, reading: Run) -> str:
    goal = 2 * ISSUE_GO * parse.cpu / ISSUE_PARSE
    bound = serial + (diff.cpu - reading.cpu - serial) / 2
    return (
        f"python-ldap parse {parse.cpu:.2f} s CPU (goal now {goal:.2f} s); "
        f"diff {diff.seconds:.2f} s, {diff.cpu:.2f} s CPU, {diff.peak_mb:.0f} MB, "
        f"{serial:.2f} s on one core; reading alone {reading.cpu:.2f} s CPU; "
        f"with a free reader >= {bound:.2f} s ({bound / goal:.2f}x the goal)"
    )


if __name__ == "__main__":
    main()
