"""Change records: what the diff produces and what is printed, checked or applied."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ldifctl.model.snapshot import Values

ModOp = Literal["add", "delete", "replace"]


@dataclass(frozen=True)
class Mod:
    """One `add:`/`delete:`/`replace:` block; `old` holds what a replace overwrites (for undo)."""

    op: ModOp
    attr: str
    values: Values
    old: Values = ()


@dataclass(frozen=True)
class Add:
    dn: str
    attrs: tuple[tuple[str, Values], ...]


@dataclass(frozen=True)
class Delete:
    """`old` is the entry's content, so an undo can re-create it."""

    dn: str
    old: tuple[tuple[str, Values], ...]


@dataclass(frozen=True)
class Modify:
    dn: str
    mods: tuple[Mod, ...]


@dataclass(frozen=True)
class ModRdn:
    """Rename/move `dn`; `new_dn` is where the entry ends up."""

    dn: str
    new_rdn: str
    delete_old_rdn: bool
    new_superior: str | None
    new_dn: str


Change = Add | Delete | Modify | ModRdn


def kind(change: Change) -> str:
    return {Add: "add", Delete: "delete", Modify: "modify", ModRdn: "modrdn"}[type(change)]


def invert_mod(mod: Mod) -> Mod:
    if mod.op == "add":
        return Mod("delete", mod.attr, mod.values)
    if mod.op == "delete":
        return Mod("add", mod.attr, mod.values)
    return Mod("replace", mod.attr, mod.old, mod.values)


def expected(change: Change) -> tuple[tuple[str, Values], ...]:
    """What a change expects to find on the server that its LDIF does not show: the values
    a `replace:` overwrites, the content of an entry it deletes."""
    if isinstance(change, Delete):
        return change.old
    if isinstance(change, Modify):
        return tuple((m.attr, m.old) for m in change.mods if m.op == "replace")
    return ()


def expectations(changes: tuple[Change, ...]) -> Iterator[bytes]:
    """What a change set expects of the server (`expected`), as lines the plan's checksum
    covers: each change's by its number."""
    for index, change in enumerate(changes):
        for attr, values in expected(change):
            encoded = b" ".join(base64.b64encode(v) for v in sorted(values))
            yield f"\n#{index} {attr}: ".encode() + encoded
