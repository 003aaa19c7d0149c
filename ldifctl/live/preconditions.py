"""What each write asserts about the entry it changes, so a concurrent edit is never clobbered.

On every server a removed value is `delete:` with the exact old value (error 16 when it
is gone), an added value fails where the entry holds it already (20) or where a
single-valued attribute holds another (19), and an add fails on an existing DN (68):
such writes overwrite nothing and need no more.

Where the root DSE advertises the Assertion control (OpenLDAP), a delete, a rename and a
modify that replaces an attribute without an equality rule (`jpegPhoto`: no filter can
name its value) also carry a critical assertion of the entry's change stamp (entryCSN):
one term, whatever the entry holds. A modify that only adds to an attribute asserts the
values read of it (or its absence: a second forward that came meanwhile refuses the
write), where they are at most MAX_ASSERTED: a filter naming a group's 150,000 members
costs slapd time in the square of their number, and an add overwrites nothing. An entry
the plan renamed has a new stamp: the rename's post-read control tells it.

Where it does not (389-DS silently ignores the control when not critical, refuses it when
critical), or where the entry's stamp is unknown, a `replace:` goes out as a `delete:` of
the exact values read and an `add:` of the new ones, which 389 matches byte for byte
(issue 10). A delete is checked by entry_check.py there, and asserts the values it
removes where the control is but the stamp is not. See reference/ldap-servers.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from ldifctl.model.changes import Add, Change, Delete, Mod, Modify, ModRdn
from ldifctl.model.dn import DnKey
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Values
from ldifctl.sources.server import STAMP, ServerState

_FILTER_SPECIALS = frozenset(b"*()\\")
MAX_ASSERTED = 64  # values read that an add-only modify asserts; a mail entry holds fewer


class Preconditions:
    def __init__(
        self, state: ServerState, changes: Iterable[Change], schema: Schema, asserts: bool
    ) -> None:
        self.state, self.schema, self.asserts = state, schema, asserts
        # A modify at a DN the plan adds does not change the entry that was read there.
        self.added = {schema.dn_key(c.dn) for c in changes if isinstance(c, Add)}
        # Renames this run has done, and the stamp each rename left.
        self.renames = Renames()
        self.new_stamps: dict[DnKey, bytes | None] = {}

    def assertion(self, change: Change) -> str | None:
        """An RFC 4515 filter the entry must match for the write to go ahead, or None."""
        if not self.asserts or isinstance(change, Add):
            return None  # the server refuses an add on an existing DN (68)
        key = self.schema.dn_key(change.dn)
        stamp = self.stamp(key)
        if isinstance(change, Delete | ModRdn) and stamp is not None:
            return _equal(STAMP, stamp)
        if isinstance(change, Delete):
            return _all_of(_has(n, vs, self.schema) for n, vs in change.old)
        if not isinstance(change, Modify) or key in self.added:
            return None
        if _replaces(change):
            # A value without an equality rule is unnameable; without a stamp, sent()
            # makes the replace value-level.
            return None if stamp is None else _equal(STAMP, stamp)
        moved = key in self.new_stamps or self.renames.origin(key) != key
        current = None if moved else self.state.snapshot.get(key)
        return None if current is None else self._as_reviewed(change, current)

    def _as_reviewed(self, change: Modify, current: Entry) -> str | None:
        """The attributes a modify only adds to still hold the values read (or are still
        absent), where they are few: a forward added to an entry with none is refused
        if another came meanwhile (a filter cannot say "and nothing else"). Past
        MAX_ASSERTED values (a group's members) nothing is asserted: an add overwrites
        nothing (the server refuses a value it holds, 20, and a second value of a
        single-valued attribute, 19), and slapd's time for a filter of n terms grows as n
        squared (a group of 65,000 members timed out)."""
        deleted = {m.attr.lower() for m in change.mods if m.op == "delete"}
        names = dict.fromkeys(m.attr for m in change.mods if m.attr.lower() not in deleted)
        read = [(name, current.get(name)) for name in names]
        if sum(len(values) for _, values in read) > MAX_ASSERTED:
            return None
        return _all_of(_has(name, values, self.schema) for name, values in read)

    def sent(self, change: Change) -> Change:
        """The change as it goes on the wire: a `replace:` that no stamp assertion covers
        becomes `delete:` of the values read and `add:` of the new ones."""
        if not isinstance(change, Modify) or not _replaces(change):
            return change
        key = self.schema.dn_key(change.dn)
        if self.asserts and key not in self.added and self.stamp(key) is not None:
            return change
        return Modify(change.dn, tuple(m for mod in change.mods for m in _by_value(mod)))

    def renamed(self, change: ModRdn, stamp: bytes | None) -> None:
        """A rename of this run was answered; `stamp` is what its post-read control returned."""
        new = self.schema.dn_key(change.new_dn)
        self.renames.record(self.schema.dn_key(change.dn), new)
        self.new_stamps[new] = stamp

    def stamp(self, key: DnKey) -> bytes | None:
        """The entry's entryCSN as this run last knew it, if it knows it."""
        if key in self.new_stamps:
            return self.new_stamps[key]
        # A rename of an ancestor moves the entry and leaves its stamp alone.
        return self.state.stamps.get(self.renames.origin(key))


class Renames:
    """The renames a run has applied, to find an entry where the plan's read saw it."""

    def __init__(self) -> None:
        self.moves: dict[DnKey, DnKey] = {}  # new DN key -> the key before the rename

    def record(self, old: DnKey, new: DnKey) -> None:
        self.moves[new] = old

    def origin(self, key: DnKey) -> DnKey:
        """The DN key the entry at `key` had before these renames, of it or its ancestors."""
        for i in range(len(key)):
            old = self.moves.get(key[i:])
            if old is not None:
                return self.origin(key[:i] + old)
        return key


def _replaces(change: Modify) -> bool:
    return any(m.op == "replace" for m in change.mods)


def _by_value(mod: Mod) -> list[Mod]:
    if mod.op != "replace":
        return [mod]
    gone = [Mod("delete", mod.attr, mod.old)] if mod.old else []
    return gone + ([Mod("add", mod.attr, mod.values)] if mod.values else [])


def _has(name: str, values: Values, schema: Schema) -> str:
    if not values:
        return f"(!({name}=*))"
    if not schema.attribute(name).has_equality:
        return f"({name}=*)"  # no equality rule: a value cannot be asserted
    return _all_of(_equal(name, v) for v in values) or ""


def _equal(name: str, value: bytes) -> str:
    return f"({name}={escape(value)})"


def _all_of(parts: Iterable[str]) -> str | None:
    items = list(parts)
    if not items:
        return None
    return items[0] if len(items) == 1 else "(&" + "".join(items) + ")"


def escape(value: bytes) -> str:
    """RFC 4515 assertion value: specials and every non-printable or non-ASCII byte as \\XX."""
    return "".join(
        chr(b) if 0x20 <= b < 0x7F and b not in _FILTER_SPECIALS else f"\\{b:02x}" for b in value
    )
