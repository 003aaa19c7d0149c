"""The changes that take applied changes back, newest first."""

from __future__ import annotations

from ldifctl.model import dn as dnmod
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn, invert_mod
from ldifctl.model.snapshot import Snapshot


def undo_changes(applied: list[Change], before: Snapshot) -> list[Change]:
    """`before` is the server as read before the run (for what a rename must restore)."""
    return [_inverse(change, before) for change in reversed(applied)]


def _inverse(change: Change, before: Snapshot) -> Change:
    if isinstance(change, Add):
        return Delete(change.dn, change.attrs)
    if isinstance(change, Delete):
        return Add(change.dn, change.old)
    if isinstance(change, Modify):
        return Modify(change.dn, tuple(invert_mod(m) for m in reversed(change.mods)))
    assert isinstance(change, ModRdn)
    return _rename_back(change, before)


def _rename_back(change: ModRdn, before: Snapshot) -> ModRdn:
    old_parent = dnmod.parent(change.dn)
    moved = change.new_superior is not None
    return ModRdn(
        change.new_dn,
        dnmod.rdn_text(change.dn),
        _rdn_was_added(change, before),
        old_parent if moved else None,
        change.dn,
    )


def _rdn_was_added(change: ModRdn, before: Snapshot) -> bool:
    """Drop the new RDN value on the way back only if the entry did not hold it before
    (unknown: keep it, since a value too many is better than one lost)."""
    entry = before.get_dn(change.dn)
    if entry is None:
        return False
    schema = before.schema
    for attr, value in dnmod.rdn_values(change.new_dn):
        norm = schema.normaliser(attr)
        held = entry.get(schema.canonical_name(attr))  # `commonName=x` in the DN is cn's
        if norm(value.encode()) not in {norm(v) for v in held}:
            return True
    return False
