"""Which policy files apply: those of the working tree, or those of a git revision.

`plan` judges a change with the policies of its base revision, so a pull request cannot
switch off the rules that judge it.
"""

from __future__ import annotations

import posixpath

from ldifctl import gitrepo
from ldifctl.errors import LdifctlError
from ldifctl.policy_files import Policies, load_policies
from ldifctl.tree import GitTreeReader
from ldifctl.workspace import Workspace

SUFFIX = ".yaml"


def worktree_policies(ws: Workspace) -> Policies:
    folder = ws.config.policies_path
    paths = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return load_policies(
        [(ws.display(p), p.read_bytes()) for p in paths if _is_policy(ws.display(p))]
    )


def revision_policies(ws: Workspace, commit: str, label: str) -> Policies:
    prefix = ws.git_prefix(ws.config.policies_path)
    listing = gitrepo.list_tree(ws.repo, commit, prefix)
    names = sorted(p for p in listing if posixpath.dirname(p) == prefix)
    shown = {p: f"{label}:{p}" for p in names}
    chosen = [p for p in names if _is_policy(shown[p])]
    blobs = gitrepo.read_blobs(ws.repo, (listing[p] for p in chosen))
    return load_policies([(shown[p], blobs[listing[p]]) for p in chosen])


def policies_for(ws: Workspace, reader: object) -> Policies:
    """The policies that come with a state: a revision's own, else the working tree's."""
    if isinstance(reader, GitTreeReader):
        return revision_policies(ws, reader.commit, reader.label)
    return worktree_policies(ws)


def _is_policy(name: str) -> bool:
    """Policy files end in .yaml; a `.yml` would be silently skipped, so it is an error."""
    if name.endswith(".yml"):
        raise LdifctlError(f"{name}: policy files end in .yaml: rename it")
    return name.endswith(SUFFIX) and not posixpath.basename(name).startswith(".")
