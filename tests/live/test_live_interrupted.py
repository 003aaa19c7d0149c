"""A server that stops in the middle of an apply: a clear report, and a re-run converges.

Each test starts a server of its own (the shared session servers must keep running).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from live_kit import (
    LOST_CAVEAT,
    PEOPLE_DN,
    SERVER_PARAMS,
    dedicated,
    dedicated_slapd,
    in_sync,
    ldifctl,
    live_repo,
    mailbox,
)

from ldifctl.live import apply as applymod
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import connected

COUNT = 300
UNKNOWN_NOTE = (
    "{} change(s) whose outcome is unknown are in unknown.ldif, not in remaining.ldif or undo.ldif"
)



@pytest.mark.parametrize("kind", SERVER_PARAMS)
def test_the_server_stopped_mid_apply(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with dedicated(kind, tmp_path / "server") as box:
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", box.server.root_pw)
        repo = live_repo(tmp_path / "repo", box.server)
        repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(COUNT)})
        ws = open_workspace(repo.root)
        desired, _ = applymod.desired_state(ws, "worktree")

        def stop_after_forty(done: int) -> None:
            if done == 40:
                box.stop()  # a real stop: the process is gone, the socket closes

        with connected(ws.config.server, ws.environ) as conn:
            prepared = applymod.prepare(ws, conn, desired, None)
            result = applymod.execute(ws, conn, prepared, stop_after_forty)

        counts = result.counts()
        assert sum(counts.values()) == COUNT + 1
        assert counts["applied"] >= 40
        assert counts["failed"] == 0
        assert counts["not attempted"] > 0
        lines = result.lines()
        assert lines[0] == (
            f"{box.server.uri}: {counts['applied']} applied, 0 failed, {counts['unknown']} "
            f"unknown, {counts['not attempted']} not attempted"
        )
        assert lines[1] == f"connection lost: {result.outcome.lost}"
        # The server is down: the fresh connection that would read them fails.
        assert lines[2].startswith("could not read the changes in flight again: reconnecting ")
        unknown = [
            f"outcome unknown (in flight when the connection was lost): add {result.changes[i].dn}"
            for i in sorted(result.outcome.unknown)
        ]
        more = [f"... and {len(unknown) - 10} more: see report.json"] if len(unknown) > 10 else []
        assert lines[3:-2] == unknown[:10] + more
        assert lines[-2:] == [UNKNOWN_NOTE.format(len(unknown)), LOST_CAVEAT]

        folder = result.write(tmp_path / "reports")
        remaining = (folder / "remaining.ldif").read_text()
        assert remaining.count("changetype: add") == COUNT + 1 - counts["applied"] - len(unknown)
        assert (folder / "undo.ldif").read_text().count("changetype: delete") == counts["applied"]
        assert (folder / "unknown.ldif").read_text().count("changetype: add") == len(unknown)

        box.start()
        code, _, err = ldifctl(repo, "apply", "--yes")
        assert code == 0, err
        assert in_sync(repo, box.server)
        assert ldifctl(repo, "drift")[0] == 0


def test_a_server_back_at_once_tells_what_was_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection is lost but the server is back: a fresh read finds what was in
    flight. What it finds applied counts as applied; what it finds not applied yet stays
    unknown (nothing proves the server will not still run it), out of remaining.ldif."""
    with dedicated_slapd(tmp_path / "server") as box:
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", box.server.root_pw)
        repo = live_repo(tmp_path / "repo", box.server)
        repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(COUNT)})
        ws = open_workspace(repo.root)
        desired, _ = applymod.desired_state(ws, "worktree")

        def restart_after_forty(done: int) -> None:
            if done == 40:
                box.stop()
                box.start()

        with connected(ws.config.server, ws.environ) as conn:
            prepared = applymod.prepare(ws, conn, desired, None)
            result = applymod.execute(ws, conn, prepared, restart_after_forty)

        assert result.outcome.lost is not None and result.outcome.rechecked
        assert result.outcome.recheck_failed is None
        rechecked = result.outcome.rechecked
        not_yet = sorted(i for i, applied in rechecked.items() if not applied)
        assert sorted(result.outcome.unknown) == not_yet
        assert {i for i, applied in rechecked.items() if applied} <= set(result.outcome.applied)
        found = list(rechecked.values())
        lines = result.lines()
        assert (
            f"a fresh read of the changes in flight found {found.count(True)} applied and "
            f"{found.count(False)} not applied yet (unknown still: the server may run them)"
        ) in lines
        assert lines[-1] == LOST_CAVEAT
        folder = result.write(tmp_path / "reports")
        unknown = (folder / "unknown.ldif").read_text() if not_yet else ""
        assert unknown.count("changetype: add") == len(not_yet)
        # Nothing applied is offered again (ldapmodify would fail with 68).
        done = box.server.ldapmodify((folder / "remaining.ldif").read_text())
        assert done.returncode == 0, done.stderr[-2000:]
        undo = (folder / "undo.ldif").read_text()
        undone = {line[4:] for line in undo.splitlines() if line.startswith("dn: ")}
        assert undone == {result.changes[i].dn for i in result.outcome.applied}
        code, _, err = ldifctl(repo, "apply", "--yes")
        assert code == 0, err
        assert in_sync(repo, box.server)


def test_a_server_that_stops_answering_leaves_its_queue_out_of_remaining(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """slapd stopped (SIGSTOP) past the timeout, then let go: the writes it had queued land
    after the run. They are unknown, in unknown.ldif: remaining.ldif still applies cleanly."""
    with dedicated_slapd(tmp_path / "server") as box:
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", box.server.root_pw)
        repo = live_repo(tmp_path / "repo", box.server, "  timeout: 2\n")
        repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(COUNT)})
        ws = open_workspace(repo.root)
        desired, _ = applymod.desired_state(ws, "worktree")
        slapd = box.pid()

        def freeze_after_forty(done: int) -> None:
            if done == 40:
                os.kill(slapd, signal.SIGSTOP)

        try:
            with connected(ws.config.server, ws.environ) as conn:
                prepared = applymod.prepare(ws, conn, desired, None)
                result = applymod.execute(ws, conn, prepared, freeze_after_forty)
        finally:
            os.kill(slapd, signal.SIGCONT)
        assert result.outcome.lost == f"no answer from {box.server.uri} in 2 s"
        assert result.outcome.recheck_failed is not None  # its bind got no answer either
        assert result.outcome.unknown
        folder = result.write(tmp_path / "reports")
        unknown = (folder / "unknown.ldif").read_text()
        assert unknown.count("changetype: add") == len(result.outcome.unknown)
        assert "# Not here: " in (folder / "remaining.ldif").read_text()

        time.sleep(1)  # slapd works through what it had queued
        done = box.server.ldapmodify((folder / "remaining.ldif").read_text())
        assert done.returncode == 0, done.stderr[-2000:]
        code, _, err = ldifctl(repo, "apply", "--yes")
        assert code == 0, err
        assert in_sync(repo, box.server)
