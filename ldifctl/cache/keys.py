"""What names a state in the cache, so that a stored answer is never stale: ldifctl's own
code and the dependencies it runs on, the settings that judge it, and the content id of
every file (cache/head_tree.py).
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

import ldifctl
from ldifctl.cache import dependencies
from ldifctl.cache.head_tree import HeadTree
from ldifctl.repo.workspace import Workspace


def folder(ws: Workspace) -> Path:
    return Path(ws.repo.git_dir) / "ldifctl"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """ldifctl's own source and its dependencies' versions: a new version of either may
    parse or judge differently."""
    code = source_digest(os.path.dirname(ldifctl.__file__), ldifctl.__version__)
    return hashlib.sha256(f"{code}\0{dependencies.versions()}".encode()).hexdigest()


def source_digest(root: str, version: str) -> str:
    """The modules under `root`, known by the version and each one's name, size and
    modification time, as Python itself knows whether a module's cached bytecode is
    stale (an edit, a checkout or an install changes the time; a release, the version,
    even where an installer kept a reproducible build's times): ~160 `stat` calls, where
    reading every file cost 14 ms of each run."""
    digest = hashlib.sha256(f"{sys.version}\0{version}\0".encode())
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        found += [os.path.join(folder, n) for n in names if n.endswith(".py")]
    for path in sorted(found):
        status = os.stat(path)
        named = os.path.relpath(path, root).replace(os.sep, "/")
        digest.update(f"{named}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def stamp(ws: Workspace) -> str:
    """Keys the caches: ldifctl's code and the settings the state is judged with (a
    plan's are the base revision's, see repo/base_settings.py)."""
    return hashlib.sha256(code_digest().encode() + ws.config.source).hexdigest()


def state_key(ws: Workspace, state: HeadTree, policies: str) -> str:
    """Everything the findings depend on; the base's tree id stands for every file git
    reports unchanged, so the key costs as much as the change, not the directory."""
    # None: the base has no directory yet
    base_tree = state.base.folder_id or "none"
    head = f"{stamp(ws)}\0{policies}\0{state.where('')}\0{base_tree}\0"
    digest = hashlib.sha256(head.encode("utf-8", "surrogateescape"))
    changed = state.changed_ids()
    for path in sorted(state.changed):
        digest.update(f"{path}\0{changed.get(path, '-')}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
