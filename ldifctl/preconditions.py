"""What each write asserts about the entry it changes, so a concurrent edit is never clobbered.

A per-value `delete:` is a precondition on every server (error 16 when the value is gone).
Where the root DSE advertises the Assertion control (OpenLDAP; never 389-DS, which
silently ignores it when not critical), writes also carry a critical assertion: the
entry's change stamp for a delete or rename, and the values the plan expects for an
attribute it only adds to or replaces (reference/ldap-servers.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from ldifctl.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model import Entry, Values
from ldifctl.ordering import created_dn
from ldifctl.schema import Schema
from ldifctl.server_source import STAMP, ServerState

_FILTER_SPECIALS = frozenset(b"*()\\")


class Preconditions:
    def __init__(self, state: ServerState, changes: Iterable[Change], schema: Schema) -> None:
        self.state, self.schema = state, schema
        # At a DN the plan (re)creates, the entry read is not the one a later modify changes.
        self.fresh = {schema.dn_key(d) for c in changes if (d := created_dn(c))}

    def assertion(self, change: Change) -> str | None:
        """An RFC 4515 filter the entry must match for the write to go ahead, or None."""
        if isinstance(change, Add):
            return None  # the server refuses an add on an existing DN (68)
        key = self.schema.dn_key(change.dn)
        stamp = self.state.stamps.get(key)
        if isinstance(change, Delete | ModRdn) and stamp is not None:
            return _equal(STAMP, stamp)
        if isinstance(change, Delete):
            return _all_of(_has(n, vs, self.schema) for n, vs in change.old)
        if isinstance(change, Modify) and key not in self.fresh:
            current = self.state.snapshot.get(key)
            return None if current is None else self._unchanged(change, current)
        return None

    def _unchanged(self, change: Modify, current: Entry) -> str | None:
        """The attributes the modify only adds to or replaces still hold every value read
        (or are still absent): a filter cannot say "and nothing else"."""
        deleted = {m.attr.lower() for m in change.mods if m.op == "delete"}
        names = dict.fromkeys(m.attr for m in change.mods if m.attr.lower() not in deleted)
        return _all_of(_has(name, current.get(name), self.schema) for name in names)


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
