"""Sending a plan's writes pipelined: many in flight on one connection, in dependency order.

Changes are sent in plan order. One is held back while an operation on the same entry,
an ancestor or a descendant is still in flight, because a server may run the operations
of one connection in parallel: a child's add must not overtake its parent's. Sending
stops at the first failure or when a signal asks it to (signals.py); what was in
flight is still awaited and reported. Each write carries its preconditions
(preconditions.py, entry_check.py).
"""

from __future__ import annotations

import contextlib
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ldap
from ldap.controls.libldap import AssertionControl
from ldap.controls.readentry import PostReadControl

from ldifctl.live import entry_check
from ldifctl.live.hints import failure_text
from ldifctl.live.preconditions import Preconditions
from ldifctl.live.safety import Scope, touched_dns
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model.dn import DnKey
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Schema
from ldifctl.sources.connection import Connection, describe, error_info
from ldifctl.sources.server import STAMP, attribute_filter

_MOD_OPS = {"add": ldap.MOD_ADD, "delete": ldap.MOD_DELETE, "replace": ldap.MOD_REPLACE}
_CHANGED = entry_check.CHANGED
_OVERTAKEN = (
    f"deleted, though {_CHANGED} right before the delete (after the check): undo.ldif "
    "re-creates it as it was deleted"
)


@dataclass
class Outcome:
    """Indices into the plan's changes; the rest were not attempted."""

    applied: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    unknown: list[int] = field(default_factory=list)  # in flight when the connection died
    # What a fresh read after the loss found (recheck.py): applied, or not applied yet.
    rechecked: dict[int, bool] = field(default_factory=dict)
    recheck_failed: str | None = None  # why that read could not decide them all
    lost: str | None = None  # why the connection was given up
    interrupted: str | None = None  # the signal that stopped the sending (SIGINT, ...)
    # The form a change went out in, where it differs from the plan's (for undo.ldif).
    sent: dict[int, Change] = field(default_factory=dict)
    # Deletes applied though the entry changed between their check and their arrival.
    overtaken: dict[int, str] = field(default_factory=dict)


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
        preconditions: Preconditions,
        progress: Callable[[int], None] | None = None,
        interrupted: Callable[[], str | None] | None = None,
    ) -> None:
        self.conn, self.schema, self.window, self.scope = conn, schema, window, scope
        self.preconditions, self.progress = preconditions, progress
        self.interrupted = interrupted or (lambda: None)
        self.inflight = _InFlight()
        self.outcome = Outcome()
        self.changes: list[Change] = []
        self.keep = attribute_filter(schema)
        asserts = preconditions.asserts
        self.post_read = asserts and conn.supports(PostReadControl.controlType)
        self.pre_read = not asserts and conn.supports(entry_check.PRE_READ)

    def run(self, changes: list[Change]) -> Outcome:
        self.changes = changes
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
        if self.outcome.interrupted is None:
            self.outcome.interrupted = self.interrupted()
        stops = (self.outcome.lost, self.outcome.interrupted)
        return bool(self.outcome.failed) or any(s is not None for s in stops)

    def _send(self, index: int, change: Change, keys: list[DnKey]) -> None:
        try:
            self.scope.require(change)  # checked for the whole plan before; again at the wire
        except LdifctlError as err:
            self.outcome.failed[index] = str(err)
            return
        if not self._checked(index, change):
            return
        sent = self.preconditions.sent(change)
        try:
            msgid = _operation(self.conn.ldap, sent, self._controls(change))
        except ldap.LDAPError as err:
            self.outcome.unknown.append(index)
            self._lose(describe(err))
            return
        if sent is not change:
            self.outcome.sent[index] = sent
        self.inflight.add(msgid, index, keys)

    def _checked(self, index: int, change: Change) -> bool:
        """A delete that no assertion guards is checked by reading the entry first."""
        if self.preconditions.asserts or not isinstance(change, Delete):
            return True
        try:
            problem = entry_check.changed_since_read(self.conn, change, self.keep)
        except (ldap.SERVER_DOWN, ldap.TIMEOUT) as err:
            self._lose(describe(err))
            return False
        except ldap.LDAPError as err:
            problem = failure_text(err, change)
        if problem is not None:
            self.outcome.failed[index] = problem
        return problem is None

    def _controls(self, change: Change) -> list[Any] | None:
        controls = []
        if (assertion := self.preconditions.assertion(change)) is not None:
            controls.append(AssertionControl(True, assertion))
        if self.post_read and isinstance(change, ModRdn):
            controls.append(PostReadControl(True, [STAMP]))  # the entry's stamp after it
        if self.pre_read and isinstance(change, Delete):
            controls.append(entry_check.pre_read_control())  # what was really deleted
        return controls or None

    def _receive(self) -> None:
        try:
            _, _, msgid, controls = self.conn.ldap.result3(ldap.RES_ANY, 1, self.conn.timeout)
        except ldap.TIMEOUT:
            return self._lose(f"no answer from {self.conn.uri} in {self.conn.timeout:g} s")
        except ldap.LDAPError as err:
            msgid = error_info(err).get("msgid")
            if msgid not in self.inflight.by_msgid:
                return self._lose(describe(err))
            index = self.inflight.pop(msgid)
            self.outcome.failed[index] = failure_text(err, self.changes[index])
        else:
            if msgid not in self.inflight.by_msgid:
                # msgid 0: the server's notice that it is closing the connection.
                return self._lose(f"{self.conn.uri} ended the session")
            index = self.inflight.pop(msgid)
            self.outcome.applied.append(index)
            self._answered(index, controls)
        if self.progress is not None:
            self.progress(len(self.outcome.applied) + len(self.outcome.failed))

    def _answered(self, index: int, controls: list[Any]) -> None:
        """What an applied change's response controls tell about the entry."""
        change = self.changes[index]
        if isinstance(change, ModRdn):
            self.preconditions.renamed(change, _stamp(controls))
        elif self.pre_read and isinstance(change, Delete):
            deleted = entry_check.deleted_content(controls, self.keep)
            if deleted is None:
                return
            self.outcome.sent[index] = Delete(change.dn, deleted)
            if deleted != entry_check.content(change.old, self.keep):
                self.outcome.overtaken[index] = _OVERTAKEN

    def _lose(self, why: str) -> None:
        """The connection is gone: whatever was in flight may or may not have been applied."""
        self.outcome.lost = why
        self.outcome.unknown += [index for index, _ in self.inflight.by_msgid.values()]
        self.inflight = _InFlight()
        _hang_up(self.conn)


def _hang_up(conn: Connection) -> None:
    """Shut a lost connection's socket both ways (a timeout leaves it open): nothing more
    leaves on it, not even the unbind, and the server reads its end after what it got."""
    with contextlib.suppress(ldap.LDAPError, OSError):
        fd = conn.ldap.get_option(ldap.OPT_DESC)  # -1 once libldap has closed it
        if fd >= 0:
            with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as sock:  # a dup
                sock.shutdown(socket.SHUT_RDWR)


def _stamp(controls: list[Any]) -> bytes | None:
    for control in controls:
        if control.controlType == PostReadControl.controlType and control.entry:
            found = control.entry.get(STAMP)
            return bytes(found[0]) if found else None
    return None


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
