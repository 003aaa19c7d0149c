"""One command, two checkouts of ldifctl, rounds interleaved: the before/after figures of
a change on a host whose speed drifts from minute to minute (each round runs both, so
both meet the same load). Each run is a fresh process that imports ldifctl from the
checkout named, not from the installed one; wall time, CPU time and peak Pss summed over
the process tree come from measure.py, and the medians (the highest peak) are printed.

    git worktree add --detach /tmp/before HEAD~1
    python benchmarks/bench_ab.py --before /tmp/before --cwd benchmarks/data/repo-100000 \\
        --cold --rounds 6 -- validate
    python benchmarks/bench_ab.py --before /tmp/before --cwd /tmp/import-repo \\
        --fresh-repo benchmarks/data/scaling-100000/ldifctl.yaml --rounds 3 \\
        -- import --from-ldif "$PWD/benchmarks/data/dump-100000-a.ldif"

`--cold` empties the repo's cache (`.git/ldifctl/`) before each run; `--fresh-repo`
makes `--cwd` a new git repo holding only that `ldifctl.yaml` (for `import`). A warm
path cannot be compared in one repo: each checkout's cache is stamped with its own code,
so the other would find it stale.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import installed  # noqa: F401  (first: see installed.py)
from measure import run

HERE = Path(__file__).resolve().parent
# Imports ldifctl from the checkout in argv[1], never from the editable install.
RUNNER = """
import sys
root = sys.argv.pop(1)
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f)]
sys.path.insert(0, root)
sys.argv[0] = "ldifctl"
import ldifctl
assert ldifctl.__file__.startswith(root), ldifctl.__file__
from ldifctl.cli.entry import main
main()
"""


Runs = list[tuple[float, float, float]]  # wall, CPU, peak of each run


def checkouts(doc: str, rounds: int, cwd: bool = True) -> argparse.ArgumentParser:
    """The arguments of a comparison of two checkouts: --before, --after, --cwd (unless
    the script makes the repo itself), --rounds."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="checkout of the old code")
    parser.add_argument("--after", type=Path, default=HERE.parent, help="default: this one")
    if cwd:
        parser.add_argument("--cwd", type=Path, required=True, help="where the command runs")
    parser.add_argument("--rounds", type=int, default=rounds)
    return parser


def interleaved(args: argparse.Namespace) -> Iterator[tuple[str, Path]]:
    """("before" or "after", its checkout) for each run, round after round. Every other
    round the after side goes first: the second run of a round may meet a warmer page
    cache, or a host that slowed down."""
    sides = [("before", args.before.resolve()), ("after", args.after.resolve())]
    for i in range(args.rounds):
        yield from sides[:: -1 if i % 2 else 1]


def main() -> None:
    parser = checkouts(__doc__, rounds=5)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--fresh-repo", type=Path, metavar="LDIFCTL_YAML")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    found: dict[str, Runs] = {"before": [], "after": []}
    for name, root in interleaved(args):
        prepare(args.cwd, args.cold, args.fresh_repo)
        command = [sys.executable, "-c", RUNNER, str(root), *args.command]
        done = run(command, args.cwd, ok=(0, 1, 3))
        found[name].append((done.seconds, done.cpu, done.peak_mb))
    for name, runs in found.items():
        walls = " ".join(f"{t:.2f}" for t, _, _ in runs)
        print(f"{name:6}  wall {statistics.median(t for t, _, _ in runs):6.2f} s  "
              f"cpu {statistics.median(c for _, c, _ in runs):6.2f} s  "
              f"peak {max(m for _, _, m in runs):5.0f} MB   (walls: {walls})")
    print(paired(found["before"], found["after"]))


def paired(before: Runs, after: Runs) -> str:
    """The two sides round by round: the host's speed drifts over minutes, and the runs
    of one round meet the same host, so their difference is steadier than two medians."""
    walls = [a[0] - b[0] for b, a in zip(before, after, strict=True)]
    cpus = [a[1] - b[1] for b, a in zip(before, after, strict=True)]
    faster = sum(d < 0 for d in walls)
    return (
        f"paired  wall {statistics.median(walls):+.2f} s  cpu {statistics.median(cpus):+.2f} s "
        f"(after - before, median of the rounds); after faster in {faster} of {len(walls)}"
    )


MARK = ".bench-ab-fresh-repo"  # what --fresh-repo made, and so may empty again


def prepare(cwd: Path, cold: bool, fresh: Path | None) -> None:
    if fresh is not None:
        # `--cwd /tmp` once emptied all of /tmp: only a folder this script made is removed.
        if cwd.exists() and any(cwd.iterdir()) and not (cwd / MARK).exists():
            sys.exit(f"--fresh-repo empties --cwd before each run: {cwd} holds files this "
                     "script did not make; name a new folder")
        shutil.rmtree(cwd, ignore_errors=True)
        cwd.mkdir(parents=True)
        (cwd / MARK).touch()
        shutil.copy(fresh, cwd / "ldifctl.yaml")
        subprocess.run(["git", "init", "-q"], cwd=cwd, check=True)
    if cold:
        shutil.rmtree(cwd / ".git" / "ldifctl", ignore_errors=True)


if __name__ == "__main__":
    main()
