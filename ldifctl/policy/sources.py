"""Which policy files apply: those of the working tree, or those of a git revision.

`plan` judges a change with the policies of its base revision, so a pull request cannot
switch off the rules that judge it. Of the head's policies it needs only their digest
(to say that the change edits them): those files are never read as YAML there.
"""

from __future__ import annotations

import os
import posixpath

from ldifctl.model.errors import LdifctlError, printable
from ldifctl.policy.files import Policies, PolicySource
from ldifctl.repo import bounds, git_blobs, git_trees
from ldifctl.repo import files as repo_files
from ldifctl.repo.checkout_rewrites import refuse_rewritten
from ldifctl.repo.readers import GitTreeReader
from ldifctl.repo.workspace import Workspace

SUFFIX = ".yaml"
POLICY_FILE = "a policy file"
MAX_POLICY_FILES = 64


def worktree_source(ws: Workspace) -> PolicySource:
    folder = ws.config.policies_path
    repo_files.check_inside(ws.root, folder, "a folder of policy files")
    out, there = [], ws.display(folder)
    names = sorted(os.listdir(folder)) if folder.is_dir() else []
    chosen = [(name, shown) for name in names if _is_policy(shown := f"{there}/{name}")]
    _refuse_too_many(there, [shown for _, shown in chosen])
    by_name = {name: shown for name, shown in chosen}
    refuse_rewritten(folder, list(by_name), by_name.__getitem__, "policy file")
    budget = _budget(there)
    for name, shown in chosen:
        path = folder / name
        kind = repo_files.disk_kind(str(path))
        if kind is not None:
            raise repo_files.refusal(shown, kind, POLICY_FILE)
        if path.is_file():
            out.append((shown, repo_files.read_regular(str(path), shown, POLICY_FILE,
                                                       budget=budget)))
    return PolicySource(tuple(out))


def revision_source(ws: Workspace, commit: str, label: str) -> PolicySource:
    prefix = ws.git_prefix(ws.config.policies_path)
    listing = git_trees.list_tree(ws.repo, commit, prefix)
    for path, (mode, _) in sorted(listing.others.items()):
        kind = repo_files.git_kind(mode)
        if path == prefix:
            raise repo_files.refusal(f"{label}:{path}", kind, "a folder of policy files")
        if posixpath.dirname(path) == prefix and _is_policy(path):
            raise repo_files.refusal(f"{label}:{path}", kind, POLICY_FILE)
    names = sorted(p for p in listing.files if posixpath.dirname(p) == prefix)
    shown = {p: f"{label}:{p}" for p in names}
    chosen = [p for p in names if _is_policy(shown[p])]
    _refuse_too_many(f"{label}:{prefix}", [shown[p] for p in chosen])
    try:
        ids = [listing.files[p] for p in chosen]
        blobs = git_blobs.read_blobs(ws.repo, ids, _budget(f"{label}:{prefix}"))
    except bounds.TooBig as err:
        path = next(p for p in chosen if listing.files[p] == err.blob)
        raise err.at(shown[path], POLICY_FILE) from None
    return PolicySource(tuple((shown[p], blobs[listing.files[p]]) for p in chosen))


def source_for(ws: Workspace, reader: object) -> PolicySource:
    """The policy files that come with a state: a revision's own, else the working tree's."""
    if isinstance(reader, GitTreeReader):
        return revision_source(ws, reader.commit, reader.label)
    return worktree_source(ws)


def worktree_policies(ws: Workspace) -> Policies:
    return worktree_source(ws).policies


def policies_for(ws: Workspace, reader: object) -> Policies:
    return source_for(ws, reader).policies


def _budget(folder: str) -> bounds.StateBytes:
    """The policy files hold a file's worth between them: each is read whole for the
    digest that keys the caches, a pull request's own too."""
    return bounds.StateBytes(
        folder, bounds.MAX_FILE_BYTES, "policy files",
        "more than they may hold together: keep data out of the policies",
    )


def _refuse_too_many(folder: str, shown: list[str]) -> None:
    """Policy files are few (each is merged into the one set of rules): 200,000 files of
    one blob, 744 kB to push, took `validate` 55 s."""
    if len(shown) > MAX_POLICY_FILES:
        raise LdifctlError(
            f"{shown[MAX_POLICY_FILES]}: more than {MAX_POLICY_FILES} policy files in "
            f"{folder}: merge them (files merge in name order and a later key wins)"
        )


def _is_policy(name: str) -> bool:
    """Policy files end in .yaml; a `.yml` would be silently skipped, so it is an error."""
    if not repo_files.is_utf8(name):
        raise LdifctlError(f"{printable(name)}: the name is not UTF-8: rename it")
    if name.endswith(".yml"):
        raise LdifctlError(f"{name}: policy files end in .yaml: rename it")
    return name.endswith(SUFFIX) and not posixpath.basename(name).startswith(".")
