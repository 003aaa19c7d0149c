"""Naming a state: `worktree`, a git revision, a folder of entry files, an LDIF file,
`server`; what each name means, before anything is loaded (sources/load.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import files as repo_files
from ldifctl.repo import gitrepo
from ldifctl.repo.readers import FolderReader, TreeReader, revision, worktree
from ldifctl.repo.workspace import Workspace, holds_settings, open_workspace

WORKTREE = "worktree"
# The live directory of ldifctl.yaml's `server:`; it wins over a git branch named `server`.
SERVER = "server"
LDIF_FILE = "an LDIF file"


def reader_for(ws: Workspace, spec: str) -> TreeReader | None:
    """The tree behind a source spec; None for an LDIF file or the server.

    A git revision wins over a file or folder of the same name: a pull request that adds
    a folder `HEAD/` must not decide what `plan --base main --head HEAD` compares. (`diff`
    refuses such a name instead: see `refuse_ambiguous`.)"""
    if spec == SERVER:
        return None
    if spec == WORKTREE:
        return worktree(ws)
    if not spec.strip():  # a CI variable left empty: `Path("")` is the repo root, silently
        raise LdifctlError(
            f"an empty source name ({spec!r}): give a git revision, `worktree`, `server`, or "
            "the path of an LDIF file or folder"
        )
    try:
        return revision(ws, spec)
    except gitrepo.AmbiguousRevision:
        raise  # never a folder of that name either: a pull request may add one
    except LdifctlError as err:
        not_a_revision = err
    path = Path(spec)
    named = _named(path)
    # Each step in the repo is looked at before anything is followed: whatever a pull
    # request's link points to, existing or not, file or folder, the answer is the same.
    try:
        path = repo_files.inside(ws.root, path, named) or path
    except repo_files.NotRegularError as err:
        if (err.kind, err.what) == (repo_files.SPECIAL, named):  # a FIFO itself, no link
            raise _not_a_file(spec) from None
        raise
    if path.is_file():
        return None
    if path.is_dir():
        if holds_settings(path):
            return worktree(open_workspace(path, ws.environ))
        return FolderReader(path, spec.rstrip("/"), spec)
    if path.exists():  # `<(slapcat)` (a pipe), /dev/stdin: read more than once, or endless
        raise _not_a_file(spec)
    if _names_a_path(spec):
        raise LdifctlError(
            f"{spec}: no such file or folder (nor a git revision of that name): check the path"
        )
    raise not_a_revision


def refuse_ambiguous(ws: Workspace, spec: str) -> None:
    """A name that is both a path and a git revision is an error, as it is to git. What
    stands there is told by `lstat`, never by following a link (what a pull request's
    link points to must change no message)."""
    if spec in (SERVER, WORKTREE):
        return
    try:
        mode = os.lstat(spec).st_mode
    except OSError:
        return
    try:
        revision(ws, spec)
    except LdifctlError:
        return
    kind = "folder" if stat.S_ISDIR(mode) else "link" if stat.S_ISLNK(mode) else "file"
    raise LdifctlError(
        f"{spec} is both a {kind} and a git revision: write ./{spec} for the {kind}, or "
        f"{spec}^{{commit}} (refs/heads/{spec} for a branch) for the revision"
    )


def _not_a_file(spec: str) -> LdifctlError:
    return LdifctlError(
        f"{spec}: not a file or folder (a pipe or a device): ldifctl reads an LDIF file "
        "more than once: save the dump to a file and name that (`slapcat > old.ldif`)"
    )


def _named(path: Path) -> str:
    """What a named state should be, told by its name alone (not by what is there)."""
    if path.suffix.lower() == ".ldif":
        return LDIF_FILE
    return f"{LDIF_FILE} or a folder of entry files"


def _names_a_path(spec: str) -> bool:
    """`x.ldif`, `dumps/x`, `./x`: what a user types for a file, rarely for a revision."""
    return "/" in spec or os.sep in spec or Path(spec).suffix[1:].isalpha()
