"""The README's first command: scripts/demo.sh runs the whole loop and always stops slapd."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "scripts" / "demo.sh"


def demo(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(DEMO)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
    )


def slapd_gone(stderr: str) -> bool:
    pid = re.search(r"slapd \(pid (\d+)\) on ldap://127\.0\.0\.1:\d+", stderr)
    assert pid, stderr
    try:
        state = Path(f"/proc/{pid[1]}/stat").read_text().rsplit(") ", 1)[1]
    except FileNotFoundError:
        return True
    return state.startswith("Z")  # exited; where PID 1 does not reap, a zombie remains


def test_the_demo_runs_the_whole_loop() -> None:
    done = demo(LDIFCTL=str(Path(sys.executable).parent / "ldifctl"))
    assert done.returncode == 0, done.stderr
    for command in (
        "validate",
        "plan --base HEAD~1 --head HEAD",
        "plan --base server",
        "apply --yes",
        "resolve iu@company.com",
        "drift",
    ):
        assert f"$ ldifctl {command}" in done.stderr
    assert "17 applied, 0 failed, 0 unknown, 0 not attempted" in done.stderr
    assert "mailForwardingAddress: someone@elsewhere.example" in done.stdout
    assert "ldifctl drift exited 3" in done.stderr
    assert slapd_gone(done.stderr)


def test_the_demo_stops_slapd_when_a_step_fails() -> None:
    done = demo(LDIFCTL="/bin/false")
    assert done.returncode == 1
    assert slapd_gone(done.stderr)
