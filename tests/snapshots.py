"""Building snapshots in tests from compact literals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ldifctl.model.schema import Schema, build_schema
from ldifctl.model.snapshot import Entry, Snapshot

SCHEMA = build_schema()
# Attribute -> one value or a list of values (str or bytes).
Literal = Mapping[str, Mapping[str, Any]]


def _values(raw: Sequence[str | bytes] | str) -> tuple[bytes, ...]:
    items = [raw] if isinstance(raw, str) else list(raw)
    return tuple(v.encode() if isinstance(v, str) else v for v in items)


def snapshot(entries: Literal, schema: Schema = SCHEMA, label: str = "test") -> Snapshot:
    snap = Snapshot(label, schema)
    for dn, attrs in entries.items():
        snap.add(Entry(dn, {name: _values(v) for name, v in attrs.items()}))
    return snap
