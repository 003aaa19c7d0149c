"""What one edit costs: `validate` cold, `validate` after one edited file (pre-commit's
path) and after one more following a 50-file change, and `plan` of 10 changed files,
warm and after one more edit, at two or more sizes; each beside `cat` of every entry
file and PyYAML's C loader (CBaseLoader) parsing every file on two processes, in the same
run; and a cold `plan` (empty cache). Then the `plan` of a 10-file change that moves
mail (bench_impact.py's: five forwards retargeted, five new aliases), and what routing
impact adds: the first plan of each change (its findings and routing worked out, the
base state's cache warm) and a plan run again (both from the cache), each against the
same plan of a change that moves no mail.

For each: wall time, CPU time (user + system of ldifctl and every process it started)
and peak memory summed over every process of the run as proportional set sizes (Pss: a
page a forked child shares with its parent counted once), sampled every 50 ms beside the
run, whose time is taken as it ends (benchmarks/measure.py); then, between the first and
the last size, the exponent log(t2/t1)/log(n2/n1) (1: linear, 0: flat), and for a size
above 100k the warm plan's time over its time at 100k (issue 13: at most 1.5 at 300k),
beside the same ratio for the git command a warm plan waits on (`git diff` against HEAD:
git lstats every entry file, a floor that grows with the files whatever ldifctl does).
CPU time says what the machine did when other work shares it and the wall time cannot.

Each ldifctl run is a fresh process (interpreter start included), as in pre-commit or
CI. Repos are generated once under benchmarks/data/ (git-ignored); `git status` refreshes
git's index first, so git does not re-read every file it cannot tell apart by time.

    python benchmarks/bench_incremental.py [SIZE ...]       (default: 10000 100000)
    python benchmarks/bench_incremental.py --plan 100000 300000   (the plans only)
"""

from __future__ import annotations

import math
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_core import DATA, LDIFCTL, change_ten
from bench_impact import change_routing
from generate import generate
from measure import run

from ldifctl.repo.scan_ahead import DIFF, GIT

# The command a warm plan waits on, as scan_ahead starts it: git stats every entry file.
GIT_SCAN = [*GIT, *DIFF, "HEAD", "--", "directory"]
SCAN = "  git's scan alone"
Measure = tuple[float, float, float]  # seconds, CPU seconds, peak MB summed over processes
MAIL = "directory/dc=net/dc=example/ou=Mail"
REFERENCE = """
import sys, yaml
from multiprocessing import Pool
def parse(paths):
    for p in paths:
        with open(p, "rb") as f:
            yaml.load(f, Loader=yaml.CBaseLoader)
    return len(paths)
paths = sys.stdin.read().split("\\0")[:-1]
with Pool(2) as pool:
    pool.map(parse, [paths[::2], paths[1::2]])
"""


def measured(args: list[str], cwd: Path, stdin: bytes | None = None) -> Measure:
    """Wall time, CPU time and peak Pss summed over the process tree of one run
    (measure.run); fails loudly if the command fails (drift's 3 is not a failure)."""
    done = run(args, cwd, ok=(0, 3), stdin=stdin)
    return done.seconds, done.cpu, done.peak_mb


def median(runs: list[Measure]) -> Measure:
    return (
        statistics.median(t for t, _, _ in runs),
        statistics.median(c for _, c, _ in runs),
        max(m for _, _, m in runs),
    )


def edit_one(root: Path, n: int) -> None:
    """A new edit of one mailbox (a state never judged before)."""
    path = root / MAIL / "uid=user60.yaml"
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith("sn: ")]
    path.write_text("\n".join([*lines, f"sn: Edited {n} {time.time_ns()}"]) + "\n")


def change_many(root: Path, count: int) -> None:
    """Edit `count` mailboxes other than edit_one's: more than incremental.KEEP_PRIOR, so
    the state judged is kept for the next run to start from."""
    names = sorted(p.name for p in (root / MAIL).iterdir() if p.name.startswith("uid=user1"))
    for name in names[100 : 100 + count]:
        path = root / MAIL / name
        path.write_text(path.read_text().replace("sn: User", "sn: Renamed"))


def entry_files(root: Path) -> bytes:
    found = subprocess.run(
        ["find", "directory", "-name", "*.yaml", "-print0"], cwd=root, capture_output=True
    )
    return found.stdout


