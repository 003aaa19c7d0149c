"""Naming a state: `worktree`, a git revision, a folder of entry files, an LDIF file,
`server`; what each name means, before anything is loaded (sources/load.py)."""

from __future__ import annotations

import os
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import files as repo_files
from ldifctl.repo.readers import FolderReader, TreeReader, revision, worktree
from ldifctl.repo.workspace import CONFIG_NAME, Workspace, open_workspace

WORKTREE = "worktree"
# The live directory of ldifctl.yaml's `server:`; it wins over a git branch named `server`.
SERVER = "server"


def reader_for(ws: Workspace, spec: str) -> TreeReader | None:
    """The tree behind a source spec; None for an LDIF file or the server.

    A git revision wins over a file or folder of the same name: a pull request that adds
    a folder `HEAD/` must not decide what `plan --base main --head HEAD` compares. (`diff`
    refuses such a name instead: see `refuse_ambiguous`.)"""
    if spec == SERVER:
        return None
    if spec == WORKTREE:
        return worktree(ws)
    try:
        return revision(ws, spec)
    except LdifctlError as err:
        not_a_revision = err
    path = Path(spec)
    if path.is_file():
        return None
    if path.is_dir():
        path = repo_files.inside(ws.root, path, "a folder of entry files") or path
        if (path / CONFIG_NAME).is_file():
            return worktree(open_workspace(path, ws.environ))
        return FolderReader(path, spec.rstrip("/"), spec)
    if path.exists():  # `<(slapcat)` (a pipe), /dev/stdin: read more than once, or endless
        raise LdifctlError(
            f"{spec}: not a file or folder (a pipe or a device): ldifctl reads an LDIF file "
            "more than once: save the dump to a file and name that (`slapcat > old.ldif`)"
        )
    if _names_a_path(spec):
        raise LdifctlError(
            f"{spec}: no such file or folder (nor a git revision of that name): check the path"
        )
    raise not_a_revision


def refuse_ambiguous(ws: Workspace, spec: str) -> None:
    """A name that is both a path and a git revision is an error, as it is to git."""
    path = Path(spec)
    if spec in (SERVER, WORKTREE) or not path.exists():
        return
    try:
        revision(ws, spec)
    except LdifctlError:
        return
    kind = "folder" if path.is_dir() else "file"
    raise LdifctlError(
        f"{spec} is both a {kind} and a git revision: write ./{spec} for the {kind}, or "
        f"{spec}^{{commit}} (refs/heads/{spec} for a branch) for the revision"
    )


def _names_a_path(spec: str) -> bool:
    """`x.ldif`, `dumps/x`, `./x`: what a user types for a file, rarely for a revision."""
    return "/" in spec or os.sep in spec or Path(spec).suffix[1:].isalpha()
