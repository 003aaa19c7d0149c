"""Entry files whose content on disk is not what HEAD holds, as `git status` reports them.

ldifctl reads the working tree from disk. Two commands say when that differs from git:
`apply` names the edits it is about to send that no commit holds, and `validate` run as
a pre-commit hook names the files behind its errors that the commit will not hold.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo.entry_names import hidden
from ldifctl.repo.workspace import Workspace

# `git status --porcelain` letters as a message says them.
_STATES = {
    "M": "modified", "T": "modified", "A": "new", "D": "deleted", "?": "untracked",
    "!": "ignored by git", "U": "unmerged",
}
# Past this many files a list in a message is noise; the count says the rest.
SHOWN = 10


@dataclass(frozen=True)
class Uncommitted:
    path: str  # as messages show it: relative to the repo root
    state: str  # modified, new, deleted, untracked, ignored by git, unmerged
    staged: bool  # the index holds this content: the next commit takes it


def uncommitted(ws: Workspace) -> list[Uncommitted]:
    """Files of `directory/` (no dot files or editor leftovers) that differ from HEAD,
    sorted; none outside git."""
    try:
        top, prefix = Path(ws.repo.working_tree_dir), ws.git_prefix(ws.directory)
    except LdifctlError:
        return []
    done = subprocess.run(
        ["git", "--literal-pathspecs", "status", "--porcelain=v1", "-z", "--no-renames",
         "--untracked-files=all", "--ignored=matching", "--", prefix],
        cwd=top, capture_output=True, check=False,
    )
    if done.returncode:
        return []  # git cannot say: nothing to warn about, rather than a failed command
    found = []
    for record in os.fsdecode(done.stdout).split("\0"):
        code, path = record[:2], record[3:]
        relpath = path[len(prefix) + 1 :] if prefix and prefix != "." else path
        if record and not hidden(relpath):
            found.append(_entry(ws, top / path, code))
    return sorted(found, key=lambda u: u.path)


def _entry(ws: Workspace, path: Path, code: str) -> Uncommitted:
    in_index, on_disk = code[0], code[1]
    staged = on_disk == " "
    state = _STATES.get(in_index if staged else on_disk, "changed")
    return Uncommitted(ws.display(path), state, staged)


def apply_warning(ws: Workspace) -> str | None:
    """`apply` of the working tree sends what is on disk: name what no commit holds, since
    a mail admin expects the server to get what git's history holds."""
    files = uncommitted(ws)
    if not files:
        return None
    named = [f"{f.path} ({f.state})" for f in files[:SHOWN]]
    more = [f"and {len(files) - SHOWN} more"] if len(files) > SHOWN else []
    return (
        "warning: the working tree holds edits no commit has, and apply sends them: "
        f"{', '.join(named + more)}; commit them first, so that git's history holds what the "
        "server gets (or apply --rev HEAD)"
    )


def unstaged_notes(ws: Workspace, errors: list[str]) -> list[str]:
    """For validate run as a pre-commit hook, which checks the files on disk: the files
    behind these errors (each starts with its file) that the commit will not hold."""
    folder = ws.display(ws.directory)
    return [
        f"note: {file.path} is {file.state}, not staged: the hook checks the files on disk, "
        "this one too, though the commit will not hold it; `git add` it, or move it out of "
        f"{folder}/"
        for file in uncommitted(ws)
        if not file.staged and any(_about(error, file.path) for error in errors)
    ]


def _about(error: str, path: str) -> bool:
    """Errors and findings start with their file: `path`, `path:line` or `path: ...`."""
    return error == path or error.startswith(f"{path}:")
