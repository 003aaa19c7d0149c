"""The last state judged, kept under `.git/ldifctl/` so that the next one is judged by
what changed since (policy/incremental.py): the state's name (base tree and changed
files, as head_tree.py names it), its findings, and its address index
(mail/columns/address_index.py, stored as the plain lists it is made of: it names
every entry file of the state).

One file per command (`validate`, `plan`), sealed (files.py) and stamped with ldifctl's
code, the settings and the purpose (the policies' digest among it): a stored judgement
is of this very code, settings and policies, or it is not found. Which files differ
from it is asked of git on every use (`changed_since`): a file git does not report is
the same file, so its findings and addresses are the ones kept.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldifctl.cache import files as cache_files
from ldifctl.cache import shapes as cache_shapes
from ldifctl.cache.findings import as_rows, from_row
from ldifctl.cache.head_tree import HeadTree
from ldifctl.cache.keys import folder, stamp
from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.repo import gitrepo
from ldifctl.repo.workspace import Workspace

GONE = "-"  # the content id of a file the state does not hold


@dataclass
class Prior:
    """A judged state: `base` tree id and the `changed` files' content ids name it;
    `index` is its address index as data."""

    base: str
    changed: dict[str, str]
    findings: list[Finding]
    index: dict[str, Any]


def state_name(state: HeadTree) -> tuple[str, dict[str, str]]:
    """How a state is named: the base tree, and each changed file's content id."""
    ids = state.changed_ids()
    return state.base.folder_id or "none", {p: ids.get(p, GONE) for p in state.changed}


def changed_since(ws: Workspace, prior: Prior, state: HeadTree) -> set[str] | None:
    """The files whose content differs between the prior state and `state` (None: the
    two cannot be compared: no base tree on either side, or the old one is gone)."""
    base, changed = state_name(state)
    if base == "none" or prior.base == "none":
        return None
    moved = prior.changed.keys() | changed.keys()
    if base == prior.base:
        return {p for p in moved if prior.changed.get(p) != changed.get(p)}
    try:
        return moved | gitrepo.changed_between_trees(ws.repo, prior.base, base)
    except LdifctlError:
        return None


def read_prior(ws: Workspace, purpose: str, state: HeadTree) -> Prior | None:
    """The last state judged for `purpose`, if judged by this code, settings and purpose
    and named as `state` names its files (the same folder, or revision label)."""
    stamped = _stamp(ws, purpose, state)
    data = cache_files.read_marshalled(_path(ws, purpose), ws.environ, stamped)
    if not cache_shapes.prior_judgement(data):
        return None
    findings = [from_row(row) for row in data["findings"]]
    return Prior(data["base"], data["changed"], findings, data["index"])


def write_prior(ws: Workspace, purpose: str, state: HeadTree, prior: Prior) -> None:
    """Store it, or go on without (a read-only clone is still judged)."""
    data = {
        "base": prior.base,
        "changed": prior.changed,
        "findings": as_rows(prior.findings),
        "index": prior.index,
    }
    with contextlib.suppress(OSError):
        stamped = _stamp(ws, purpose, state)
        cache_files.write_marshalled(_path(ws, purpose), ws.environ, stamped, data)


def _path(ws: Workspace, purpose: str) -> Path:
    # One file per command (`validate`, `plan`): a state judged under other policies or
    # settings takes the place of the last, rather than piling up beside it.
    return folder(ws) / f"judged-{purpose.partition(chr(0))[0]}.marshal"


def _stamp(ws: Workspace, purpose: str, state: HeadTree) -> str:
    # Findings name their files as the state does (`HEAD:directory/x.yaml:3` for a
    # revision): a judgement of another label is of no use.
    named = f"{stamp(ws)}\0{purpose}\0{state.where('')}"
    return hashlib.sha256(named.encode("utf-8", "surrogateescape")).hexdigest()
