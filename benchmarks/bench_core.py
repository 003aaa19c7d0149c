"""Times `ldifctl validate` on a whole tree and `ldifctl plan` for a 10-entry change.

`validate` goes through the same caches in a git repo: timed with none (every file
parsed), again (answered from the cache), and after one more file is edited.

`plan` checks the policies on the whole head state: the first run (cold: no cache in
.git/ldifctl) loads every entry, later runs reuse entries and findings keyed by content.
With every policy rule off (the plan of issue 2: diff, structure and schema checks) even
the first run reads only the changed files; that is timed on a clone of the repo.

Each run is a fresh `ldifctl` process (interpreter start included), as in pre-commit or CI.
Repos are generated once under benchmarks/data/ (git-ignored).

    python benchmarks/bench_core.py [SIZE ...]      (default: 1000 10000 100000)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import installed  # noqa: F401  (first: see installed.py)
from generate import generate

from ldifctl.policy.files import BUILTIN

DATA = Path(__file__).resolve().parent / "data"
LDIFCTL = [sys.executable, "-m", "ldifctl"]


def timed(args: list[str], cwd: Path, runs: int = 3) -> float:
    """Median wall time of `runs` fresh processes; fails loudly if the command fails."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 3):
            raise SystemExit(f"{' '.join(args)} failed: {done.stderr}")
    return statistics.median(times)


def change_ten(root: Path, tag: str = "") -> None:
    """Edit 10 mailbox files in the working tree (a typical pull request); a new `tag`
    makes a change no earlier run planned (whose findings the cache would hold)."""
    for i in range(0, 50, 5):
        path = root / "directory/dc=net/dc=example/ou=Mail" / f"uid=user{i}.yaml"
        path.write_text(path.read_text().replace("sn: User", f"sn: Renamed{tag}"))


def change_one(root: Path) -> None:
    """Edit one mailbox file (after a validate: what pre-commit sees next)."""
    path = root / "directory/dc=net/dc=example/ou=Mail/uid=user60.yaml"
    path.write_text(path.read_text().replace("sn: User", "sn: Edited"))


def bench(size: int) -> None:
    root = generate(DATA / f"repo-{size}", size)
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    shutil.rmtree(root / ".git" / "ldifctl", ignore_errors=True)
    first = timed([*LDIFCTL, "validate"], root, runs=1)
    validate = timed([*LDIFCTL, "validate"], root)
    change_one(root)
    edited = timed([*LDIFCTL, "validate"], root, runs=1)
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    change_ten(root)
    shutil.rmtree(root / ".git" / "ldifctl", ignore_errors=True)
    cold = timed([*LDIFCTL, "plan"], root, runs=1)
    warm = timed([*LDIFCTL, "plan"], root)
    lines = subprocess.run([*LDIFCTL, "plan"], cwd=root, capture_output=True, text=True).stdout
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    no_rules = plan_without_policies(root)
    print(f"{size:>7} entries  validate: cold cache {first:6.2f} s, again {validate:5.2f} s,"
          f" one file edited {edited:5.2f} s"
          f"  plan(10 changed) cold cache {cold:5.2f} s, warm {warm:5.2f} s"
          f"  [{lines.count('changetype:')} change records]"
          f"  policies off, cold {no_rules:5.2f} s")


def plan_without_policies(root: Path) -> float:
    """The first `plan` in a fresh clone whose committed policies turn every rule off."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", "--local", str(root), str(clone)], check=True)
        (clone / "policies").mkdir(exist_ok=True)
        rules = "".join(f"  {rule}: off\n" for rule in BUILTIN)
        (clone / "policies" / "off.yaml").write_text(f"rules:\n{rules}")
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run([*git, "add", "policies"], cwd=clone, check=True)
        subprocess.run([*git, "commit", "-q", "-m", "policies off"], cwd=clone, check=True)
        change_ten(clone)
        return timed([*LDIFCTL, "plan"], clone, runs=1)


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1000, 10000, 100000]:
        bench(size)
