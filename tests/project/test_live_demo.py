"""The README's first command: scripts/demo.sh runs the whole loop and always stops slapd."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "scripts" / "demo.sh"


def environment(**env: str) -> dict[str, str]:
    """This process's environment without NO_COLOR, which a test sets where it means to."""
    return {**{k: v for k, v in os.environ.items() if k != "NO_COLOR"}, **env}


def demo(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(DEMO)],
        capture_output=True,
        text=True,
        check=False,
        env=environment(**env),
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def whole_demo() -> subprocess.CompletedProcess[str]:
    done = demo(LDIFCTL=str(Path(sys.executable).parent / "ldifctl"))
    assert done.returncode == 0, done.stderr
    return done


def demo_on_a_terminal(**env: str) -> str:
    """The demo with a terminal as stdout and stderr, as a user runs it; what it showed."""
    terminal, child = pty.openpty()
    with subprocess.Popen(
        ["bash", str(DEMO)],
        stdin=subprocess.DEVNULL, stdout=child, stderr=child, env=environment(**env),
    ) as running:
        os.close(child)
        shown = []
        while True:
            try:
                data = os.read(terminal, 4096)
            except OSError:  # EIO: every holder of the terminal's other side has closed it
                break
            if not data:
                break
            shown.append(data)
        running.wait()
    os.close(terminal)
    return b"".join(shown).decode()


def slapd_gone(stderr: str) -> bool:
    pid = re.search(r"slapd \(pid (\d+)\) on ldap://127\.0\.0\.1:\d+", stderr)
    assert pid, stderr
    try:
        state = Path(f"/proc/{pid[1]}/stat").read_text().rsplit(") ", 1)[1]
    except FileNotFoundError:
        return True
    return state.startswith("Z")  # exited; where PID 1 does not reap, a zombie remains


def test_the_demo_runs_the_whole_loop(whole_demo: subprocess.CompletedProcess[str]) -> None:
    done = whole_demo
    for command in (
        "validate",
        "plan --base HEAD~1 --head HEAD",
        "plan --base server",
        "apply --yes",
        "resolve iu@company.com",
        "plan | ldapmodify",
        "drift",
    ):
        assert f"$ ldifctl {command}" in done.stderr
    assert "17 applied, 0 failed, 0 unknown, 0 not attempted" in done.stderr
    # The 17 adds are shown once (the head of `plan --base server`), not again by apply.
    assert done.stdout.count("dn: dc=example,dc=net\nchangetype: add\n") == 1
    assert "mailForwardingAddress: someone@elsewhere.example" in done.stdout
    assert "ldifctl drift exited 3" in done.stderr
    assert slapd_gone(done.stderr)


def test_the_demo_shows_a_rule_refusing_a_change_that_ldapmodify_never_gets(
    whole_demo: subprocess.CompletedProcess[str],
) -> None:
    done = whole_demo
    refused = done.stderr.split("(an edit that makes user@old-domain.com forward to itself)\n")[1]
    lines = refused.split("\n\n$ ")[0].splitlines()
    assert "error [no-self-forward] forwards to user@old-domain.com" in lines[-5]
    assert lines[-4].startswith("HEAD -> working tree: 1 modify (sha256:")
    # What the refused change would have done to mail, said all the same.
    assert lines[-3] == (
        "user@old-domain.com: user@new-domain.com (mailbox) -> user@new-domain.com (mailbox), "
        "user@old-domain.com (undeliverable)"
    )
    assert lines[-2].startswith("refused: ")
    assert lines[-1] == (
        "ldifctl plan exited 1: the plan is refused, so it printed no LDIF and ldapmodify sent "
        "nothing"
    )
    # What drift finds afterwards is the hand edit alone: the refused change never arrived.
    assert done.stdout.endswith(
        "dn: cn=user,ou=people,dc=example,dc=net\nchangetype: modify\n"
        "delete: mailForwardingAddress\nmailForwardingAddress: someone@elsewhere.example\n-\n"
        "add: mailForwardingAddress\nmailForwardingAddress: user@new-domain.com\n-\n\n"
    )


def test_the_demo_writes_colour_only_to_a_terminal_and_never_with_no_color() -> None:
    piped = demo(LDIFCTL="/bin/false")
    assert "$ ldifctl validate" in piped.stderr
    assert "\x1b" not in piped.stdout + piped.stderr
    assert "\x1b[1m$ ldifctl validate\x1b[0m" in demo_on_a_terminal(LDIFCTL="/bin/false")
    plain = demo_on_a_terminal(LDIFCTL="/bin/false", NO_COLOR="1")
    assert "$ ldifctl validate" in plain
    assert "\x1b" not in plain


def test_the_demo_stops_slapd_when_a_step_fails() -> None:
    done = demo(LDIFCTL="/bin/false")
    assert done.returncode == 1
    assert slapd_gone(done.stderr)
