"""What routing impact adds to a warm `plan` of a 10-file change that moves mail.

The change retargets five forwards and gives five mailboxes a new alias. The plan is
timed as a user runs it (a fresh `ldifctl plan` process, the cache warm), and in-process
split in two: the plan without routing impact (what `plan` did before) and the routing
impact alone, as a warm plan has it (from the cache, cache/routing.py) and worked out
(the entries near the change read, the addresses the changed entries touch resolved in
both states).

    python benchmarks/bench_impact.py [SIZE ...]      (default: 1000 10000)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_core import DATA, LDIFCTL, timed
from generate import DOMAINS, generate

from ldifctl.plan import incremental
from ldifctl.policy.change_routing import mail_tables
from ldifctl.repo.readers import revision, worktree
from ldifctl.repo.workspace import open_workspace


def change_routing(root: Path, tag: str = "") -> None:
    """Five forwards to another mailbox, five mailboxes with one alias more (`new{i}{tag}@`:
    a new `tag` makes a change no earlier run planned, whose routing the cache would hold)."""
    people = root / "directory/dc=net/dc=example/ou=people"
    forwards = sorted(people.glob("cn=fwd*.yaml"))[:5]
    for path in forwards:
        text = path.read_text()
        target = text.rsplit("mailForwardingAddress: ", 1)[1].strip()
        path.write_text(text.replace(target, f"user0@{DOMAINS[0]}"))
    for i in range(0, 25, 5):
        path = root / "directory/dc=net/dc=example/ou=Mail" / f"uid=user{i}.yaml"
        text = path.read_text()
        alias = f"  - new{i}{tag}@{DOMAINS[0]}\n"
        if "mailAlias:\n" in text:
            text = text.replace("mailAlias:\n", "mailAlias:\n" + alias)
        elif "mailAlias: " in text:
            old = text.split("mailAlias: ", 1)[1].split("\n", 1)[0]
            text = text.replace(f"mailAlias: {old}\n", f"mailAlias:\n  - {old}\n{alias}")
        else:
            text += f"mailAlias: new{i}{tag}@{DOMAINS[0]}\n"
        path.write_text(text)


def median(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(size: int) -> None:
    root = generate(DATA / f"repo-{size}", size)
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    change_routing(root)
    timed([*LDIFCTL, "plan"], root, runs=1)  # fills the caches
    whole = timed([*LDIFCTL, "plan"], root)
    os.chdir(root)
    ws = open_workspace(root, {})
    base, head = revision(ws, "HEAD"), worktree(ws)
    found = incremental.planned(ws, base, head, False)
    without = median(lambda: incremental.planned(ws, base, head, False))
    routing = median(lambda: incremental.whole_routing(found, "HEAD", "worktree"))
    moved = len(incremental.whole_routing(found, "HEAD", "worktree"))
    mail = mail_tables(found.judging, found.head)
    assert mail is not None
    worked_out = median(lambda: incremental.routing(found, "worktree", mail))
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
    print(
        f"{size:>7} entries  warm plan (10 files changed, {moved} addresses moved) "
        f"{whole:5.2f} s; in-process: plan without routing {without:5.2f} s, "
        f"routing impact {routing:5.2f} s (worked out, not from the cache: {worked_out:5.2f} s)"
    )


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1000, 10000]:
        bench(size)
