"""Checking a state: structure and schema rules (and the mail policies) on a snapshot."""

from __future__ import annotations

from ldifctl import bulk, checks, policy_check, sources, tree
from ldifctl.findings import Finding
from ldifctl.model import Snapshot
from ldifctl.policy_files import Policies
from ldifctl.workspace import Workspace


def check_state(
    ws: Workspace, snapshot: Snapshot, policies: Policies | None = None
) -> list[Finding]:
    """Every finding about a whole desired state; `apply` refuses when any is an error.
    Judged by the working tree's policies unless others (a base revision's) are given."""

    def structure() -> list[Finding]:
        return checks.check_entries(
            snapshot,
            ws.schema,
            ws.config.base_dns,
            lambda d: snapshot.get_dn(d) is not None,
            ws.display(ws.directory),
        )

    def mail() -> list[Finding]:
        return policy_check.state_findings(ws, snapshot, policies)

    # Independent passes over the tree: the structure checks go to the second core.
    found, more = bulk.side_by_side(mail, structure, size=len(snapshot))
    return sorted(found + more)


def validate(ws: Workspace) -> tuple[Snapshot, list[Finding]]:
    """`validate`: load the working tree and check it."""
    snapshot = tree.load(sources.worktree(ws), ws.schema)
    return snapshot, check_state(ws, snapshot)
