"""The live directory as a source: paged, streamed reads of the managed subtrees.

Only user attributes are asked for (`*`, never `+`); operational and ignored attributes
and `userPassword` are dropped on arrival, and so is an entry whose DN names userPassword
(secret_names.py), so no secret reaches a plan, a file or a report.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import ldap
from ldap.controls import SimplePagedResultsControl

from ldifctl import bulk
from ldifctl.model.dn import DnKey
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import NEVER_WRITTEN, Schema, is_secret
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.repo.workspace import Workspace
from ldifctl.sources import connection, referrals, secret_names, server_schema
from ldifctl.sources.connection import Connection
from ldifctl.sources.specs import SERVER

# Small enough for OpenLDAP's default size limit of 500 for a non-root bind DN.
PAGE_SIZE = 500
# OpenLDAP's change stamp: asserting it on a delete or rename proves the entry is unchanged.
STAMP = "entryCSN"


@dataclass(frozen=True)
class ServerState:
    snapshot: Snapshot
    stamps: Mapping[DnKey, bytes]  # entryCSN by DN, where the server keeps one
    skipped: tuple[str, ...] = ()  # entries named by a secret, left out: their masked DNs


def read_server(ws: Workspace) -> Snapshot:
    """`server` as a source spec: connect with ldifctl.yaml's settings and read."""
    return read_server_state(ws).snapshot


def read_server_state(ws: Workspace) -> ServerState:
    with connection.connected(ws.config.server, ws.environ) as conn:
        return read_state(conn, ws.config.base_dns, ws.schema)


def read_state(
    conn: Connection, base_dns: tuple[str, ...], schema: Schema, stamps: bool = False
) -> ServerState:
    """The managed subtrees; with `stamps`, each entry's change stamp too (for apply)."""
    with bulk.paused_gc():
        return _read_state(conn, base_dns, schema, stamps)


def _read_state(
    conn: Connection, base_dns: tuple[str, ...], schema: Schema, stamps: bool
) -> ServerState:
    snapshot, found, skipped = Snapshot(SERVER, schema), {}, list[str]()
    wanted = ["*", STAMP] if stamps and conn.supports(connection.ASSERTION) else ["*"]
    keep, named_by_secret = attribute_filter(schema), secret_names.finder(schema)
    for base in base_dns:
        before = len(snapshot) + len(skipped)
        for dn, attrs in _subtree(conn, base, wanted):
            key = schema.dn_key(dn)
            if named_by_secret(dn, key):
                skipped.append(secret_names.masked(dn, schema))
                continue
            kept = {n: tuple(attrs[raw]) for raw in attrs if (n := keep(raw))}
            snapshot.add(Entry(dn, kept), key)
            if STAMP in attrs:
                found[key] = attrs[STAMP][0]
        if len(snapshot) + len(skipped) == before:
            referrals.refuse_referred(conn, base)
        referrals.refuse_unsent(conn, base)
    return ServerState(snapshot, found, tuple(sorted(skipped)))


def attribute_filter(schema: Schema) -> Callable[[str], str]:
    """Server spelling -> canonical name, or '' for an attribute that is never managed."""

    @cache
    def keep(name: str) -> str:
        if schema.is_ignored(name) or is_secret(name, schema):
            return ""
        return schema.canonical_name(name)

    return keep


def _subtree(
    conn: Connection, base: str, attrs: list[str], match: str = "(objectClass=*)"
) -> Iterator[tuple[str, Any]]:
    """Every entry at and below `base` (that `match` selects), a page at a time, streamed
    as they arrive."""
    paged = conn.supports(connection.PAGED_RESULTS)
    page = SimplePagedResultsControl(True, size=PAGE_SIZE, cookie="")
    first = True
    while first or page.cookie:
        try:
            msgid = conn.ldap.search_ext(
                base,
                ldap.SCOPE_SUBTREE,
                match,
                attrs,
                serverctrls=[page] if paged else None,
            )
            controls = yield from _page(conn, msgid, base)
        except ldap.NO_SUCH_OBJECT as err:
            if first:
                return  # the base is not there yet: an empty directory, not an error
            raise _read_failure(conn, base, err) from None
        except ldap.LDAPError as err:
            raise _read_failure(conn, base, err) from None
        first, page.cookie = False, _cookie(controls) if paged else b""


