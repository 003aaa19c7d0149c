"""Ctrl-C, SIGTERM or a lost connection in the middle of a real `ldifctl apply`: it stops
sending, awaits what is in flight, and its report tells exactly what the server holds
(issue 10, item 7).

Each server kind gets a server of its own for the module, loaded once; every test moves
all its entries to a new forwarding address and stops the run half way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ldap
import pytest
import servers
from live_kit import PEOPLE_DN, SERVER_PARAMS, Dedicated, dedicated, dedicated_slapd, live_repo
from repo_kit import USER, USER_FORWARD, DirectoryRepo

from ldifctl.live import apply as applymod
from ldifctl.live import signals as apply_signals
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import connected

# Enough for the run to be well under way when the signal comes, on either server.
COUNT = {"slapd": 10_000, "ds389": 3_000}


def dn(i: int) -> str:
    return f"cn=u{i:05d},{PEOPLE_DN}"


def entry(i: int, forward: str) -> str:
    return (
        f"dn: {dn(i)}\nobjectClass:\n  - inetOrgPerson\n  - mailRecipient\ncn: u{i:05d}\n"
        f"sn: U\nmail: u{i}@domain.ro\nmailForwardingAddress: u{i}@{forward}\n"
    )


@dataclass
class Loaded:
    kind: str
    box: Dedicated
    repo: DirectoryRepo
    count: int

    @property
    def server(self) -> servers.LdapServer:
        return self.box.server

    def forwards(self) -> dict[str, bytes]:
        """DN (lower case) -> the forwarding address the server holds."""
        found = self.server.search_all(PEOPLE_DN)
        return {
            d.lower(): attrs["mailForwardingAddress"][0]
            for d, attrs in found.items()
            if "mailForwardingAddress" in attrs
        }

    def forward_of(self, i: int) -> bytes | None:
        with self.server.bind() as conn:
            found = conn.search_s(dn(i), ldap.SCOPE_BASE, attrlist=["mailForwardingAddress"])
        return found[0][1]["mailForwardingAddress"][0] if found else None

    def want(self, forward: str) -> None:
        self.repo.populate({dn(i): entry(i, forward) for i in range(self.count)})


@pytest.fixture(scope="module", params=SERVER_PARAMS)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    kind = request.param
    root = tmp_path_factory.mktemp(f"signals-{kind}")
    with dedicated(kind, root / "server") as box:
        repo = live_repo(root / "repo", box.server)
        state = Loaded(kind, box, repo, COUNT[kind])
        state.want("start.example")
        code, output = run_apply(state, None)
        assert code == 0, output
        yield state


def run_apply(state: Loaded, stop: signal.Signals | str | None) -> tuple[int, str]:
    """A real `ldifctl apply` process; `stop` is sent to it (or done to its server) once
    the entry half way through the plan has been written."""
    shutil.rmtree(state.repo.root / ".ldifctl", ignore_errors=True)  # the report is this run's
    env = {**os.environ, "LDIFCTL_BIND_PASSWORD": state.server.root_pw}
    env.pop("LDIFCTL_BIND_PASSWORD_FILE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "ldifctl", "apply", "--yes", "--force", "--format", "json"],
        cwd=state.repo.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if stop is not None:
        half_way = state.count // 2
        target = state.repo.path(dn(half_way)).read_text().split("mailForwardingAddress: ")[1]
        deadline = time.monotonic() + 300
        while state.forward_of(half_way) != target.strip().encode():
            assert process.poll() is None, "apply ended before it was half way"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        if stop == "server":
            state.box.stop()
        else:
            assert isinstance(stop, signal.Signals)
            process.send_signal(stop)
    _, err = process.communicate(timeout=600)
    return process.returncode, err


def the_report(repo: DirectoryRepo) -> Path:
    [folder] = (repo.root / ".ldifctl").glob("apply-*")
    return folder


def ldapmodify(server: servers.LdapServer, path: Path) -> None:
    done = server.ldapmodify(path.read_text())
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize(
    "stop",
    [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, "server"],
    ids=["SIGINT", "SIGTERM", "SIGHUP", "server-stopped"],
)
def test_a_stopped_apply_reports_exactly_what_the_server_holds(
    loaded: Loaded, stop: signal.Signals | str
) -> None:
    name = stop.name if isinstance(stop, signal.Signals) else "lost"
    before = loaded.forwards()
    loaded.want(f"{name.lower()}.example")
    desired = {dn(i).lower(): f"u{i}@{name.lower()}.example".encode() for i in range(loaded.count)}

    code, err = run_apply(loaded, stop)
    if stop == "server":
        loaded.box.start()
    assert code == (128 + stop if isinstance(stop, signal.Signals) else 1), err[-3000:]
    folder = the_report(loaded.repo)
    report = json.loads((folder / "report.json").read_text())
    statuses = {c["dn"].lower(): c["status"] for c in report["changes"]}
    summary = report["summary"]
    assert summary["applied"] > 0 and summary["not attempted"] > 0 and summary["failed"] == 0
    assert f"{loaded.server.uri}: " + ", ".join(f"{n} {s}" for s, n in summary.items()) in err
    if isinstance(stop, signal.Signals):
        # What was in flight was awaited: every change is applied or not attempted.
        assert report["interrupted"] == name and summary["unknown"] == 0
        assert f"interrupted by {name}: nothing more was sent" in err
    else:
        assert report["lost"] is not None
        # Whatever a fresh read found, what the lost connection carried may still run.
        assert "the server may still apply requests it received before the connection" in err

    # Every change reported applied is on the server; every other is not, except those
    # whose answer a lost connection took with it.
    held = loaded.forwards()
    for d, status in statuses.items():
        expected = {"applied": {desired[d]}, "not attempted": {before[d]}}
        assert held[d] in expected.get(status, {desired[d], before[d]}), (d, status)

    # The changes whose answer the lost connection took are kept apart: neither
    # remaining.ldif nor undo.ldif may offer them (either would fail, or do harm).
    unknown = {d for d, s in statuses.items() if s == "unknown"}
    assert len(unknown) == summary["unknown"]
    if unknown:
        lines = (folder / "unknown.ldif").read_text().splitlines()
        assert {line[4:].lower() for line in lines if line.startswith("dn: ")} == unknown
        assert "run `ldifctl drift` once the server answers" in err
    else:
        assert not (folder / "unknown.ldif").exists()
    # remaining.ldif takes the server the rest of the way...
    ldapmodify(loaded.server, folder / "remaining.ldif")
    assert loaded.forwards() == {d: held[d] if d in unknown else desired[d] for d in desired}
    # ...and undo.ldif takes back exactly what the stopped run applied.
    ldapmodify(loaded.server, folder / "undo.ldif")
    applied = {d for d, s in statuses.items() if s == "applied"}
    assert loaded.forwards() == {
        d: before[d] if d in applied else held[d] if d in unknown else desired[d] for d in desired
    }


def test_a_signal_during_the_wait_for_an_answer_is_no_lost_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libldap ends a wait that a signal interrupts with "Can't contact LDAP server" unless
    told to restart it: the change in flight would be reported unknown."""
    with dedicated_slapd(tmp_path / "server") as box:
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", box.server.root_pw)
        repo = live_repo(tmp_path / "repo", box.server)
        repo.write(USER, USER_FORWARD)
        ws = open_workspace(repo.root)
        desired, _ = applymod.desired_state(ws, "worktree")
        with connected(ws.config.server, ws.environ) as conn:
            prepared = applymod.prepare(ws, conn, desired, None)
            slapd = box.pid()
            os.kill(slapd, signal.SIGSTOP)  # the first write waits for its answer...
            try:
                # ...while Ctrl-C comes; then the server answers.
                threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
                threading.Timer(1.5, os.kill, (slapd, signal.SIGCONT)).start()
                with apply_signals.caught() as interrupts:
                    result = applymod.execute(ws, conn, prepared, None, interrupts.first)
            finally:
                os.kill(slapd, signal.SIGCONT)
    assert (result.outcome.lost, result.outcome.interrupted) == (None, "SIGINT")
    assert result.counts() == {"applied": 1, "failed": 0, "unknown": 0, "not attempted": 1}
