"""`drift --write --branch NAME`: the server's state adopted on a new branch, committed,
for a pull request; the current branch, index and work tree are never touched.

The branch starts at the revision drift compares with (HEAD) and is checked out in a
temporary work tree of its own (`git worktree`), where `drift --write` rewrites the entry
files as it would here; GitPython commits them (imported here only: reading stays on git's
plumbing, repo/gitrepo.py). Then the temporary work tree goes; the branch stays.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ldifctl import plan as planmod
from ldifctl.diff import snapshots as diff
from ldifctl.live import drift as driftmod
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model.errors import LdifctlError
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
    top = ws.repo.working_tree_dir
    if name.startswith("-") or _git(top, "check-ref-format", "--branch", name).returncode:
        raise LdifctlError(f"--branch {name!r} is not a valid branch name (git "
                           "check-ref-format): use letters, digits, '/', '-', '.', e.g. "
                           "ldifctl/drift-2026-12-03")
    if _git(top, "show-ref", "--verify", "--quiet", f"refs/heads/{name}").returncode == 0:
        raise LdifctlError(f"--branch {name!r}: the branch exists already: ldifctl makes a new "
                           "one only; delete it (git branch -D) or choose another name")


def write_branch(ws: Workspace, rev: str, name: str, force: bool) -> BranchResult:
    """Adopt the server's state on branch `name`, made at `rev`; no branch is left when
    the server holds what `rev` does, or when anything fails."""
    check_branch_name(ws, name)
    top = ws.repo.working_tree_dir
    commit = gitrepo.resolve(ws.repo, rev)
    inside = ws.git_prefix(ws.root)
    folder = Path(tempfile.mkdtemp(prefix="ldifctl-drift-"))
    tree = folder / "tree"
    try:
        _checked(top, "worktree", "add", "--quiet", "-b", name, str(tree), commit)
        try:
            result = _adopt(ws, tree, inside, force)
        finally:
            _git(top, "worktree", "remove", "--force", str(tree))
    except BaseException:
        _git(top, "branch", "-D", name)  # no half-made branch is left behind
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if result.commit is None:
        _git(top, "branch", "-D", name)
    return result


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


def _git(cwd: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def _checked(cwd: str, *args: str) -> None:
    done = _git(cwd, *args)
    if done.returncode:
        raise LdifctlError(f"git {args[0]} failed: {done.stderr.decode(errors='replace').strip()}")
