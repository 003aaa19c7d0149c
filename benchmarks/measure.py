"""One run of a command: its wall time, the CPU time of its whole process tree (user and
system, every process it started and waited for; robust where other jobs load the machine
and stretch the wall time) and the peak of the memory that tree holds at once.

The memory is that of the command and every process below it (a forked second core,
`ldapsearch`, `git`), summed, sampled every 50 ms while it runs, and the highest sum kept;
twice: as resident set sizes (Rss), which count a page a forked child still shares with
its parent once in each, and as proportional set sizes (Pss, a shared page split between
its sharers), whose sum is the memory the tree really holds. Both from
/proc/PID/smaps_rollup, and both with the files in memory (memfd) the tree holds open
added, each once, at the size they take (drift's ldapsearch prints into one). No psutil:
/proc is read directly, only for the tree (each thread's `children` file), so the
sampling costs the machine little. A peak shorter than 50 ms can be missed;
`resource.getrusage(RUSAGE_CHILDREN)` cannot stand in, since it gives only the largest
single process, never the sum of ones running together.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.05


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float  # the sum of Pss
    peak_rss_mb: float  # the sum of Rss
    code: int
    out: bytes
    err: bytes
    cpu: float = 0.0  # user + system seconds of the whole tree (every process reaped)


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


def _sizes_kb(pid: int) -> tuple[int, int]:
    """(Pss, Rss) of one process; (0, 0) once it has ended."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return pss, rss


def _memory_files(pid: int, seen: dict[tuple[int, int], int]) -> None:
    """Note each memfd the process holds open (by device and inode) and the kB it takes."""
    try:
        for fd in os.scandir(f"/proc/{pid}/fd"):
            if os.readlink(fd.path).startswith("/memfd:"):
                held = os.stat(fd.path)
                seen[held.st_dev, held.st_ino] = held.st_blocks // 2
    except OSError:
        pass  # it ended meanwhile, or closed the file


def tree_kb(root: int) -> tuple[int, int]:
    """(Pss, Rss) of `root` and all its descendants, each summed, with their memfds."""
    pss = rss = 0
    files: dict[tuple[int, int], int] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        one = _sizes_kb(pid)
        pss, rss = pss + one[0], rss + one[1]
        _memory_files(pid, files)
        todo += _children(pid)
    return pss + sum(files.values()), rss + sum(files.values())


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
        ok: tuple[int, ...] = (0,), stdin: bytes | None = None) -> Run:
    """Run to the end (`stdin` fed to it); a failure (an exit code not in `ok`) stops the
    benchmark loudly. The time is taken when its output ends and it is reaped, not at the
    next sample: sampling runs beside it, on its own thread."""
    peak = [0, 0]
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pss, rss = tree_kb(process.pid)
            peak[:] = max(peak[0], pss), max(peak[1], rss)
            done.wait(INTERVAL)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate(stdin)
    seconds = time.perf_counter() - start
    spent = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = spent.ru_utime - used.ru_utime + spent.ru_stime - used.ru_stime
    done.set()
    sampler.join()
    if process.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} exited {process.returncode}: {err[-2000:]!r}")
    return Run(seconds, peak[0] / 1024, peak[1] / 1024, process.returncode, out, err, cpu)
