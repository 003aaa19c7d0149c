"""A server that stops in the middle of an apply: a clear report, and a re-run converges.

Each test starts a server of its own (the shared session servers must keep running).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_kit import PEOPLE_DN, SERVER_PARAMS, dedicated, in_sync, ldifctl, live_repo

from ldifctl.live import apply as applymod
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import connected

COUNT = 300


def mailbox(i: int) -> str:
    return (
        f"dn: cn=u{i},{PEOPLE_DN}\nobjectClass:\n  - inetOrgPerson\n  - mailRecipient\n"
        f"cn: u{i}\nsn: U\nmail: u{i}@domain.ro\n"
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
        unknown = [
            f"outcome unknown (in flight when the connection was lost): add {result.changes[i].dn}"
            for i in sorted(result.outcome.unknown)
        ]
        more = [f"... and {len(unknown) - 10} more: see report.json"] if len(unknown) > 10 else []
        assert lines[2:] == unknown[:10] + more

        folder = result.write(tmp_path / "reports")
        remaining = (folder / "remaining.ldif").read_text()
        assert remaining.count("changetype: add") == COUNT + 1 - counts["applied"]
        assert (folder / "undo.ldif").read_text().count("changetype: delete") == counts["applied"]

        box.start()
        code, _, err = ldifctl(repo, "apply", "--yes")
        assert code == 0, err
        assert in_sync(repo, box.server)
        assert ldifctl(repo, "drift")[0] == 0
