"""The repo's entries as `ldapsearch` would print them (diff/fingerprints.py), kept under
`.git/ldifctl/` by file content and by state: `drift` compares a repo of 100k files
without parsing or even listing it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ldifctl.cache import files as cache_files
from ldifctl.cache import shapes as cache_shapes
from ldifctl.cache import states as state_cache
from ldifctl.cache.head_tree import HeadTree
from ldifctl.cache.keys import folder, stamp, state_key
from ldifctl.diff.fingerprints import render
from ldifctl.repo import tree
from ldifctl.repo.workspace import Workspace

BY_FILE = "renderings.marshal"
BY_STATE = "renderings-state.marshal"


# A file's rendering as stored, with its DN key (as text) to see two files for one DN
# that spell it differently.
Stored = tuple[bytes, str]


def repo_renders(ws: Workspace, state: HeadTree) -> dict[bytes, str] | None:
    """Each file's rendering -> its path (None: two files for one DN, which the full
    load reports). Kept for the last state asked: a state key costs as much as the
    change, where listing 100k files costs more than the whole comparison."""
    key = state_key(ws, state, "renderings")
    kept = _read(folder(ws) / BY_STATE, ws)
    if kept.get("state") == key and cache_shapes.renders_of_state(kept.get("renders")):
        return kept.get("renders")
    renders = _renders(ws, state)
    _write(folder(ws) / BY_STATE, ws, {"state": key, "renders": renders})
    return renders


def _renders(ws: Workspace, state: HeadTree) -> dict[bytes, str] | None:
    known: dict[str, Stored] = _read(folder(ws) / BY_FILE, ws).get("files") or {}
    if not cache_shapes.renders_by_file(known):
        known = {}
    tree.refuse_not_regular(state, state.files())  # never compared: refused as loading does
    keys = {path: f"{path}\0{content}" for path, content in state.files().items()}
    if any(key not in known for key in keys.values()):
        known = _add_missing(ws, state, keys, known)
    rows = [(known[key], path) for path, key in keys.items()]
    renders = {row[0]: path for row, path in rows}
    if len(renders) < len(rows) or len({row[1] for row, _ in rows}) < len(rows):
        return None
    return renders


def _add_missing(
    ws: Workspace, state: HeadTree, keys: dict[str, str], known: dict[str, Stored]
) -> dict[str, Stored]:
    loaded = state_cache.load_state(ws, state, store=True)
    by_where = {state.where(path): key for path, key in keys.items()}
    kept = {key: known[key] for key in keys.values() if key in known}
    for dn_key, entry in loaded.pairs:
        key = by_where[entry.origin.where] if entry.origin else ""
        if key not in kept:
            kept[key] = (render(entry, ws.schema), repr(dn_key))
    _write(folder(ws) / BY_FILE, ws, {"files": kept})
    return kept


def _read(path: Path, ws: Workspace) -> dict[str, Any]:
    return cache_files.read_marshalled(path, ws.environ, stamp(ws))


def _write(path: Path, ws: Workspace, data: dict[str, Any]) -> None:
    cache_files.write_marshalled(path, ws.environ, stamp(ws), data)
