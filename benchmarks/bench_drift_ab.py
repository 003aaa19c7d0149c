"""`drift` of two checkouts of ldifctl against one slapd, rounds interleaved (bench_ab.py
for a command that needs a server): each run beside an `ldapsearch` of the same subtree,
since drift's goal is a ratio to it and the host's speed drifts from minute to minute.

The repo's caches (`.git/ldifctl/`) are stamped with the code that wrote them, so the
other checkout finds them stale: each measured run follows one that fills them for its
own checkout, and drift is measured warm, as a scheduled job runs it.

    git worktree add --detach /tmp/before HEAD~1
    python benchmarks/bench_drift_ab.py --before /tmp/before --share 0 --rounds 4

`--share` is the part of the entries the server holds otherwise (their `sn`), as
bench_scaling.py makes it: 0 in sync, 0.1, 1.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import installed  # noqa: F401  (first: see installed.py)
from bench_ab import RUNNER, Runs, checkouts, interleaved, paired
from bench_scaling import sn_drifted
from generate import entries, generate
from live_server import client, connect_repo, loaded_slapd
from measure import run

DATA = Path(__file__).resolve().parent / "data"


def main() -> None:
    parser = checkouts(__doc__, rounds=4, cwd=False)  # the repo is made here
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--share", type=float, default=0.0)
    args = parser.parse_args()
    repo = generate(DATA / f"repo-{args.size}", args.size)
    served = entries(args.size)
    served = sn_drifted(served, args.share) if args.share else served
    found: dict[str, Runs] = {"before": [], "after": []}
    ratios: dict[str, list[float]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp, loaded_slapd(Path(tmp), served) as server:
        env = connect_repo(repo, server)
        search = [*client("ldapsearch", server), "-LLL", "-o", "ldif-wrap=no", "-E",
                  "pr=500/noprompt", "-b", server.suffix, "(objectClass=*)", "*"]
        try:
            for name, root in interleaved(args):
                drift = [sys.executable, "-c", RUNNER, str(root), "drift"]
                run(drift, repo, env, ok=(0, 3))  # fills the caches this checkout stamps
                done = run(drift, repo, env, ok=(0, 3))
                alone = run(search, repo, env)
                found[name].append((done.seconds, done.cpu, done.peak_mb))
                ratios[name].append(done.seconds / alone.seconds)
        finally:
            subprocess.run(["git", "checkout", "-q", "--", "ldifctl.yaml"], cwd=repo, check=True)
    for name, runs in found.items():
        walls = " ".join(f"{t:.2f}" for t, _, _ in runs)
        each = " ".join(f"{r:.2f}x" for r in ratios[name])
        print(f"{name:6}  wall {statistics.median(t for t, _, _ in runs):6.2f} s  "
              f"cpu {statistics.median(c for _, c, _ in runs):6.2f} s  "
              f"peak {max(m for _, _, m in runs):5.0f} MB   (walls: {walls}; "
              f"against ldapsearch: {each})")
    print(paired(found["before"], found["after"]))


if __name__ == "__main__":
    main()
