"""One diff between two snapshots, as an ordered list of change records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ldifctl.diff.entries import entry_mods, sorted_attrs, structural_changed
from ldifctl.diff.ordering import order_changes
from ldifctl.diff.recreations import Recreated, orphaning
from ldifctl.diff.renames import RenameMatcher, SubtreeMatcher
from ldifctl.model import dn as dnmod
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model.findings import Finding
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Snapshot


@dataclass
class _Moves:
    """Old DN key -> DN after the move, so that children follow a renamed parent."""

    schema: Schema
    to: dict[dnmod.DnKey, str] = field(default_factory=dict)

    def current_dn(self, entry: Entry) -> str:
        """The entry's DN once every rename of its ancestors has been applied."""
        rdns = dnmod.parse(entry.dn)
        for i in range(1, len(rdns)):
            ancestor = dnmod.dn2str(rdns[i:])
            moved = self.to.get(self.schema.dn_key(ancestor))
            if moved is not None:
                return dnmod.dn2str(rdns[:i]) + "," + moved
        return entry.dn


def diff(old: Snapshot, new: Snapshot, exact_case: bool = False) -> list[Change]:
    """The change records that turn `old` into `new`, in an order the server accepts."""
    return order_changes(unordered(old, new, exact_case), new.schema)


def judged_diff(
    old: Snapshot,
    new: Snapshot,
    exact_case: bool = False,
    whole_new: Callable[[], Snapshot] | None = None,
) -> tuple[list[Change], list[Finding]]:
    """`diff`, and the error findings of changes no server takes as they stand (an entry
    re-created with entries below it: recreations.py), which refuse a plan to send.
    `whole_new`: the whole new state, when `old` and `new` hold only the entries that
    differ (two LDIF files, an incremental plan). A drift only reports: it takes `diff`."""
    changes, recreated = _unordered(old, new, exact_case)
    found = orphaning(recreated, old, new, changes, whole_new) if recreated else []
    return order_changes(changes, new.schema), found


def unordered(old: Snapshot, new: Snapshot, exact_case: bool = False) -> list[Change]:
    """`diff` before the ordering: a diff made in parts (drift's, live/drift_compare.py)
    orders all of them once."""
    return _unordered(old, new, exact_case)[0]


def _unordered(
    old: Snapshot, new: Snapshot, exact_case: bool
) -> tuple[list[Change], list[Recreated]]:
    schema = new.schema
    changes: list[Change] = []
    gone: list[Entry] = []
    recreated: list[Recreated] = []
    # One lookup per key (DN keys are nested tuples, hashed anew on every lookup). No sort
    # here: order_changes() decides the final order from the DNs alone.
    for key, entry in old.items():
        counterpart = new.get(key)
        if counterpart is None:
            gone.append(entry)
        else:
            changes += _update(entry, counterpart, schema, exact_case, recreated)
    added = {k: e for k, e in new.items() if k not in old}
    removed = sorted(gone, key=_shallow_first)
    changes += _renames_and_deletes(removed, added, schema, exact_case, recreated)
    changes += [Add(e.dn, sorted_attrs(e, schema)) for e in added.values()]
    return changes, recreated


def _shallow_first(entry: Entry) -> tuple[int, str]:
    return (dnmod.depth(entry.dn), entry.dn.lower())


def _same_values(old: Entry, new: Entry) -> bool:
    """Byte-identical attributes, whatever the value order: most entries of a big diff."""
    if old.attrs == new.attrs:
        return True
    if len(old.attrs) != len(new.attrs):
        return False
    other = {name.lower(): values for name, values in new.attrs.items()}
    return all(
        sorted(values) == sorted(other.get(name.lower(), ())) for name, values in old.attrs.items()
    )


def _update(
    old: Entry, new: Entry, schema: Schema, exact: bool, recreated: list[Recreated]
) -> list[Change]:
    respelled = exact and old.dn != new.dn and _respelled(old.dn, new.dn, schema)
    if not respelled and _same_values(old, new):
        return []
    if respelled or structural_changed(old, new, schema):
        return _move(old, old.dn, new, schema, exact, recreated)
    mods = entry_mods(old, new, schema, exact)
    return [Modify(new.dn, tuple(mods))] if mods else []


