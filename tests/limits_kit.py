"""Running `ldifctl` in a child process held to a CPU time and memory budget.

An attack that makes ldifctl hang or balloon must fail such a run (the kernel stops the
child: SIGXCPU past the CPU limit, MemoryError past the address-space limit), not hang
the test suite. No wall time is asserted: the limits bound the run, whatever the load.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

CPU_SECONDS = 30  # a correct run takes about one second of CPU
MEMORY_BYTES = 1 << 30  # a correct run stays far below 1 GiB of address space


def _limits(cpu_seconds: int, memory_bytes: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return apply


def run_limited(
    root: Path, *args: str, cpu_seconds: int = CPU_SECONDS, memory_bytes: int = MEMORY_BYTES
) -> subprocess.CompletedProcess[str]:
    """`ldifctl ARGS` in `root`, in a fresh interpreter under the limits."""
    return subprocess.run(
        [sys.executable, "-m", "ldifctl", *args],
        cwd=root,
        capture_output=True,
        text=True,
        preexec_fn=_limits(cpu_seconds, memory_bytes),
        check=False,
    )
