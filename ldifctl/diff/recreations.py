"""Entries the diff re-creates: a structural object class no server changes in a modify,
so the entry is deleted and added again. slapd refuses the delete of an entry with
entries below it (Operation not allowed on non-leaf, 66), and re-creating those too would
lose what the repo never holds of them (userPassword, operational attributes): such a
change is an error finding that refuses the plan, never a delete that fails half-way."""

from __future__ import annotations

from collections.abc import Callable

from ldifctl.model import dn as dnmod
from ldifctl.model.changes import Change, Delete, ModRdn
from ldifctl.model.findings import Finding
from ldifctl.model.schema import Schema, closure
from ldifctl.model.snapshot import Entry, Snapshot

Recreated = tuple[Entry, Entry]  # the entry as it is, and as it is added again
RULE = "structure/structural-class-with-children"


def orphaning(
    recreated: list[Recreated],
    old: Snapshot,
    new: Snapshot,
    changes: list[Change],
    whole_new: Callable[[], Snapshot] | None,
) -> list[Finding]:
    """A finding for each re-created entry that still has entries below it when its
    delete is sent: those of `old` that no change deletes or moves out, and, where `old`
    and `new` hold only what differs, those `whole_new` holds unchanged."""
    schema = new.schema
    targets = {schema.dn_key(pair[0].dn): pair for pair in recreated}
    gone = _gone(changes, targets, schema)
    staying = [e for k, e in old.items() if k not in gone]
    if whole_new is not None:
        olds, news = old.keys(), new.keys()
        staying += [e for k, e in whole_new().items() if k not in news and k not in olds]
    below: dict[dnmod.DnKey, list[str]] = {}
    for entry in staying:
        key = schema.dn_key(entry.dn)
        for i in range(1, len(key)):
            if key[i:] in targets:
                below.setdefault(key[i:], []).append(entry.dn)
    found = [_finding(*targets[k], sorted(dns, key=str.lower), schema) for k, dns in below.items()]
    return sorted(found)


def _gone(
    changes: list[Change], targets: dict[dnmod.DnKey, Recreated], schema: Schema
) -> set[dnmod.DnKey]:
    """The DNs that the changes delete, or move out of every re-created entry's subtree,
    before the re-created entries are deleted (ordering.py: children leave first)."""
    gone = set()
    for change in changes:
        if isinstance(change, Delete) or (
            isinstance(change, ModRdn) and not _below(schema.dn_key(change.new_dn), targets)
        ):
            gone.add(schema.dn_key(change.dn))
    return gone


def _below(key: dnmod.DnKey, targets: dict[dnmod.DnKey, Recreated]) -> bool:
    return any(key[i:] in targets for i in range(1, len(key)))


def _finding(entry: Entry, target: Entry, below: list[str], schema: Schema) -> Finding:
    more = f" and {len(below) - 1} more" if len(below) > 1 else ""
    return Finding(
        target.where(),
        RULE,
        "error",
        target.dn,
        f"the structural object class of {target.dn} changes from {_structural(entry, schema)} "
        f"to {_structural(target, schema)}, which takes deleting and re-adding it, but "
        f"{below[0]}{more} stays below it: slapd refuses to delete an entry with entries "
        "below it (Operation not allowed on non-leaf), and re-adding them would lose their "
        "passwords and operational attributes. Change the class in a change of its own "
        "after moving the entries below away, or delete and re-add the subtree by hand",
    )


def _structural(entry: Entry, schema: Schema) -> str:
    classes = schema.structural_classes(closure(entry.get("objectClass"), schema))
    return ", ".join(v for v in entry.texts("objectClass") if v.lower() in classes)
