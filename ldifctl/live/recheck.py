"""The changes a lost connection left unknown, read afresh: which of them were applied.

A change in flight when the connection was lost (or timed out) may or may not have been
applied: its answer went with the connection. The pipeline has shut that connection
(pipeline.py), so nothing more leaves ldifctl on it; then one fresh connection (the same
settings, the same timeout) reads each such change's entry.

What the read proves. Where the entry is as the change leaves it, the change counts as
applied: LDAP writes are atomic, and if the request is still on its way it can only fail
(68, 16, 20) or set what is there already, so undo.ldif takes back the right thing. (Were
another writer to make the very same change meanwhile, undo.ldif would take back theirs.)

What it cannot prove: "not applied". An entry still as the plan read it says only that
the change had not run *when read*. A request handed to the socket may still be in a
kernel buffer, on the wire, held by a proxy or a load balancer, or read by the server and
queued or running in one of its threads; shutting our end drops none of those (the
server reads our end only after the bytes before it, and it finishes what it started).
Nor does order help: an answer to a later request proves the earlier one reached the
server (TCP keeps order), not that it ran, since a server runs a connection's operations
in parallel. Only the server's answer or the end of the process that read the request
would settle it, and neither is observable here. So a change the read finds not applied
stays unknown (in unknown.ldif, its row says what the read saw); "not applied" is said
only of changes never handed to the socket (status "not attempted"). A send that failed
is unknown too: libldap reports a failed send only with part of the request unwritten,
but that is its implementation, not a promise. The report always says the server may
still apply what it received.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ldap

from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Snapshot
from ldifctl.sources.connection import Connection, describe
from ldifctl.sources.server import attribute_filter

APPLIED, NOT_YET = True, False
# Managed attribute (lower case) -> its values under the attribute's equality rule.
Content = dict[str, frozenset[object]]


@dataclass
class Rechecked:
    # index -> True: applied (proved); False: not applied when read (no proof: see above).
    found: dict[int, bool] = field(default_factory=dict)
    failed: str | None = None  # why the fresh connection or a read failed


def recheck(
    connect: Callable[[], Connection], changes: list[Change], unknown: list[int], before: Snapshot
) -> Rechecked:
    """What a fresh read finds of the changes at `unknown` (indices into `changes`)."""
    result = Rechecked()
    try:
        conn = connect()
    except (LdifctlError, ldap.LDAPError) as err:  # they stay unknown, as they were
        result.failed = f"reconnecting failed: {err}"
        return result
    try:
        reader = _Reader(conn, before.schema)
        for index in unknown:
            decided = _decide(changes[index], reader, before)
            if decided is not None:
                result.found[index] = decided
    except ldap.LDAPError as err:
        result.failed = f"reading the entries again failed: {describe(err)}"
    finally:
        conn.close()
    return result


class _Reader:
    def __init__(self, conn: Connection, schema: Schema) -> None:
        self.conn, self.schema, self.keep = conn, schema, attribute_filter(schema)

    def read(self, dn: str) -> Content | None:
        """The entry's managed content now, or None where there is no entry."""
        try:
            found = self.conn.ldap.search_ext_s(
                dn, ldap.SCOPE_BASE, "(objectClass=*)", ["*"], timeout=self.conn.timeout
            )
        except ldap.NO_SUCH_OBJECT:
            return None
        return self.content(found[0][1].items()) if found else None

    def content(self, attrs: Iterable[tuple[str, Iterable[bytes]]]) -> Content:
        out: dict[str, set[object]] = {}
        for raw, values in attrs:
            if name := self.keep(raw):
                norm = self.schema.normaliser(name)
                out.setdefault(name.lower(), set()).update(norm(v) for v in values)
        return {name: frozenset(values) for name, values in out.items() if values}

    def name(self, attr: str) -> str:
        return (self.keep(attr) or attr).lower()


def _decide(change: Change, reader: _Reader, before: Snapshot) -> bool | None:
    if isinstance(change, Add | Delete):
        now = reader.read(change.dn)
        if now is None:  # the plan read no entry before an add, one before a delete
            return isinstance(change, Delete)
        held = _holds(now, reader.content(change.attrs if isinstance(change, Add) else change.old))
        return None if not held else isinstance(change, Add)
    if isinstance(change, ModRdn):
        gone, there = reader.read(change.dn) is None, reader.read(change.new_dn) is not None
        return gone if gone == there else None  # moved, or still in place; else unknown
    return _modified(change, reader, before)


def _holds(now: Content, wanted: Content) -> bool:
    """Every value in `wanted` is there (a server may add more, as 389 adds `top`)."""
    return all(values <= now.get(name, frozenset()) for name, values in wanted.items())


def _modified(change: Modify, reader: _Reader, before: Snapshot) -> bool | None:
    """Applied where the attributes it touches hold what it leaves, not (yet) applied
    where they hold what the plan read; unknown for an entry the plan did not read there."""
    read = before.get(before.schema.dn_key(change.dn))
    now = reader.read(change.dn)
    if read is None or now is None:
        return None
    was = reader.content(read.attrs.items())
    names = {reader.name(m.attr) for m in change.mods}
    after = _after(change, was, reader)
    touched = {n: now.get(n, frozenset()) for n in names}
    if touched == {n: after.get(n, frozenset()) for n in names}:
        return APPLIED
    if touched == {n: was.get(n, frozenset()) for n in names}:
        return NOT_YET
    return None


def _after(change: Modify, was: Content, reader: _Reader) -> Content:
    after = dict(was)
    for mod in change.mods:
        name = reader.name(mod.attr)
        values = reader.content([(mod.attr, mod.values)]).get(name, frozenset())
        held = after.get(name, frozenset())
        if mod.op == "add":
            after[name] = held | values
        elif mod.op == "delete":
            after[name] = held - values if mod.values else frozenset()
        else:
            after[name] = values
    return after
