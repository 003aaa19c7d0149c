"""`apply`: make the server match the repo, or refuse and say why (DESIGN §5).

The steps, each of which can stop the run before anything is sent: the desired state
passes every check; the plan is diff(server, repo) read fresh; every DN is inside
base_dn and no secret is written; `--checksum` matches; the plan stays under the
thresholds and off protected entries (or `--force`). Then the writes are pipelined and
the first failure stops them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ldifctl import plan as planmod
from ldifctl import validation
from ldifctl.cache.states import load_whole
from ldifctl.diff import snapshots as diff
from ldifctl.live import undo
from ldifctl.live.pipeline import Outcome, Pipeline
from ldifctl.live.preconditions import Preconditions
from ldifctl.live.recheck import recheck
from ldifctl.live.report import ApplyReport
from ldifctl.live.safety import Scope, refusals, refuse_secrets
from ldifctl.model.changes import Change
from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.model.snapshot import Snapshot
from ldifctl.repo import files as repo_files
from ldifctl.repo.settings.apply import ApplySettings, apply_settings
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.connection import ASSERTION, Connection, open_connection
from ldifctl.sources.server import ServerState, read_state


@dataclass(frozen=True)
class Prepared:
    plan: planmod.Plan
    checksum: str  # the plan's, computed once: it renders the whole LDIF
    state: ServerState
    refusals: tuple[str, ...]  # what needs --force
    settings: ApplySettings


def desired_state(ws: Workspace, rev: str) -> tuple[Snapshot, list[Finding]]:
    """The repo state to apply and what the checks say about it (apply refuses on errors)."""
    desired = load_whole(ws, rev)
    return desired, validation.check_state(ws, desired)


def prepare(
    ws: Workspace,
    conn: Connection,
    desired: Snapshot,
    checksum: str | None,
    findings: tuple[Finding, ...] = (),
) -> Prepared:
    """Read the server, plan, and raise for what no option can override. `findings` are
    desired_state's, carried into the plan (checking 100k entries twice costs seconds)."""
    settings = apply_settings(ws.config.apply, ws.config.base_dns, ws.schema)
    state = read_state(conn, ws.config.base_dns, ws.schema, stamps=True)
    ordered, unsendable = diff.judged_diff(state.snapshot, desired)
    if unsendable:  # no --force: the server would refuse it half-way
        raise LdifctlError("; ".join(f.text() for f in unsendable) + "; nothing was sent")
    changes = tuple(ordered)
    plan = planmod.Plan(state.snapshot.label, desired.label, changes, findings)
    scope = Scope(ws.config.base_dns, ws.schema)
    for change in plan.changes:
        scope.require(change)
    refuse_secrets(plan.changes, ws.schema)
    fresh = plan.checksum
    if checksum is not None and checksum != fresh:
        raise LdifctlError(
            f"the plan changed since it was reviewed: its checksum is now {fresh}, "
            f"not {checksum}; review the new plan (ldifctl plan --base server) and apply that"
        )
    protected = (*ws.config.base_dns, *settings.protected)
    found = refusals(plan.changes, list(state.snapshot.keys()), settings, protected, ws.schema)
    return Prepared(plan, fresh, state, tuple(found), settings)


def execute(
    ws: Workspace,
    conn: Connection,
    prepared: Prepared,
    progress: Callable[[int], None] | None = None,
    interrupted: Callable[[], str | None] | None = None,
) -> ApplyReport:
    """Send the plan; the report says what happened to every change. `interrupted` names
    the signal that asks to stop sending, once one has come."""
    changes = list(prepared.plan.changes)
    checks = Preconditions(prepared.state, changes, ws.schema, conn.supports(ASSERTION))
    scope = Scope(ws.config.base_dns, ws.schema)
    window = prepared.settings.window
    pipeline = Pipeline(conn, ws.schema, window, scope, checks, progress, interrupted)
    outcome = pipeline.run(changes)
    if outcome.unknown:  # a lost connection: the answers in flight went with it
        _recheck(ws, changes, outcome, prepared.state.snapshot)
    # Undo takes back what was sent, in the form it was sent (and, for a delete, the
    # content the server reported deleting).
    applied = [outcome.sent.get(i, changes[i]) for i in sorted(outcome.applied)]
    reverse = undo.undo_changes(applied, prepared.state.snapshot)
    return ApplyReport(conn.uri, prepared.checksum, tuple(changes), outcome, tuple(reverse))


def _recheck(ws: Workspace, changes: list[Change], outcome: Outcome, before: Snapshot) -> None:
    """Count as applied the unknown changes a fresh read finds applied. Those it finds not
    applied stay unknown: the server may still run them (recheck.py says why)."""
    found = recheck(
        lambda: open_connection(ws.config.server, ws.environ), changes, outcome.unknown, before
    )
    outcome.rechecked, outcome.recheck_failed = found.found, found.failed
    outcome.applied += [index for index, applied in found.found.items() if applied]
    outcome.unknown = [index for index in outcome.unknown if not found.found.get(index)]


def report_folder(ws: Workspace, prepared: Prepared, override: Path | None) -> Path:
    """The folder this run's report goes in, made and proved writable before anything is
    sent: writes that no report accounts for would leave no undo."""
    folder = ws.root / prepared.settings.report_dir if override is None else override
    if override is None:
        repo_files.check_inside(ws.root, folder, "a folder for reports")  # never through a link
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise LdifctlError(
            f"cannot write apply's report in {ws.display(folder)}: {err.strerror or err}; "
            "nothing was sent: make that folder writable, or choose another with --report-dir "
            "(or apply.report_dir in ldifctl.yaml)"
        ) from None
    return folder
