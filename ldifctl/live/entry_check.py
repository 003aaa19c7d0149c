"""A delete on a server without the Assertion control (389-DS): checked by a read.

Nothing a 389 delete can carry makes it conditional. So the entry is read right before
its delete is sent and compared with what the plan read: an entry edited since the plan's
read is not deleted. What remains is the time between that read's answer and the
delete's arrival (one round trip, and whatever of this run is queued ahead of it on the
connection). The delete carries the pre-read control, so an edit that lands in that gap
is reported, and undo.ldif re-creates the entry as it really was when deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import ldap
from ldap.controls.readentry import PreReadControl

from ldifctl.model.changes import Delete
from ldifctl.model.snapshot import Values
from ldifctl.sources.connection import Connection

PRE_READ = PreReadControl.controlType
CHANGED = "the entry changed on the server since it was read"
Content = tuple[tuple[str, Values], ...]


def changed_since_read(
    conn: Connection, change: Delete, keep: Callable[[str], str]
) -> str | None:
    """Why the delete must not be sent (the entry is not what the plan read), or None."""
    try:
        found = conn.ldap.search_ext_s(
            change.dn, ldap.SCOPE_BASE, "(objectClass=*)", ["*"], timeout=conn.timeout
        )
    except ldap.NO_SUCH_OBJECT:
        return f"{CHANGED}: the entry is gone"
    if not found or content(found[0][1].items(), keep) != content(change.old, keep):
        return f"{CHANGED}: a read right before the delete found other values"
    return None


def pre_read_control() -> Any:
    return PreReadControl(True, ["*"])


def deleted_content(controls: Iterable[Any], keep: Callable[[str], str]) -> Content | None:
    """What the server deleted, as its pre-read control reports it."""
    for control in controls:
        if control.controlType == PRE_READ and control.entry is not None:
            return content(control.entry.items(), keep)
    return None


def content(attrs: Iterable[tuple[str, Iterable[bytes]]], keep: Callable[[str], str]) -> Content:
    """Managed attributes in a form two reads of one entry compare equal in."""
    found: dict[str, tuple[str, list[bytes]]] = {}
    for raw, values in attrs:
        if name := keep(raw):
            found.setdefault(name.lower(), (name, []))[1].extend(values)
    return tuple((name, tuple(sorted(vs))) for _, (name, vs) in sorted(found.items()) if vs)
