"""One run of a command: its wall time and the peak of the memory its whole process tree
holds at once.

The memory is the resident set size (VmRSS in /proc/PID/status) of the command and every
process below it (a forked second core, `ldapsearch`, `git`), summed, sampled every 10 ms
while it runs, and the highest sum kept. No psutil: /proc is read directly, only for
the tree (each thread's `children` file), so the sampling costs the machine little. A peak
shorter than 10 ms can be missed; `resource.getrusage(RUSAGE_CHILDREN)` cannot stand in,
since it gives only the largest single process, never the sum of ones running together.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.01


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    code: int
    out: bytes
    err: bytes


def _children(pid: int) -> list[int]:
    """Each thread's children (/proc/PID/task/TID/children): a process a thread started
    is counted too."""
    found: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            found += map(int, Path(task.path, "children").read_text().split())
    except OSError:
        pass  # it ended meanwhile
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """The RSS of `root` and all its descendants, summed."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo += _children(pid)
    return total


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
        ok: tuple[int, ...] = (0,)) -> Run:
    """Run to the end; a failure (an exit code not in `ok`) stops the benchmark loudly."""
    peak = [0]
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(process.pid))
            done.wait(INTERVAL)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} exited {process.returncode}: {err[-2000:]!r}")
    return Run(seconds, peak[0] / 1024, process.returncode, out, err)
