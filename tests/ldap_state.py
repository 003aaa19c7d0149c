"""Reading a real server back as a snapshot, to compare it with what the repo says."""

from __future__ import annotations

import servers

from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Snapshot


def server_snapshot(server: servers.LdapServer, schema: Schema) -> Snapshot:
    snap = Snapshot("server", schema)
    for dn, attrs in server.search_all().items():
        snap.add(Entry(dn, {schema.canonical_name(k): tuple(v) for k, v in attrs.items()}))
    return snap