def bench(size: int, plans_only: bool = False) -> dict[str, Measure]:
    root = generate(DATA / f"repo-{size}", size)
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    subprocess.run(["git", "status", "-s"], cwd=root, check=True, capture_output=True)
    out = {} if plans_only else _validates(root)
    measured([*LDIFCTL, "validate"], root)  # the base state judged: the cache is warm
    # Each run's change is new: the same edits as an earlier run's would find their
    # findings and routing in the cache, and the "new change" rows would time a warm plan.
    tag = f"-{time.time_ns():x}"
    change_ten(root, tag)
    out["plan, new change (10 files)"] = measured([*LDIFCTL, "plan"], root)
    out["plan warm (10 files)"] = median([measured([*LDIFCTL, "plan"], root) for _ in range(3)])
    out[SCAN] = median([measured(GIT_SCAN, root) for _ in range(3)])
    out["plan, one more file edited"] = median([_edited(root, n, "plan") for n in range(3)])
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    change_routing(root, tag)
    out["plan, new change moves mail"] = measured([*LDIFCTL, "plan"], root)
    moving = median([measured([*LDIFCTL, "plan"], root) for _ in range(3)])
    out["plan warm, 10 files move mail"] = moving
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    if not plans_only:
        change_ten(root)
        shutil.rmtree(root / ".git" / "ldifctl")
        out["plan cold (10 files)"] = measured([*LDIFCTL, "plan"], root)
        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    return out


def _validates(root: Path) -> dict[str, Measure]:
    shutil.rmtree(root / ".git" / "ldifctl", ignore_errors=True)
    files = entry_files(root)
    measured(["xargs", "-0", "cat"], root, files)  # the files in the page cache, for all
    out = {
        "cat all files": measured(["xargs", "-0", "cat"], root, files),
        "CBaseLoader, 2 processes": measured([sys.executable, "-c", REFERENCE], root, files),
        "validate cold": measured([*LDIFCTL, "validate"], root),
    }
    out["validate, one file edited"] = median([_edited(root, n, "validate") for n in range(3)])
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    change_many(root, 50)
    out["validate, 50 files edited"] = measured([*LDIFCTL, "validate"], root)
    out["  then one more file edited"] = median([_edited(root, n, "validate") for n in range(3)])
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    return out


def _edited(root: Path, n: int, command: str) -> Measure:
    edit_one(root, n)
    return measured([*LDIFCTL, command], root)


def report(sizes: list[int], results: list[dict[str, Measure]]) -> None:
    head = "".join(f"{f'{n:,} entries':>32}   " for n in sizes)
    print(f"{'':31}{head}exponent (time, memory)")
    for name in results[0]:
        cells = "".join(
            f"{t:6.2f} s {c:5.2f} s cpu {m:6.0f} MB   " for t, c, m in (r[name] for r in results)
        )
        (t1, _, m1), (t2, _, m2) = results[0][name], results[-1][name]
        ratio = math.log(sizes[-1] / sizes[0]) if len(sizes) > 1 else 0.0
        slopes = (math.log(t2 / t1) / ratio, math.log(m2 / m1) / ratio) if ratio else ()
        print(f"{name:31}{cells}{', '.join(f'{e:5.2f}' for e in slopes)}")
    for label, moves, plain in (
        ("routing impact adds, new", "plan, new change moves mail", "plan, new change (10 files)"),
        ("routing impact adds, warm", "plan warm, 10 files move mail", "plan warm (10 files)"),
    ):
        added = [(r[moves][0] - r[plain][0], r[moves][1] - r[plain][1]) for r in results]
        print(f"{label:31}" + "".join(f"{t:6.2f} s {c:5.2f} s cpu{'':13}" for t, c in added))
    if 100000 in sizes:
        at = results[sizes.index(100000)]
        for size, result in zip(sizes, results, strict=True):
            if size > 100000:
                times = result["plan warm (10 files)"][0] / at["plan warm (10 files)"][0]
                print(f"plan warm at {size:,} is {times:.2f}x its time at 100,000 (goal: 1.5)")
                scan = result[SCAN][0] / at[SCAN][0]
                print(f"  git's scan alone at {size:,} is {scan:.2f}x its time at 100,000")


if __name__ == "__main__":
    plans = "--plan" in sys.argv
    chosen = [int(a) for a in sys.argv[1:] if a != "--plan"] or [10000, 100000]
    report(chosen, [bench(size, plans) for size in chosen])
