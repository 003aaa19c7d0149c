"""`ldifctl drift` of a whole directory against `ldapsearch` reading the same subtree.

Goal: drift (read the server, load the repo, compare) takes at most twice as long as
ldapsearch takes only to read. Each run is a fresh process; the median of 3 is printed,
wall time and CPU time (the first run also fills the caches under .git/ldifctl/). For
comparison, the python-ldap read that drift used before (and still uses without
ldapsearch, and for --write) is timed in-process: python-ldap alone takes longer than
ldapsearch.

    python benchmarks/bench_drift.py [SIZE ...]      (default: 100000)
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import installed  # noqa: F401  (first: see installed.py)
from generate import entries, generate
from live_server import client, connect_repo, loaded_slapd

from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.server import read_server

DATA = Path(__file__).resolve().parent / "data"
LDIFCTL = [sys.executable, "-m", "ldifctl"]


def timed(
    args: list[str], cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """The medians of 3 runs: wall time, and CPU time (user + system, every process the
    command starts), which other jobs on the machine do not stretch."""
    times, cpus = [], []
    for _ in range(3):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            args,
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        spent = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(spent.ru_utime - used.ru_utime + spent.ru_stime - used.ru_stime)
        if done.returncode not in ok:
            raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr}")
    return statistics.median(times), statistics.median(cpus)


def bench(size: int) -> None:
    repo = generate(DATA / f"repo-{size}", size)
    with tempfile.TemporaryDirectory() as tmp, loaded_slapd(Path(tmp), entries(size)) as server:
        env = connect_repo(repo, server)
        search = [
            *client("ldapsearch", server),
            "-LLL",
            "-E",
            "pr=500/noprompt",
            "-b",
            server.suffix,
            "(objectClass=*)",
            "*",
        ]
        ldapsearch, search_cpu = timed(search, repo, env)
        drift, drift_cpu = timed([*LDIFCTL, "drift"], repo, env)
        read = statistics.median(read_time(repo, env) for _ in range(3))
        subprocess.run(["git", "checkout", "-q", "--", "ldifctl.yaml"], cwd=repo, check=True)
    print(
        f"{size:>7} entries  ldapsearch {ldapsearch:6.2f} s ({search_cpu:.2f} s CPU)   "
        f"ldifctl drift {drift:6.2f} s ({drift_cpu:.2f} s CPU, {drift / ldapsearch:5.2f}x)   "
        f"a python-ldap read alone {read:6.2f} s ({read / ldapsearch:4.2f}x)"
    )


def read_time(repo: Path, env: dict[str, str]) -> float:
    ws = open_workspace(repo, env)  # a fresh schema: no DN key cached from the last run
    start = time.perf_counter()
    read_server(ws)
    return time.perf_counter() - start


if __name__ == "__main__":
    for count in [int(a) for a in sys.argv[1:]] or [100000]:
        bench(count)
