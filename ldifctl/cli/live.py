"""The commands that touch the live directory: `apply` and `drift`."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldifctl.cli.common import (
    CHANGES,
    FAILED,
    OK,
    USAGE,
    FormatOption,
    PlanFormat,
    app,
    handles_errors,
    print_findings,
    render_plan,
    say,
    say_summary,
    workspace,
)
from ldifctl.model.findings import has_errors
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.specs import WORKTREE

if TYPE_CHECKING:  # python-ldap's client is imported by the commands that connect
    from ldifctl.live import apply as applymod
    from ldifctl.sources.connection import Connection

RevOption = Annotated[
    str, typer.Option("--rev", help="The repo state: `worktree` (default) or a git revision.")
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Plan and check; send nothing.")]
Yes = Annotated[bool, typer.Option("--yes", help="Do not ask (needed without a terminal).")]
Force = Annotated[
    bool, typer.Option("--force", help="Go past the thresholds and protected entries.")
]
Checksum = Annotated[
    str | None, typer.Option("--checksum", help="Apply only the plan with this checksum.")
]
ReportDir = Annotated[
    Path | None, typer.Option("--report-dir", help="Where reports go (default: .ldifctl/).")
]
Branch = Annotated[
    str | None,
    typer.Option("--branch", help="With --write: commit on this new branch instead."),
]
Write = Annotated[
    bool, typer.Option("--write", help="Update the entry files to the server's state.")
]


@app.command("apply")
@handles_errors
def apply_command(
    rev: RevOption = WORKTREE,
    dry_run: DryRun = False,
    yes: Yes = False,
    force: Force = False,
    checksum: Checksum = None,
    report_dir: ReportDir = None,
    output: FormatOption = PlanFormat.ldif,
) -> None:
    """Make the server match the repo, safely.

    Checks first, then pipelined writes, each with a precondition; a report at the end.
    """
    from ldifctl.cli import report
    from ldifctl.live import apply as applymod
    from ldifctl.sources.connection import connected

    ws = workspace()
    desired, findings = applymod.desired_state(ws, rev)
    print_findings(findings)
    if has_errors(findings):
        say("nothing was sent: fix the errors above first")
        raise typer.Exit(FAILED)
    with connected(ws.config.server, ws.environ) as conn:
        prepared = applymod.prepare(ws, conn, desired, checksum, tuple(findings))
        typer.echo(render_plan(prepared.plan, output), nl=False)
        say(report.summary_line(prepared.plan))
        _say_skipped(prepared.state.skipped)  # left alone
        _check_refusals(prepared.refusals, force)
        if dry_run or not prepared.plan.changes:
            say("dry run: nothing was sent" if dry_run else "the server matches the repo")
            return
        _warn_uncommitted(ws, rev)
        folder = applymod.report_folder(ws, prepared, report_dir)  # before anything is sent
        _confirm(yes, conn, len(prepared.plan.changes))
        _run(ws, conn, prepared, folder)


def _check_refusals(refusals: tuple[str, ...], force: bool) -> None:
    for message in refusals:
        say(f"forced past: {message}" if force else f"refused: {message}")
    if refusals and not force:
        say("nothing was sent")
        raise typer.Exit(FAILED)


def _warn_uncommitted(ws: Workspace, rev: str) -> None:
    """Before the question: the edits about to be sent that no commit holds."""
    if rev == WORKTREE:
        from ldifctl.repo.uncommitted import apply_warning

        if warning := apply_warning(ws):
            say(warning)


def _confirm(yes: bool, conn: Connection, count: int) -> None:
    if yes:
        return
    if not _interactive():
        say("stdin is not a terminal: review the plan, then rerun with --yes; nothing was sent")
        raise typer.Exit(FAILED)
    if not typer.confirm(f"Apply {count} change(s) to {conn.uri}?", default=False, err=True):
        say("nothing was sent")
        raise typer.Exit(FAILED)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _run(ws: Workspace, conn: Connection, prepared: applymod.Prepared, folder: Path) -> None:
    from ldifctl.live import apply as applymod
    from ldifctl.live import signals as apply_signals

    progress = _progress(len(prepared.plan.changes))
    # A signal stops the sending, never the report: it is handled until the report is out.
    with apply_signals.caught() as interrupts:
        result = applymod.execute(ws, conn, prepared, progress, interrupts.first)
        _tell([""] * (progress is not None) + result.lines() + result.advice())
        try:  # after the summary: a full disk must not hide what happened, nor lose the undo
            written = result.write(folder)
        except OSError as err:
            with contextlib.suppress(OSError):  # stderr may be gone too: nothing left to try
                say(f"error: cannot write the report in {ws.display(folder)} ({err}); it follows:")
                sys.stderr.write(result.unwritten())
            raise typer.Exit(FAILED) from None
        _tell([f"report, remaining changes and undo LDIF in {ws.display(written)}"])
    if result.outcome.interrupted:
        raise typer.Exit(interrupts.exit_code())
    raise typer.Exit(OK if result.ok else FAILED)


def _tell(lines: list[str]) -> None:
    """stderr may be gone (EPIPE, a dropped SSH session): that ends only the telling."""
    with contextlib.suppress(OSError):
        for line in lines:
            say(line)


def _progress(total: int) -> Callable[[int], None] | None:
    """A progress line on a terminal; nothing in a CI log."""
    if not sys.stderr.isatty():
        return None
    last = [0.0]

    def show(done: int) -> None:
        now = time.monotonic()
        if last[0] >= 0 and (done == total or now - last[0] > 0.2):
            last[0] = now
            try:
                print(f"\rapplying: {done}/{total}", end="", file=sys.stderr, flush=True)
            except OSError:  # a terminal gone (EIO): the writes and the report go on
                last[0] = -1.0

    return show


@app.command("drift")
@handles_errors
def drift_command(
    rev: RevOption = WORKTREE,
    output: FormatOption = PlanFormat.ldif,
    write: Write = False,
    force: Annotated[bool, typer.Option("--force", help="With --write: go past the removal "
                                        "thresholds, overwrite uncommitted edits.")] = False,
    branch: Branch = None,
) -> None:
    """Compare the server with the repo.

    --write gives the entry files the server's state, never over uncommitted edits unless
    --force; with --branch NAME it is committed on a new branch NAME (made at --rev, default
    HEAD), for a pull request; the current branch, index and work tree stay as they are.
    Exit 0 in sync, 3 drift, 1 error.
    """
    if branch is not None:
        _drift_branch(rev, output, force, branch, write)
    if write and rev != WORKTREE:
        say("--write updates the working tree's files: drop --rev")
        raise typer.Exit(USAGE)
    from ldifctl.live import drift as driftmod

    ws = workspace()
    found = driftmod.drift(ws, rev, whole=write)
    typer.echo(render_plan(found.plan, output, "drift"), nl=False)
    say_summary(found.plan)
    if write and found.plan.changes:
        result = driftmod.write_server_state(ws, found, force)
        say(
            f"{len(result.written)} file(s) written, {len(result.removed)} removed in "
            f"{ws.display(ws.directory)}"
        )
    _say_skipped(found.skipped)
    # An entry the repo can never hold was neither compared nor adopted: exit 1, so that a
    # scheduled job fails until it is renamed.
    raise typer.Exit(FAILED if found.skipped else CHANGES if found.plan.changes else OK)


def _say_skipped(skipped: tuple[str, ...]) -> None:
    """The server entries named by a secret, which every read leaves out (masked)."""
    from ldifctl.sources.secret_names import skipped_note

    for masked in skipped:
        say(skipped_note(masked))


def _drift_branch(rev: str, output: PlanFormat, force: bool, branch: str, write: bool) -> None:
    if not write:
        say("--branch names where --write commits the server's state: add --write")
        raise typer.Exit(USAGE)
    from ldifctl.cli import report
    from ldifctl.live import drift_branch, drift_signals

    try:
        result = drift_branch.write_branch(
            workspace(), "HEAD" if rev == WORKTREE else rev, branch, force
        )
    except drift_signals.Stopped as stop:
        say(f"stopped by {stop.name}: branch {branch} was not made, the temporary work tree "
            "is removed")
        raise typer.Exit(stop.exit_code()) from None
    typer.echo(render_plan(result.drift, output, "drift"), nl=False)
    say(report.summary_line(result.drift))
    if result.commit is None:
        say(f"no drift: branch {branch} was not made")
    else:
        say(f"committed {result.commit[:12]} on branch {branch}: "
            f"{len(result.adopted.changes)} entry change(s) adopted")
    _say_skipped(result.skipped)
    raise typer.Exit(FAILED if result.skipped else OK if result.commit is None else CHANGES)
