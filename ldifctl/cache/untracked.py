"""The files of the working tree that differ from a revision, asked of git, with the
untracked ones remembered: a second `validate` or `plan` in a row runs one scan of the
work tree (`git diff`, which must look at every file), not two.

`git ls-files --others` reads every folder (~0.1 s of CPU at 100k files). Its answer is
kept under `.git/ldifctl/untracked.marshal` (sealed, files.py) beside what proves it
still holds: the status of every folder under the directory and of git's index and
config, taken before git listed them (repo/untracked.py says why that proves no file
appeared). A run that finds every status as recorded uses the listing. So does a run
where only folders changed that still hold the names recorded, with git's index and
config as they were: an editor saves a file by renaming a new one over it, which
changes its folder, not what git lists. Each folder's names are kept in a file of their
own, `untracked.names.marshal`, with the folders' statuses they go with: they are every
entry file's name (5.6 MB at 300k files), and only a run that found a folder changed
reads them. Any other run lists
with `ls-files` again and records its answer when the proof can be had. Git's own untracked
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
NAMES = "untracked.names.marshal"
_TICK = "untracked.tick"  # written before a listing: its stamp says which are too fresh


def start_changed_paths(
    ws: Workspace,
    base: str,
    head: str | None,
    prefix: str,
    base_side: Callable[[list[bytes]], None] | None = None,
) -> Callable[[], set[str]]:
    """`gitrepo.start_changed_paths`, with the untracked files from the record when it
    proves they are what git would list; `base_side` as for `gitrepo.start_diff`."""
    diff = gitrepo.start_diff(ws.repo, base, head, prefix, base_side)
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


def _names(ws: Workspace, prefix: str, data: dict[str, Any]) -> dict[str, str]:
    """Each folder's names as recorded with `data` ({}: none, or written with another
    record: a run stopped between the two writes)."""
    if not data:
        return {}
    kept = cache_files.read_marshalled(folder(ws) / NAMES, ws.environ, _stamp(ws, prefix))
    if not cache_shapes.untracked_names(kept) or kept["folders"] != data["folders"]:
        return {}
    names: dict[str, str] = kept["names"]
    return names


def _others(ws: Workspace, prefix: str) -> Callable[[], set[str]]:
    data = _record(ws, prefix)
    known = _still_listed(ws, data)
    if known is not None:
        return lambda: known
    # before git reads a folder: see repo/untracked.py
    walked = _statuses(ws, prefix, data.get("folders", {}))
    names = _names(ws, prefix, data) if walked is not None else {}
    if walked is not None and _same_names(data, names, walked):
        now = _current({**names, **walked.pop("read")}, walked)
        _write(ws, prefix, {"listed": data["listed"], **walked}, now)
        return lambda: set(data["listed"])
    listing = gitrepo.start_others(ws.repo, prefix)
    if walked is None:
        return listing

    def listed() -> set[str]:
        found = listing()
        read = walked.pop("read")
        root = ws.repo.working_tree_dir
        # The names read are what git listed only if no folder changed meanwhile.
        seen = proof.same_statuses(root, {f: walked["folders"][f] for f in read})
        now = _current({**names, **read}, walked) if seen else {}
        _write(ws, prefix, {"listed": sorted(found), **walked}, now)
        return found

    return listed


def _same_names(data: dict[str, Any], names: dict[str, str], walked: dict[str, Any]) -> bool:
    """Does git's index and config have the status recorded, and every folder read
    again the names it held when git listed (an editor's save renames a file over
    another)? Then git would list the same files."""
    return bool(data) and walked["files"] == data["files"] and (
        walked["folders"].keys() == data["folders"].keys() == names.keys()
    ) and all(names[f] == joined for f, joined in walked["read"].items())


def _current(names: dict[str, str], walked: dict[str, Any]) -> dict[str, str]:
    """The names of the folders there now (one missing: no proof by names next time)."""
    return {f: names[f] for f in walked["folders"] if f in names}


def _write(ws: Workspace, prefix: str, data: dict[str, Any], names: dict[str, str]) -> None:
    """The record, and the folders' names beside it (with the statuses they go with)."""
    stamp = _stamp(ws, prefix)
    with contextlib.suppress(OSError):  # a read-only clone: git lists them next time
        kept = {"folders": data["folders"], "names": names}
        cache_files.write_marshalled(folder(ws) / NAMES, ws.environ, stamp, kept)
        cache_files.write_marshalled(folder(ws) / RECORD, ws.environ, stamp, data)


def _statuses(ws: Workspace, prefix: str, known: dict[str, Any]) -> dict[str, Any] | None:
    """The statuses that prove the listing about to be made (None: none can), and the
    names of the folders read (`read`); the folders `known` from the last record are
    read again only if they changed."""
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
    walked = proof.walk_folders(root, prefix, stamp, device, known)
    if walked is None:
        return None
    return {"folders": walked[0], "files": files, "read": walked[1]}


def _stamp(ws: Workspace, prefix: str) -> str:
    # The record is of one work tree and one folder in it.
    return f"untracked-3\0{ws.repo.working_tree_dir}\0{ws.repo.git_dir}\0{prefix}"

