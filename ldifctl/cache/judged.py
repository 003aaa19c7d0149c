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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldifctl.cache import shapes as cache_shapes
from ldifctl.cache.fields import read_fields, write_fields
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
    `index` is its address index as data; `contents`, git's blob id of each of its entry
    files (see `pack_contents`), or "" when not kept."""

    base: str
    changed: dict[str, str]
    findings: list[Finding]
    index: dict[str, Any]
    contents: str = ""
    # Counted once: the index's list of names grows as a run adds entries to it.
    count: int = field(init=False)

    def __post_init__(self) -> None:
        self.count = len(self.index["names"])

    @property
    def width(self) -> int:
        """The width of one id in `contents` (0: none kept)."""
        return len(self.contents) // self.count if self.count else 0

    def blob_of(self, number: int) -> str | None:
        """The blob id of the index's entry `number` when kept: an unchanged file is read
        from git by it, without listing its folder (60k files: 0.05 s and more)."""
        width = self.width
        if not width or not 0 <= number < self.count:
            return None
        blob = self.contents[number * width : (number + 1) * width]
        return None if blob[0] == "-" else blob


def pack_contents(names: list[str], ids: Mapping[str, str | None]) -> str:
    """The blob ids of the files `names` (a state's ids: `<blob>` or `w:<blob>`, the
    same blob for the same content) in their order, as one text of fixed-width ids ("-"s
    for a name gone, ""); "" when one is unknown."""
    blobs = [blob_in(ids.get(name)) for name in names]
    width = len(next(filter(None, blobs), ""))
    if not width or any(len(b) != width for b, n in zip(blobs, names, strict=True) if n):
        return ""
    return "".join(b if n else "-" * width for b, n in zip(blobs, names, strict=True))


def blob_in(content_id: str | None) -> str:
    """The blob id a content id names ("" for none): a git blob's is the id itself."""
    return content_id.removeprefix("w:") if content_id else ""


def carried_contents(
    prior: Prior, count: int, numbers: Mapping[str, int], ids: Mapping[str, str],
    changed: set[str],
) -> str:
    """The contents (see `pack_contents`) of a state judged from `prior`, whose index
    (`count` entries, `numbers`: mail/columns/address_index.py) grew from the prior's: a
    file unchanged since keeps its number there, so its blob id carries over; a file of
    `changed` (the index gives each a new number) takes its id in `ids`, as
    `pack_contents` takes them, or none ("-"s) when `ids` lacks it: it is then read by
    listing its folder. "" when the prior kept none."""
    width = prior.width
    if not width:
        return ""
    # Added numbers start unknown; the entries they name are changed files, set below.
    slots = bytearray(prior.contents.ljust(count * width, "-"), "ascii")
    for name in changed:
        number = numbers.get(name)
        if number is not None:  # else gone
            blob = blob_in(ids.get(name))
            slots[number * width : (number + 1) * width] = (
                blob if len(blob) == width else "-" * width
            ).encode()
    return slots.decode("ascii")


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
    data = read_fields(_path(ws, purpose), ws.environ, stamped)
    if not cache_shapes.prior_judgement(data):
        return None
    findings = [from_row(row) for row in data["findings"]]
    return Prior(data["base"], data["changed"], findings, data["index"], data["contents"])


def write_prior(ws: Workspace, purpose: str, state: HeadTree, prior: Prior) -> None:
    """Store it, or go on without (a read-only clone is still judged)."""
    # A field for each part of the index: 25 MB at 100k entries, written part by part.
    fields = [
        (("base",), prior.base),
        (("changed",), prior.changed),
        (("findings",), as_rows(prior.findings)),
        *((("index", name), part) for name, part in prior.index.items()),
        (("contents",), prior.contents),
    ]
    with contextlib.suppress(OSError):
        stamped = _stamp(ws, purpose, state)
        write_fields(_path(ws, purpose), ws.environ, stamped, fields)


def _path(ws: Workspace, purpose: str) -> Path:
    # One file per command (`validate`, `plan`): a state judged under other policies or
    # settings takes the place of the last, rather than piling up beside it.
    return folder(ws) / f"judged-{purpose.partition(chr(0))[0]}.marshal"


def _stamp(ws: Workspace, purpose: str, state: HeadTree) -> str:
    # Findings name their files as the state does (`HEAD:directory/x.yaml:3` for a
    # revision): a judgement of another label is of no use.
    named = f"{stamp(ws)}\0{purpose}\0{state.where('')}"
    return hashlib.sha256(named.encode("utf-8", "surrogateescape")).hexdigest()
