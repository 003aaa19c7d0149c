"""The files of the working tree that differ from a revision, asked of git, with the
untracked ones remembered: a second `validate` or `plan` in a row runs one scan of the
work tree (`git diff`, which must look at every file), not two.

`git ls-files --others` reads every folder (~0.1 s of CPU at 100k files). Its answer is
kept under `.git/ldifctl/untracked.marshal` (sealed, files.py) beside what proves it
still holds: the status of every folder under the directory and of git's index and
config, taken before git listed them (repo/untracked.py says why that proves no file
appeared). A run that finds every status as recorded uses the listing; any other runs
`ls-files` again and records its answer when the proof can be had. Git's own untracked
cache cannot serve here: it is not used for a path, nor when ignored files are listed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

from ldifctl.cache import files as cache_files
from ldifctl.cache import shapes as cache_shapes
from ldifctl.cache.keys import folder
from ldifctl.repo import gitrepo
from ldifctl.repo import untracked as proof
from ldifctl.repo.workspace import Workspace

RECORD = "untracked.marshal"
_TICK = "untracked.tick"  # written before a listing: its stamp says which are too fresh


def start_changed_paths(
    ws: Workspace, base: str, head: str | None, prefix: str
) -> Callable[[], set[str]]:
    """`gitrepo.start_changed_paths`, with the untracked files from the record when it
    proves they are what git would list."""
    diff = gitrepo.start_diff(ws.repo, base, head, prefix)
    if head is not None:
        return diff
    others = _others(ws, prefix)
    return lambda: diff() | others()


def recorded(ws: Workspace, prefix: str) -> set[str] | None:
    """The untracked files under `prefix` as recorded, if nothing changed since (None:
    git must list them)."""
    return _still_listed(ws, _record(ws, prefix))


def _still_listed(ws: Workspace, data: dict[str, Any]) -> set[str] | None:
    root = ws.repo.working_tree_dir
    if data and proof.unchanged(root, data["folders"], data["files"]):
        return set(data["listed"])
    return None


def _record(ws: Workspace, prefix: str) -> dict[str, Any]:
    if not proof.plain_git(ws.environ):
        return {}
    data = cache_files.read_marshalled(folder(ws) / RECORD, ws.environ, _stamp(ws, prefix))
    return data if cache_shapes.untracked_record(data) else {}


def _others(ws: Workspace, prefix: str) -> Callable[[], set[str]]:
    data = _record(ws, prefix)
    known = _still_listed(ws, data)
    if known is not None:
        return lambda: known
    # before git reads a folder: see repo/untracked.py
    statuses = _statuses(ws, prefix, data.get("folders", {}))
    listing = gitrepo.start_others(ws.repo, prefix)
    if statuses is None:
        return listing

    def listed() -> set[str]:
        found = listing()
        data = {"listed": sorted(found), **statuses}
        with contextlib.suppress(OSError):  # a read-only clone: git lists them next time
            cache_files.write_marshalled(folder(ws) / RECORD, ws.environ, _stamp(ws, prefix), data)
        return found

    return listed


def _statuses(ws: Workspace, prefix: str, known: dict[str, Any]) -> dict[str, Any] | None:
    """The statuses that prove the listing about to be made (None: none can); the
    folders `known` from the last record are read again only if they changed."""
    if not proof.plain_git(ws.environ) or cache_files.cache_key(ws.environ) is None:
        return None
    tick = folder(ws) / _TICK
    try:
        tick.parent.mkdir(parents=True, exist_ok=True)
        tick.write_bytes(b"")
        since = os.stat(tick)
    except OSError:
        return None
    stamp, device = since.st_mtime_ns, since.st_dev
    files = proof.settled_files(proof.git_files(ws.repo.git_dir), stamp, device)
    if not files:
        return None
    root = ws.repo.working_tree_dir
    folders = proof.folder_statuses(root, prefix, stamp, device, known)
    return None if folders is None else {"folders": folders, "files": files}


def _stamp(ws: Workspace, prefix: str) -> str:
    # The record is of one work tree and one folder in it.
    return f"untracked-1\0{ws.repo.working_tree_dir}\0{ws.repo.git_dir}\0{prefix}"