def _page(conn: Connection, msgid: int, base: str) -> Generator[tuple[str, Any], None, list[Any]]:
    # Entry by entry, not the whole page per call: the server sends on while we decode
    # (measured: a page at a time is slower despite 500x fewer calls).
    while True:
        kind, data, _, controls = conn.ldap.result3(msgid, all=0, timeout=conn.timeout)
        if kind == ldap.RES_SEARCH_RESULT:
            return list(controls)
        if kind == ldap.RES_SEARCH_REFERENCE:
            # Part of the subtree lives on another server: a partial read would look like
            # deleted entries, so refuse instead of guessing. `data` is [(None, [URL, ...])].
            raise LdifctlError(
                f"{conn.uri} refers part of {base} to another server "
                f"({', '.join(data[0][1])}): ldifctl reads and writes one server, and would "
                "take the entries there as deleted; set base_dn to the subtrees this server "
                "holds, and manage the referred one from the server the reference names"
            )
        yield from data


def _cookie(controls: list[Any]) -> bytes:
    for control in controls:
        if control.controlType == SimplePagedResultsControl.controlType:
            return bytes(control.cookie or b"")
    return b""


def _read_failure(conn: Connection, base: str, err: ldap.LDAPError) -> LdifctlError:
    if isinstance(err, ldap.REFERRAL):
        return referrals.referred(conn, base, connection.error_info(err))
    if isinstance(err, ldap.SIZELIMIT_EXCEEDED | ldap.ADMINLIMIT_EXCEEDED):
        return LdifctlError(
            f"{conn.uri} stopped reading {base} at a size limit: give the bind DN unlimited "
            "size for paged searches (OpenLDAP: olcLimits size.prtotal=unlimited)"
        )
    return LdifctlError(f"{conn.uri}: reading {base} failed: {connection.describe(err)}")


def without_added_superiors(entry: Entry, schema: Schema) -> Entry:
    """The entry as a person would write it: 389 lists every superior object class."""
    classes = [c.decode("utf-8", "replace") for c in entry.get("objectClass")]
    implied = {s for c in classes for s in schema.superiors(c)[1:]} - {"top"}
    kept = tuple(c.encode() for c in classes if c.lower() not in implied)
    attrs = {k: (kept if k.lower() == "objectclass" else v) for k, v in entry.attrs.items()}
    return Entry(entry.dn, attrs, entry.origin)


class ServerImport(NamedTuple):
    """`import --from-server`'s read: the server's entries as files should hold them, how
    many of them hold a userPassword that is not written (it was dropped on arrival), the
    masked DNs of the entries named by one (left out), and the server's subschema (or why
    it was not read: server_schema.py)."""

    snapshot: Snapshot
    dropped: int
    skipped: tuple[str, ...]
    subschema: dict[str, list[bytes]] | str


def for_import(ws: Workspace) -> ServerImport:
    """The server read as `import --from-server` takes it, on one connection."""
    with connection.connected(ws.config.server, ws.environ) as conn:
        state = read_state(conn, ws.config.base_dns, ws.schema)
        server = state.snapshot
        secrets = _count(conn, ws.config.base_dns, ws.schema) if len(server) else 0
        subschema = server_schema.read(conn) if len(server) else ""
    if not len(server):
        raise LdifctlError(
            f"the server returned no entries below {', '.join(ws.config.base_dns)}: check "
            "base_dn, server.bind_dn and that the bind DN may read the subtree"
        )
    snapshot = Snapshot(SERVER, ws.schema)
    for entry in server:
        snapshot.add(without_added_superiors(entry, ws.schema))
    return ServerImport(snapshot, secrets, state.skipped, subschema)


# The entries whose secrets the read dropped. A bind DN that may not read userPassword
# (an ACL) matches none here and saw none in the read: the count is what was dropped.
_HOLDS_A_SECRET = "(|" + "".join(f"({name}=*)" for name in sorted(NEVER_WRITTEN)) + ")"


def _count(conn: Connection, base_dns: tuple[str, ...], schema: Schema) -> int:
    """The entries holding a secret, but for those the read left out (named by one)."""
    named, match = secret_names.finder(schema), _HOLDS_A_SECRET
    found = (dn for base in base_dns for dn, _ in _subtree(conn, base, ["1.1"], match))
    return sum(1 for dn in found if not named(dn))
