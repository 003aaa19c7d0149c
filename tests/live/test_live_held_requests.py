"""Apply's connection goes quiet (a network that holds what ldifctl sends) while the
server runs on: the run ends on its timeout, and the held requests reach the server after
it. The report may file none of them as not applied: remaining.ldif must still apply
cleanly, and undo.ldif take back exactly what the report says was applied.

The test starts a server of its own (the shared session servers must keep running).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from held_proxy import held_proxy
from live_kit import (
    LOST_CAVEAT,
    PEOPLE_DN,
    dedicated_slapd,
    in_sync,
    ldifctl,
    live_repo,
    mailbox,
)
from repo_kit import PEOPLE

from ldifctl.live import apply as applymod
from ldifctl.live.report import ApplyReport
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import connected

COUNT = 300



def dns(result: ApplyReport, *statuses: str) -> set[str]:
    changes = enumerate(result.changes)
    return {c.dn.lower() for i, c in changes if result.status(i) in statuses}


def test_requests_held_past_the_timeout_are_never_filed_not_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with dedicated_slapd(tmp_path / "server") as box, held_proxy(box.server) as (proxy, via):
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", box.server.root_pw)
        box.server.ldapadd(PEOPLE)  # undo.ldif then deletes only leaves
        repo = live_repo(tmp_path / "repo", via, "  timeout: 2\n")
        repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(COUNT)})
        ws = open_workspace(repo.root)
        desired, _ = applymod.desired_state(ws, "worktree")

        def hold_after_five(done: int) -> None:
            if done == 5:
                proxy.hold()

        with connected(ws.config.server, ws.environ) as conn:
            prepared = applymod.prepare(ws, conn, desired, None)
            result = applymod.execute(ws, conn, prepared, hold_after_five)
            # ldifctl shut the lost connection at once, not only when it was done with it.
            assert proxy.client_ended.wait(5)

        assert result.outcome.lost == f"no answer from {via.uri} in 2 s"
        assert result.outcome.recheck_failed is None  # the fresh connection is not held
        # What the fresh read found not applied yet is still unknown, never "not attempted".
        not_yet = [i for i, found in result.outcome.rechecked.items() if not found]
        assert not_yet and set(not_yet) <= set(result.outcome.unknown)
        assert result.lines()[-1] == LOST_CAVEAT
        folder = result.write(tmp_path / "reports")

        proxy.release()  # the network comes back: what was held reaches slapd
        assert proxy.drained(), "slapd did not close the held connection"
        held = {dn.lower() for dn in box.server.search_all(PEOPLE_DN)} - {PEOPLE_DN.lower()}
        applied, unknown = dns(result, "applied"), dns(result, "unknown")
        remaining = dns(result, "failed", "not attempted")
        assert applied <= held and held - applied <= unknown and not held & remaining
        landed = held - applied  # the defect: these were once filed as not applied

        done = box.server.ldapmodify((folder / "remaining.ldif").read_text())
        assert done.returncode == 0, done.stderr[-2000:]
        done = box.server.ldapmodify((folder / "undo.ldif").read_text())
        assert done.returncode == 0, done.stderr[-2000:]
        left = {dn.lower() for dn in box.server.search_all(PEOPLE_DN)} - {PEOPLE_DN.lower()}
        assert left == landed | remaining

        code, _, err = ldifctl(repo, "apply", "--yes")
        assert code == 0, err
        assert in_sync(repo, box.server)
