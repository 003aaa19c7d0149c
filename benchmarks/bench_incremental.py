"""What one edit costs: `validate` cold, `validate` after one edited file (pre-commit's
path), and `plan` of 10 changed files, warm and after one more edit, at two or more
sizes; each beside `cat` of every entry file and PyYAML's C loader (CBaseLoader) parsing
every file on two processes, in the same run.

For each: wall time, CPU time (user + system of the whole process tree: ldifctl, its
second core from bulk.py, git) and peak memory summed over every process of the run as
proportional set sizes (Pss: a page a forked child shares with its parent counted once,
benchmarks/measure.py), sampled every 20 ms; then, between the first and the last size,
the exponent log(t2/t1)/log(n2/n1) of time and memory (1: linear, 0: flat). CPU time
says what the machine did when other work shares it and the wall time cannot.

Each ldifctl run is a fresh process (interpreter start included), as in pre-commit or
CI. Repos are generated once under benchmarks/data/ (git-ignored); `git status` refreshes
git's index first, so git does not re-read every file it cannot tell apart by time.

    python benchmarks/bench_incremental.py [SIZE ...]       (default: 10000 100000)
"""

from __future__ import annotations

import math
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_core import DATA, LDIFCTL, change_ten
from generate import generate
from measure import tree_kb

Measure = tuple[float, float, float]  # seconds, peak MB (Pss summed), CPU seconds
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
    """Wall time, peak summed Pss and CPU time of one run; fails loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stdin is not None
    if stdin is not None:
        proc.stdin.write(stdin)
    proc.stdin.close()
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_kb(proc.pid)[0])
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed: {err}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, peak / 1024, cpu


def median(runs: list[Measure]) -> Measure:
    return (
        statistics.median(t for t, _, _ in runs),
        max(m for _, m, _ in runs),
        statistics.median(c for _, _, c in runs),
    )


def edit_one(root: Path, n: int) -> None:
    """A new edit of one mailbox (a state never judged before)."""
    path = root / MAIL / "uid=user60.yaml"
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith("sn: ")]
    path.write_text("\n".join([*lines, f"sn: Edited {n} {time.time_ns()}"]) + "\n")


def entry_files(root: Path) -> bytes:
    found = subprocess.run(
        ["find", "directory", "-name", "*.yaml", "-print0"], cwd=root, capture_output=True
    )
    return found.stdout


def bench(size: int) -> dict[str, Measure]:
    root = generate(DATA / f"repo-{size}", size)
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    subprocess.run(["git", "status", "-s"], cwd=root, check=True, capture_output=True)
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
    change_ten(root)
    shutil.rmtree(root / ".git" / "ldifctl")
    out["plan cold (10 files)"] = measured([*LDIFCTL, "plan"], root)
    out["plan warm (10 files)"] = median([measured([*LDIFCTL, "plan"], root) for _ in range(3)])
    out["plan, one more file edited"] = median([_edited(root, n, "plan") for n in range(3)])
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    return out


def _edited(root: Path, n: int, command: str) -> Measure:
    edit_one(root, n)
    return measured([*LDIFCTL, command], root)


def report(sizes: list[int], results: list[dict[str, Measure]]) -> None:
    head = "".join(f"{f'{n:,} entries: wall, CPU, Pss':>36}   " for n in sizes)
    print(f"{'':30}{head}exponent (time, memory)")
    for name in results[0]:
        cells = "".join(
            f"{t:9.2f} s {c:7.2f} s {m:7.0f} MB   " for t, m, c in (r[name] for r in results)
        )
        (t1, m1, _), (t2, m2, _) = results[0][name], results[-1][name]
        ratio = math.log(sizes[-1] / sizes[0]) if len(sizes) > 1 else 0.0
        slope = ""
        if ratio:
            slope = f"{math.log(t2 / t1) / ratio:5.2f}, {math.log(m2 / m1) / ratio:5.2f}"
        print(f"{name:30}{cells}{slope}")


if __name__ == "__main__":
    chosen = [int(a) for a in sys.argv[1:]] or [10000, 100000]
    report(chosen, [bench(size) for size in chosen])
