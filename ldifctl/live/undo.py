"""The changes that take applied changes back, newest first."""

from __future__ import annotations

from ldifctl.live.preconditions import Renames
from ldifctl.model import dn as dnmod
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn, invert_mod
from ldifctl.model.dn import DnKey
from ldifctl.model.snapshot import Snapshot


def undo_changes(applied: list[Change], before: Snapshot) -> list[Change]:
    """`applied` in the order it was applied; `before` is the server as read before the
    run (for what a rename must restore)."""
    renames = Renames()
    inverses: list[Change] = []
    for change in applied:
        if isinstance(change, ModRdn):
            key = before.schema.dn_key(change.dn)
            # Its DN is where the renames applied before it (an ancestor's) moved it.
            inverses.append(_rename_back(change, before, renames.origin(key)))
            renames.record(key, before.schema.dn_key(change.new_dn))
        else:
            inverses.append(_inverse(change))
    return inverses[::-1]


def _inverse(change: Add | Delete | Modify) -> Change:
    if isinstance(change, Add):
        return Delete(change.dn, change.attrs)
    if isinstance(change, Delete):
        return Add(change.dn, change.old)
    return Modify(change.dn, tuple(invert_mod(m) for m in reversed(change.mods)))


def _rename_back(change: ModRdn, before: Snapshot, read_at: DnKey) -> ModRdn:
    old_parent = dnmod.parent(change.dn)
    moved = change.new_superior is not None
    return ModRdn(
        change.new_dn,
        dnmod.rdn_text(change.dn),
        _rdn_was_added(change, before, read_at),
        old_parent if moved else None,
        change.dn,
    )


def _rdn_was_added(change: ModRdn, before: Snapshot, read_at: DnKey) -> bool:
    """Drop the new RDN value on the way back only if the entry did not hold it before
    (unknown: keep it, since a value too many is better than one lost)."""
    entry = before.get(read_at)
    if entry is None:
        return False
    schema = before.schema
    for attr, value in dnmod.rdn_values(change.new_dn):
        norm = schema.normaliser(attr)
        held = entry.get(schema.canonical_name(attr))  # `commonName=x` in the DN is cn's
        if norm(value.encode()) not in {norm(v) for v in held}:
            return True
    return False
