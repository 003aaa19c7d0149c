"""`ldifctl apply` of N modifies against the `ldapmodify` C client, on the same slapd state.

The server holds the generated directory; every entry's `sn` is changed in the working tree.
`ldapmodify` gets the plan's LDIF (one reply awaited per record); then the server is put
back and `ldifctl apply` makes the same change (writes pipelined, 128 in flight). Both are
fresh processes; ldifctl's time includes loading the repo, reading the server and
planning, and the write phase alone is timed in-process too.

    python benchmarks/bench_apply.py [COUNT]      (default: 10000)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import entries, generate
from live_server import connect_repo, loaded_slapd

from ldifctl import apply as applymod
from ldifctl.connection import connected
from ldifctl.workspace import open_workspace

LDIFCTL = [sys.executable, "-m", "ldifctl"]
FORCE = "apply:\n  max_update_percent: 100\n"


def run(args: list[str], repo: Path, env: dict[str, str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=repo, env=env, input=stdin, capture_output=True, text=True,
                          check=False)
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
    ws = open_workspace(repo, env)
    desired, _ = applymod.desired_state(ws, "worktree")
    with connected(ws.config.server, ws.environ) as conn:
        prepared = applymod.prepare(ws, conn, desired, None)
        start = time.perf_counter()
        report = applymod.execute(ws, conn, prepared)
        elapsed = time.perf_counter() - start
    assert report.ok, report.lines()
    return elapsed, len(prepared.plan.changes)


def bench(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        repo = generate(root / "repo", count + 54)  # 54 skeleton entries, `count` people
        with loaded_slapd(root / "slapd", entries(count + 54)) as server:
            env = connect_repo(repo, server)
            (repo / "ldifctl.yaml").write_text((repo / "ldifctl.yaml").read_text() + FORCE)
            edit_every_sn(repo)
            plan = subprocess.run([*LDIFCTL, "plan", "--base", "server"], cwd=repo, env=env,
                                  capture_output=True, text=True, check=True).stdout
            records = plan.count("changetype: modify")
            client = ["ldapmodify", "-x", "-H", server.uri, "-D", server.root_dn, "-y",
                      str(server.password_file)]
            ldapmodify = run(client, repo, env, plan)
            undo = subprocess.run([*LDIFCTL, "plan", "--base", "server", "--head", "HEAD"],
                                  cwd=repo, env=env, capture_output=True, text=True,
                                  check=True).stdout
            run(client, repo, env, undo)
            apply = run([*LDIFCTL, "apply", "--yes"], repo, env)
            run(client, repo, env, undo)
            writes, changes = write_phase(repo, env)
    print(f"{records} modifies  ldapmodify {ldapmodify:6.2f} s   ldifctl apply {apply:6.2f} s "
          f"({ldapmodify / apply:4.2f}x as fast; its writes alone {writes:5.2f} s, "
          f"{ldapmodify / writes:4.2f}x)  [{changes} changes]")


if __name__ == "__main__":
    os.environ["LDAPNOINIT"] = "1"
    bench(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
