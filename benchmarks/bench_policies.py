"""Times the mail policy pass, and `plan` with policies on a big repo, twice in a row.

- The policy pass (every built-in rule) on synthetic directories of each SIZE, after
  loading: the snapshot is built in memory first and timed apart.
- `ldifctl plan` for a 10-entry change in a 100k-entry repo, as fresh processes, first
  with an empty cache under .git/ldifctl/, then again; then the second run's parts.

Synthetic repos come from benchmarks/generate.py (under benchmarks/data/, git-ignored).

    python benchmarks/bench_policies.py [SIZE ...]      (default: 1000 10000 100000)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_core import LDIFCTL, change_ten
from generate import CONFIG, entries, generate

from ldifctl import plan
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Snapshot
from ldifctl.policy import check as policy_check
from ldifctl.policy import engine as policy_engine
from ldifctl.policy.files import load_policies
from ldifctl.repo import gitrepo
from ldifctl.repo.readers import revision, worktree
from ldifctl.repo.settings.mail import parse_mail
from ldifctl.repo.workspace import open_workspace
from ldifctl.repo.yamlio.document import load_document
from ldifctl.sources.specs import WORKTREE

DATA = Path(__file__).resolve().parent / "data"
PLAN_SIZE = 100_000


def best(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` timings of work() (the least disturbed by the machine)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def policy_pass(size: int) -> None:
    schema = build_schema()
    start = time.perf_counter()
    snapshot = Snapshot("synthetic", schema)
    for entry in entries(size):
        snapshot.add(entry)
    loading = time.perf_counter() - start
    mail = parse_mail(load_document(CONFIG.encode(), "ldifctl.yaml").child("mail"))
    policies = load_policies([])
    findings = policy_engine.check(snapshot, mail, policies)
    seconds = best(3, lambda: policy_engine.check(snapshot, mail, policies))
    print(
        f"{size:>7} entries  policy pass {seconds:6.3f} s ({size / seconds:8.0f} entries/s)"
        f"  [{len(findings)} findings; loading {loading:5.2f} s, not counted]"
    )


def wall(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr}")
    return time.perf_counter() - start


def plan_twice(size: int) -> None:
    root = generate(DATA / f"repo-{size}", size)
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    shutil.rmtree(root / ".git" / "ldifctl", ignore_errors=True)
    change_ten(root)
    try:
        first, second = wall([*LDIFCTL, "plan"], root), wall([*LDIFCTL, "plan"], root)
        start = wall([*LDIFCTL, "--version"], root)
        print(
            f"{size:>7} entries  plan, 10 changed: first {first:6.2f} s (cache empty), "
            f"second {second:5.2f} s (process start {start:4.2f} s)"
        )
        second_run_parts(root)
        edit_one_more(root)
        print(
            f"{'':>7}          one more file edited: {wall([*LDIFCTL, 'plan'], root):5.2f} s "
            "(policies recomputed, entries from the cache)"
        )
    finally:
        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)


def edit_one_more(root: Path) -> None:
    path = root / "directory/dc=net/dc=example/ou=Mail/uid=user60.yaml"
    path.write_text(path.read_text().replace("sn: User", "sn: Again"))


def second_run_parts(root: Path) -> None:
    ws = open_workspace(root)
    total = best(3, lambda: plan.plan(ws, "HEAD", WORKTREE))
    base, head = revision(ws, "HEAD"), worktree(ws)
    changed = gitrepo.changed_paths(ws.repo, base.commit, None, base.prefix)
    rules = policy_check.base_policies(ws, base)
    policies = best(3, lambda: policy_check.head_findings(ws, base, head, changed, rules))
    print(
        f"{'':>7}          second run in-process: plan {total:5.2f} s, of which the "
        f"policies (cached) {policies * 1000:5.1f} ms"
    )


def calibration() -> float:
    """How fast this machine runs Python: 3M dict insertions (~0.15-0.2 s on a laptop)."""

    def work() -> None:
        table: dict[int, int] = {}
        for i in range(3_000_000):
            table[i] = i

    return best(3, work)


if __name__ == "__main__":
    print(f"calibration: 3M dict insertions {calibration():.2f} s")
    for size in [int(a) for a in sys.argv[1:]] or [1000, 10000, 100000]:
        policy_pass(size)
    plan_twice(PLAN_SIZE)
