"""The per-entry half of the diff: the smallest per-value modify from one entry to another."""

from __future__ import annotations

from ldifctl.model.changes import Mod
from ldifctl.model.schema import Normalised, Schema, closure
from ldifctl.model.snapshot import Entry, Values

OBJECT_CLASS = "objectclass"


def managed(entry: Entry, schema: Schema) -> dict[str, tuple[str, Values]]:
    """lower-case name -> (canonical name, values), without ignored/operational attributes."""
    return {
        name.lower(): (name, values)
        for name, values in entry.attrs.items()
        if not schema.is_ignored(name) and values
    }


def object_class_mods(old: Values, new: Values, schema: Schema) -> tuple[Values, Values]:
    old_closure, new_closure = closure(old, schema), closure(new, schema)
    removed = tuple(v for v in old if v.decode("utf-8", "replace").lower() not in new_closure)
    added = tuple(v for v in new if v.decode("utf-8", "replace").lower() not in old_closure)
    return removed, added


def value_mods(
    name: str, old: Values, new: Values, schema: Schema, exact: bool
) -> tuple[Values, Values]:
    """(removed, added) values, compared by the attribute's equality rule."""
    if name.lower() == OBJECT_CLASS:
        return object_class_mods(old, new, schema)
    norm = schema.normaliser(name)
    old_by: dict[Normalised, bytes] = {norm(v): v for v in old}
    new_by: dict[Normalised, bytes] = {norm(v): v for v in new}
    removed = [v for k, v in old_by.items() if k not in new_by]
    added = [v for k, v in new_by.items() if k not in old_by]
    if exact:
        changed = [k for k in old_by.keys() & new_by.keys() if old_by[k] != new_by[k]]
        removed += [old_by[k] for k in changed]
        added += [new_by[k] for k in changed]
    return tuple(sorted(removed)), tuple(sorted(added))


def attribute_mods(name: str, old: Values, new: Values, schema: Schema, exact: bool) -> list[Mod]:
    if not schema.attribute(name).has_equality:
        # No equality rule: the server cannot match a single value, so it must be replaced.
        return [] if sorted(old) == sorted(new) else [Mod("replace", name, tuple(sorted(new)), old)]
    removed, added = value_mods(name, old, new, schema, exact)
    mods = [Mod("delete", name, removed)] if removed else []
    return mods + ([Mod("add", name, added)] if added else [])


def entry_mods(old: Entry, new: Entry, schema: Schema, exact: bool = False) -> list[Mod]:
    """Per-value mods, objectClass first, then attributes by name; deletes before adds."""
    old_attrs, new_attrs = managed(old, schema), managed(new, schema)
    mods: list[Mod] = []
    for lower in sorted(old_attrs.keys() | new_attrs.keys(), key=_attr_order):
        old_name, old_values = old_attrs.get(lower, ("", ()))
        new_name, new_values = new_attrs.get(lower, ("", ()))
        if old_values == new_values:
            continue  # the same bytes in the same order: equal under any rule
        mods += attribute_mods(new_name or old_name, old_values, new_values, schema, exact)
    return mods


def _attr_order(lower: str) -> tuple[bool, str]:
    return (lower != OBJECT_CLASS, lower)


def sorted_attrs(entry: Entry, schema: Schema) -> tuple[tuple[str, Values], ...]:
    """The entry's managed attributes in output order: objectClass first, values sorted."""
    attrs = managed(entry, schema)
    return tuple((attrs[k][0], tuple(sorted(attrs[k][1]))) for k in sorted(attrs, key=_attr_order))


def structural_changed(old: Entry, new: Entry, schema: Schema) -> bool:
    """A structural object class cannot be changed by modify: the entry must be re-created."""
    before = schema.structural_classes(closure(old.get("objectClass"), schema))
    after = schema.structural_classes(closure(new.get("objectClass"), schema))
    return bool(before and after and before != after)
