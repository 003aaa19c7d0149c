"""Sending a plan's writes pipelined: many in flight on one connection, in dependency order.

Changes are sent in plan order. One is held back while an operation on the same entry,
an ancestor or a descendant is still in flight, because a server may run the operations
of one connection in parallel: a child's add must not overtake its parent's. Sending
stops at the first failure; what was in flight is still awaited and reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ldap
from ldap.controls.libldap import AssertionControl

from ldifctl.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.connection import Connection, describe, error_info
from ldifctl.dn import DnKey
from ldifctl.errors import LdifctlError
from ldifctl.preconditions import Preconditions
from ldifctl.safety import Scope, touched_dns
from ldifctl.schema import Schema

_MOD_OPS = {"add": ldap.MOD_ADD, "delete": ldap.MOD_DELETE, "replace": ldap.MOD_REPLACE}
_CHANGED = "the entry changed on the server since it was read"
# What a refused write means for the user, by LDAP result code.
_HINTS = {
    16: f"{_CHANGED}: a value the plan deletes is gone",
    20: f"{_CHANGED}: a value the plan adds is there already",
    32: f"{_CHANGED}: the entry is gone",
    50: "the bind DN may not write this entry: grant it write access",
    66: "the entry has children the plan does not delete or move",
    68: f"{_CHANGED}: the entry exists already",
    122: f"{_CHANGED}: the assertion sent with the write no longer holds",
}


@dataclass
class Outcome:
    """Indices into the plan's changes; the rest were not attempted."""

    applied: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    unknown: list[int] = field(default_factory=list)  # in flight when the connection died
    lost: str | None = None  # why the connection was given up


@dataclass
class _InFlight:
    by_msgid: dict[int, tuple[int, list[DnKey]]] = field(default_factory=dict)
    at: Counter[DnKey] = field(default_factory=Counter)  # DNs operated on
    under: Counter[DnKey] = field(default_factory=Counter)  # those DNs and their ancestors

    def add(self, msgid: int, index: int, keys: list[DnKey]) -> None:
        self.by_msgid[msgid] = (index, keys)
        self._count(keys, 1)

    def pop(self, msgid: int) -> int:
        index, keys = self.by_msgid.pop(msgid)
        self._count(keys, -1)
        return index

    def _count(self, keys: list[DnKey], step: int) -> None:
        for key in keys:
            self.at[key] += step
            for i in range(len(key)):
                self.under[key[i:]] += step

    def blocks(self, keys: list[DnKey]) -> bool:
        """Something in flight at, above or below one of `keys`."""
        return any(
            self.under[k] > 0 or any(self.at[k[i:]] > 0 for i in range(1, len(k))) for k in keys
        )


class Pipeline:
    def __init__(
        self,
        conn: Connection,
        schema: Schema,
        window: int,
        scope: Scope,
        preconditions: Preconditions | None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.conn, self.schema, self.window, self.scope = conn, schema, window, scope
        self.preconditions, self.progress = preconditions, progress
        self.inflight = _InFlight()
        self.outcome = Outcome()

    def run(self, changes: list[Change]) -> Outcome:
        index = 0
        while index < len(changes) and not self._stopped():
            keys = [self.schema.dn_key(d) for d in touched_dns(changes[index])]
            if len(self.inflight.by_msgid) >= self.window or self.inflight.blocks(keys):
                self._receive()
                continue
            self._send(index, changes[index], keys)
            index += 1
        while self.inflight.by_msgid and self.outcome.lost is None:
            self._receive()
        return self.outcome

    def _stopped(self) -> bool:
        return bool(self.outcome.failed) or self.outcome.lost is not None

    def _send(self, index: int, change: Change, keys: list[DnKey]) -> None:
        try:
            self.scope.require(change)  # checked for the whole plan before; again at the wire
        except LdifctlError as err:
            self.outcome.failed[index] = str(err)
            return
        try:
            msgid = _operation(self.conn.ldap, change, self._controls(change))
        except ldap.LDAPError as err:
            self.outcome.unknown.append(index)
            self._lose(describe(err))
            return
        self.inflight.add(msgid, index, keys)

    def _controls(self, change: Change) -> list[Any] | None:
        assertion = self.preconditions.assertion(change) if self.preconditions else None
        return None if assertion is None else [AssertionControl(True, assertion)]

    def _receive(self) -> None:
        try:
            _, _, msgid, _ = self.conn.ldap.result3(ldap.RES_ANY, 1, self.conn.timeout)
        except ldap.TIMEOUT:
            return self._lose(f"no answer from {self.conn.uri} in {self.conn.timeout:g} s")
        except ldap.LDAPError as err:
            msgid = error_info(err).get("msgid")
            if msgid not in self.inflight.by_msgid:
                return self._lose(describe(err))
            self.outcome.failed[self.inflight.pop(msgid)] = failure_text(err)
        else:
            if msgid not in self.inflight.by_msgid:
                # msgid 0: the server's notice that it is closing the connection.
                return self._lose(f"{self.conn.uri} ended the session")
            self.outcome.applied.append(self.inflight.pop(msgid))
        if self.progress is not None:
            self.progress(len(self.outcome.applied) + len(self.outcome.failed))

    def _lose(self, why: str) -> None:
        """The connection is gone: whatever was in flight may or may not have been applied."""
        self.outcome.lost = why
        self.outcome.unknown += [index for index, _ in self.inflight.by_msgid.values()]
        self.inflight = _InFlight()


def failure_text(err: ldap.LDAPError) -> str:
    code = error_info(err).get("result")
    hint = _HINTS.get(code) if isinstance(code, int) else None
    return f"{describe(err)}; {hint}" if hint else describe(err)


def _operation(handle: Any, change: Change, controls: list[Any] | None) -> int:
    """Send one change without waiting for the answer; returns the message id."""
    if isinstance(change, Add):
        return int(handle.add_ext(change.dn, [(n, list(v)) for n, v in change.attrs], controls))
    if isinstance(change, Modify):
        mods = [(_MOD_OPS[m.op], m.attr, list(m.values) or None) for m in change.mods]
        return int(handle.modify_ext(change.dn, mods, controls))
    if isinstance(change, Delete):
        return int(handle.delete_ext(change.dn, controls))
    assert isinstance(change, ModRdn)
    return int(
        handle.rename(
            change.dn, change.new_rdn, change.new_superior, int(change.delete_old_rdn), controls
        )
    )