def _respelled(dn: str, other: str, schema: Schema) -> bool:
    """The RDN values of two DNs equal under LDAP rules differ in spelling (`cn=Bob`,
    `cn=bob`): only a modrdn changes how the server spells a DN. A type's spelling
    (`commonName=bob`) is no change: slapd keeps the schema's name whatever was sent."""
    rdn, other_rdn = dnmod.rdn_values(dn), dnmod.rdn_values(other)
    mine = sorted((schema.type_key(a), v) for a, v in rdn)
    return mine != sorted((schema.type_key(a), v) for a, v in other_rdn)


def _renames_and_deletes(
    removed: list[Entry],
    added: dict[dnmod.DnKey, Entry],
    schema: Schema,
    exact: bool,
    recreated: list[Recreated],
) -> list[Change]:
    moves, matcher = _Moves(schema), RenameMatcher(added, schema)
    subtrees = SubtreeMatcher(removed, added, schema)
    changes: list[Change] = []
    for entry in removed:
        current = moves.current_dn(entry)
        key = schema.dn_key(current)
        if current != entry.dn and key in added:  # it moved with an ancestor
            target_key: dnmod.DnKey | None = key
        else:
            target_key = subtrees.best(entry) or matcher.best(entry)
        if target_key is None:
            changes.append(Delete(current, sorted_attrs(entry, schema)))
            continue
        target = added[target_key]
        matcher.take(target_key)
        moves.to[schema.dn_key(entry.dn)] = target.dn
        changes += _move(entry, current, target, schema, exact, recreated)
    return changes


def _move(
    entry: Entry,
    current: str,
    target: Entry,
    schema: Schema,
    exact: bool,
    recreated: list[Recreated],
) -> list[Change]:
    """A modrdn (unless the parent's rename already moved it), then the content changes;
    re-created if its structural class changed (no server takes that in a modify): noted
    in `recreated`, refused if entries stay below it (recreations.py)."""
    if structural_changed(entry, target, schema):
        recreated.append((entry, target))
        return [
            Delete(current, sorted_attrs(entry, schema)),
            Add(target.dn, sorted_attrs(target, schema)),
        ]
    changes: list[Change] = []
    moved = entry
    if schema.dn_key(current) != schema.dn_key(target.dn) or (
        exact and _respelled(current, target.dn, schema)
    ):
        rename = _modrdn(current, target, schema, exact)
        changes.append(rename)
        moved = _after_rename(entry, rename, schema)
    mods = entry_mods(moved, target, schema, exact)
    return changes + ([Modify(target.dn, tuple(mods))] if mods else [])


def _modrdn(current: str, target: Entry, schema: Schema, exact: bool) -> ModRdn:
    """The old RDN's values stay only where the target keeps them (in their spelling,
    with `exact`: a case-only rename must replace `Bob` with `bob`)."""
    new_rdn = dnmod.rdn_text(target.dn)

    def value(attr: str, raw: bytes) -> object:
        return raw if exact else schema.normalise_value(attr, raw)

    types = schema.type_key  # the DN may name a type by an alias or OID, attrs never do
    keep = {(types(a), value(a, v)) for a, values in target.attrs.items() for v in values}
    delete_old = any(
        (types(a), value(a, v.encode())) not in keep for a, v in dnmod.rdn_values(current)
    )
    old_parent, new_parent = dnmod.parent(current), dnmod.parent(target.dn)
    same_parent = schema.dn_key(old_parent) == schema.dn_key(new_parent)
    return ModRdn(current, new_rdn, delete_old, None if same_parent else new_parent, target.dn)


def _after_rename(entry: Entry, rename: ModRdn, schema: Schema) -> Entry:
    """What the server holds after the modrdn: the new RDN values added, old ones maybe gone."""
    attrs = {k: list(v) for k, v in entry.attrs.items()}
    if rename.delete_old_rdn:
        for a, v in dnmod.rdn_values(rename.dn):
            _drop_value(attrs, schema, a, v.encode())
    for a, v in dnmod.rdn_values(rename.new_dn):
        name = schema.canonical_name(a)
        name = next((k for k in attrs if k.lower() == name.lower()), name)
        norm = schema.normaliser(name)
        if norm(v.encode()) not in {norm(x) for x in attrs.get(name, [])}:
            attrs.setdefault(name, []).append(v.encode())
    return Entry(rename.new_dn, {k: tuple(v) for k, v in attrs.items() if v}, entry.origin)


def _drop_value(attrs: dict[str, list[bytes]], schema: Schema, attr: str, value: bytes) -> None:
    for name, values in attrs.items():
        if schema.type_key(name) == schema.type_key(attr):
            norm = schema.normaliser(name)
            attrs[name] = [v for v in values if norm(v) != norm(value)]
