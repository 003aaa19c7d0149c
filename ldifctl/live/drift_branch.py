"""`drift --write --branch NAME`: the server's state adopted on a new branch, committed,
for a pull request; the current branch, index and work tree are never touched.

A temporary work tree of its own, detached at the revision drift compares with (HEAD),
is where `drift --write` rewrites the entry files as it would here; GitPython commits them
(imported here only: reading stays on git's plumbing, repo/gitrepo.py). Only then is the
branch made, at that commit, and the temporary work tree goes (live/drift_worktree.py). A
failure, Ctrl-C, SIGTERM or SIGHUP before that leaves no branch (live/drift_signals.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ldifctl import plan as planmod
from ldifctl.diff import snapshots as diff
from ldifctl.live import drift as driftmod
from ldifctl.live import drift_signals, drift_worktree
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model.errors import LdifctlError, clipped, printable
from ldifctl.repo import gitrepo
from ldifctl.repo.workspace import Workspace, open_workspace
from ldifctl.sources.specs import WORKTREE

TITLE = "Adopt changes made on the LDAP server (ldifctl drift --write)"


@dataclass(frozen=True)
class BranchResult:
    commit: str | None  # None: no drift, so no branch was made
    drift: planmod.Plan  # what drift reports (server -> repo), as without --branch
    adopted: planmod.Plan  # the changes the commit makes to the files (repo -> server)
    skipped: tuple[str, ...] = ()  # server entries named by a secret, not adopted (masked)


def check_branch_name(ws: Workspace, name: str) -> None:
    """A name git accepts for a new branch, not an option, not taken."""
    top, git = ws.repo.working_tree_dir, drift_worktree.git
    if name.startswith("-") or git(top, "check-ref-format", "--branch", name).returncode:
        raise LdifctlError(f"--branch {name!r} is not a valid branch name (git "
                           "check-ref-format): use letters, digits, '/', '-', '.', e.g. "
                           "ldifctl/drift-2026-12-03")
    if git(top, "show-ref", "--verify", "--quiet", f"refs/heads/{name}").returncode == 0:
        raise LdifctlError(f"--branch {name!r}: the branch exists already: ldifctl makes a new "
                           "one only; delete it (git branch -D) or choose another name")


def say_note(line: str) -> None:
    """On stderr, escaped as the CLI's `say` does, until the CLI passes its own `tell`."""
    sys.stderr.write(clipped(printable(line)) + "\n")


def write_branch(ws: Workspace, rev: str, name: str, force: bool,
                 tell: Callable[[str], None] = say_note) -> BranchResult:
    """Adopt the server's state on branch `name`, made at `rev`; no branch is left when
    the server holds what `rev` does, or when anything fails or a signal stops the run
    (drift_signals.Stopped is raised then, once all is undone). `tell` gets one line per
    leftover work tree of an earlier run that is left in place."""
    top = ws.repo.working_tree_dir
    # Before the name is checked: an older ldifctl's leftover tree holds the branch it made.
    for note in drift_worktree.prune_stale(top):
        tell(note)
    check_branch_name(ws, name)
    commit = gitrepo.resolve(ws.repo, rev)
    inside = ws.git_prefix(ws.root)
    with drift_signals.raised() as guard:
        with drift_worktree.temporary(top, commit, guard.held) as tree:
            result = drift_signals.waited(lambda: _adopt(ws, tree, inside, force))
        if result.commit is not None:
            _make_branch(top, name, result.commit, guard)
        guard.disarm()
    return result


def _make_branch(top: str, name: str, commit: str, guard: drift_signals.Guard) -> None:
    """The branch at the commit made; `git branch` refuses a name taken meanwhile."""
    try:
        drift_worktree.checked(top, "branch", "--no-track", name, commit)
        guard.disarm()
    except BaseException:
        # Made, then stopped before the work was done: deleted only if it still holds this
        # run's commit, which no one else's branch can.
        drift_worktree.git(top, "update-ref", "-d", f"refs/heads/{name}", commit)
        raise


def _adopt(ws: Workspace, tree: Path, inside: str, force: bool) -> BranchResult:
    import git  # GitPython

    there = open_workspace(tree / inside if inside != "." else tree, ws.environ)
    found = driftmod.drift(there, WORKTREE, whole=True)
    # drift's routing is what applying would do to mail; adopting undoes exactly that
    routing = tuple(impact.reversed() for impact in found.plan.routing)
    adopted = planmod.Plan(found.repo.label, found.server.label,
                           tuple(diff.diff(found.repo, found.server)), (), routing=routing)
    if not adopted.changes:
        return BranchResult(None, found.plan, adopted, found.skipped)
    driftmod.write_server_state(there, found, force)
    repo = git.Repo(tree)
    repo.git.add("--all", "--", there.git_prefix(there.directory))
    made = repo.index.commit(commit_message(adopted))
    return BranchResult(made.hexsha, found.plan, adopted, found.skipped)


# --- The commit message: a title, then one section per function of SECTIONS.


def _entries(plan: planmod.Plan) -> str:
    return "Entries:\n" + "\n".join(f"  {_line(change)}" for change in plan.changes)


def _line(change: Change) -> str:
    if isinstance(change, Add):
        return f"add     {change.dn}"
    if isinstance(change, Delete):
        return f"delete  {change.dn}"
    if isinstance(change, ModRdn):
        return f"rename  {change.dn} -> {change.new_dn}"
    assert isinstance(change, Modify)
    names = ", ".join(dict.fromkeys(mod.attr for mod in change.mods))
    return f"modify  {change.dn} ({names})"


def _routing(plan: planmod.Plan) -> str:
    if not plan.routing:
        return ""
    return "Mail routing:\n" + "\n".join(f"  {impact.line()}" for impact in plan.routing)


# Each builds one section of the message from the plan that adopts the server's state
# ('' leaves it out).
SECTIONS: list[Callable[[planmod.Plan], str]] = [_entries, _routing]


def commit_message(plan: planmod.Plan) -> str:
    sections = [text for build in SECTIONS if (text := build(plan))]
    return "\n\n".join([TITLE, *sections]) + "\n"
