"""`ldifctl apply` of N modifies against the `ldapmodify` C client, on the same slapd state.

The server holds the generated directory; every entry's `sn` is changed in the working tree.
`ldapmodify` gets the plan's LDIF (one reply awaited per record); the server is put back;
`ldifctl apply` makes the same change (writes pipelined, 128 in flight); put back again;
then the write phase alone is timed in-process. Three rounds, medians printed. ldifctl's
whole run also loads the repo, reads the server and plans, which ldapmodify does not.

    python benchmarks/bench_apply.py [COUNT]      (default: 10000)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import entries, generate
from live_server import client, connect_repo, loaded_slapd

from ldifctl.live import apply as applymod
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import connected

LDIFCTL = [sys.executable, "-m", "ldifctl"]
FORCE = "apply:\n  max_update_percent: 100\n"


def run(args: list[str], repo: Path, env: dict[str, str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        args, cwd=repo, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return elapsed


def edit_every_sn(repo: Path) -> None:
    for path in (repo / "directory").rglob("*.yaml"):
        text = path.read_text()
        if "\nsn: " in text:
            path.write_text(text.replace("\nsn: ", "\nsn: Changed "))


def write_phase(repo: Path, env: dict[str, str]) -> tuple[float, int]:
    """The pipelined writes alone, in-process, after the same read and plan."""
    ws = open_workspace(repo, env)
    desired, _ = applymod.desired_state(ws, "worktree")
    with connected(ws.config.server, ws.environ) as conn:
        prepared = applymod.prepare(ws, conn, desired, None)
        start = time.perf_counter()
        report = applymod.execute(ws, conn, prepared)
        elapsed = time.perf_counter() - start
    assert report.ok, report.lines()
    return elapsed, len(prepared.plan.changes)


def bench(count: int, rounds: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        repo = generate(root / "repo", count + 54)  # 54 skeleton entries, `count` people
        with loaded_slapd(root / "slapd", entries(count + 54)) as server:
            env = connect_repo(repo, server)
            (repo / "ldifctl.yaml").write_text((repo / "ldifctl.yaml").read_text() + FORCE)
            edit_every_sn(repo)
            plan = ldifctl_out(["plan", "--base", "server"], repo, env)
            modify = client("ldapmodify", server)
            times: dict[str, list[float]] = {"ldapmodify": [], "apply": [], "writes": []}
            for _ in range(rounds):  # alternate, so a busy moment hits both alike
                times["ldapmodify"].append(run(modify, repo, env, plan))
                undo = ldifctl_out(["plan", "--base", "server", "--head", "HEAD"], repo, env)
                run(modify, repo, env, undo)
                times["apply"].append(run([*LDIFCTL, "apply", "--yes"], repo, env))
                run(modify, repo, env, undo)
                times["writes"].append(write_phase(repo, env)[0])
                run(modify, repo, env, undo)
    ldapmodify, apply, writes = (statistics.median(times[k]) for k in times)
    print(
        f"{plan.count('changetype: modify')} modifies (median of {rounds})  ldapmodify "
        f"{ldapmodify:5.2f} s   ldifctl apply {apply:5.2f} s (whole run: load, read, plan, "
        f"write)   its writes alone {writes:5.2f} s ({ldapmodify / writes:4.2f}x as fast)"
    )


def ldifctl_out(args: list[str], repo: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [*LDIFCTL, *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


if __name__ == "__main__":
    os.environ["LDAPNOINIT"] = "1"
    bench(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
