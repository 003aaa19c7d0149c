"""Naming a state: `worktree`, a git revision, a folder of entry files, an LDIF file, `server`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.model.snapshot import Snapshot
from ldifctl.repo import files as repo_files
from ldifctl.repo import gitrepo, tree
from ldifctl.repo.tree import FolderReader, GitTreeReader, TreeReader
from ldifctl.repo.workspace import CONFIG_NAME, Workspace, open_workspace

WORKTREE = "worktree"
# The live directory of ldifctl.yaml's `server:`; it wins over a git branch named `server`.
SERVER = "server"


def worktree(ws: Workspace) -> FolderReader:
    # The repo's own folder, never another repo's or what a link points to.
    repo_files.check_inside(ws.root, ws.directory, tree.FOLDER)
    submodules = _submodules(ws)
    if ws.directory.is_dir() and not os.listdir(ws.directory) and submodules([""]):
        raise repo_files.refusal(ws.display(ws.directory), repo_files.SUBMODULE, tree.FOLDER)
    return FolderReader(ws.directory, ws.display(ws.directory), submodules=submodules)


def _submodules(ws: Workspace) -> Callable[[list[str]], set[str]]:
    """Which of these folders of the working tree (relative to `directory/`, '' for
    itself) git holds as submodules: a clone leaves them empty. None outside git."""

    def ask(folders: list[str]) -> set[str]:
        try:
            prefix = ws.git_prefix(ws.directory)
        except LdifctlError:
            return set()
        named = {f"{prefix}/{f}" if f else prefix: f for f in folders}
        return {named[path] for path in gitrepo.submodules(ws.repo, *named)}

    return ask


def revision(ws: Workspace, rev: str) -> GitTreeReader:
    commit = gitrepo.resolve(ws.repo, rev)
    return GitTreeReader(ws.repo, commit, ws.git_prefix(ws.directory), rev)


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
        if (path / CONFIG_NAME).is_file():
            return worktree(open_workspace(path, ws.environ))
        return FolderReader(path, spec.rstrip("/"), spec)
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


def load(ws: Workspace, spec: str) -> Snapshot:
    if spec == SERVER:
        from ldifctl.sources import (
            server as server_source,  # python-ldap's client: only when a server is read
        )

        return server_source.read_server(ws)
    reader = reader_for(ws, spec)
    if reader is None:
        return load_ldif_file(ws, Path(spec))
    return tree.load(reader, ws.schema)


def load_ldif_file(ws: Workspace, path: Path) -> Snapshot:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise LdifctlError(f"{path}: cannot read ({err.strerror}): check the path") from None
    from ldifctl.sources.ldif_reader import load_ldif

    return load_ldif(data, str(path), ws.schema)
