"""`drift --write` never overwrites nor removes an entry file that holds edits no commit
has, unless `--force`: git keeps no copy of them, so they would be lost for good.

Only the files it would write or remove count: an uncommitted edit elsewhere (a comment, an
entry the server agrees with) is not its business. The files are those `git status` names,
as apply's warning finds them (repo/uncommitted.py), and those git status cannot show:
marked skip-worktree or assume-unchanged (`git update-index`), whose edits it hides.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import gitrepo
from ldifctl.repo.uncommitted import SHOWN, uncommitted
from ldifctl.repo.workspace import Workspace


def refuse_overwrite(ws: Workspace, paths: Iterable[Path], force: bool) -> None:
    """Refuse, naming them, if any of `paths` (to be written or removed) holds edits no
    commit has."""
    if force:
        return  # nor ask git: --force overwrites whatever the files hold
    touched = {ws.display(path) for path in paths}
    found = [(f.path, f.state) for f in uncommitted(ws) if f.path in touched]
    found += _hidden_from_status(ws, touched)
    if not found:
        return
    files = sorted(set(found))
    named = [f"{path} ({state})" for path, state in files[:SHOWN]]
    more = [f"and {len(files) - SHOWN} more"] if len(files) > SHOWN else []
    advice = ("nothing was written: commit these files, or stash them (git stash), then run "
              "drift --write again; or rerun with --force to overwrite them")
    raise LdifctlError("\n".join([
        "drift --write would overwrite edits that no commit holds:", *named, *more, advice,
    ]))


# `git ls-files -v` tags: S skip-worktree; a lower-case letter, assume-unchanged.
_FLAGGED = {"S": "marked skip-worktree", "s": "marked skip-worktree"}


def _hidden_from_status(ws: Workspace, touched: set[str]) -> list[tuple[str, str]]:
    """Of `touched`, the files git status does not look at (flagged) that differ from
    the index (a sparse checkout's absent files do not). git failing to say is a
    refusal: the check exists because what it guards cannot be had back."""
    try:
        top, prefix = Path(ws.repo.working_tree_dir), ws.git_prefix(ws.directory)
    except LdifctlError:
        return []  # no git: nothing git could hide
    listed = _git(ws, "ls-files", "-v", "-s", "-z", "--", prefix)
    flagged: dict[str, tuple[str, str]] = {}  # path -> (its blob in the index, its state)
    for record in filter(None, listed.split("\0")):
        meta, _, path = record.partition("\t")
        tag, *rest = meta.split()
        shown = ws.display(top / path)
        if (tag in _FLAGGED or tag.islower()) and shown in touched and (top / path).exists():
            flagged[path] = (rest[1], _FLAGGED.get(tag, "marked assume-unchanged"))
    if not flagged:
        return []
    blobs = _git(ws, "hash-object", "--", *flagged).split()
    return [
        (ws.display(top / path), state)
        for (path, (blob, state)), now in zip(flagged.items(), blobs, strict=True)
        if now != blob
    ]


def _git(ws: Workspace, *args: str) -> str:
    try:
        return os.fsdecode(gitrepo.run(ws.repo, *args))
    except LdifctlError:
        raise LdifctlError(
            f"drift --write cannot tell which files hold uncommitted edits (git {args[0]} "
            "failed); nothing was written: fix the repository, or rerun with --force"
        ) from None
