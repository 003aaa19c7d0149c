"""Reading content LDIF (`ldapsearch -LLL`, `slapcat`) into a snapshot."""

from __future__ import annotations

import io
import re

import ldif

from ldifctl import dn as dnmod
from ldifctl.errors import LdifctlError
from ldifctl.model import Entry, Origin, Snapshot
from ldifctl.schema import Schema

_RECORD_START = re.compile(rb"^dn::? ", re.MULTILINE | re.IGNORECASE)


class _Collector(ldif.LDIFParser):  # type: ignore[misc]
    def __init__(self, data: bytes, where: str, schema: Schema, lines: list[int]) -> None:
        super().__init__(io.BytesIO(data))
        self.where, self.schema, self.lines = where, schema, lines
        self.snapshot = Snapshot(where, schema)

    def handle(self, dn: str, entry: dict[str, list[bytes]]) -> None:
        line = self.lines[self.records_read] if self.records_read < len(self.lines) else None
        origin = Origin(self.where, line)
        if "changetype" in {k.lower() for k in entry}:
            raise LdifctlError(
                f"{origin.at()}: {dn!r} is a change record: give content LDIF "
                "(as `ldapsearch -LLL` or `slapcat` write it)"
            )
        try:
            dnmod.parse(dn)
        except dnmod.DnError as err:
            raise LdifctlError(f"{origin.at()}: {err}: fix the dn: line") from None
        self.snapshot.add(Entry(dn, self._attrs(entry, origin), origin))

    def _attrs(self, entry: dict[str, list[bytes]], origin: Origin) -> dict[str, tuple[bytes, ...]]:
        attrs: dict[str, tuple[bytes, ...]] = {}
        for name, values in entry.items():
            canonical = self.schema.canonical_name(name)
            if self.schema.is_ignored(canonical):
                continue
            if canonical in attrs:
                raise LdifctlError(f"{origin.at()}: attribute {name!r} is spelled twice")
            attrs[canonical] = tuple(values)
        return attrs


def load_ldif(data: bytes, where: str, schema: Schema) -> Snapshot:
    """Entries of a content LDIF file; operational and ignored attributes are dropped."""
    lines = [data.count(b"\n", 0, m.start()) + 1 for m in _RECORD_START.finditer(data)]
    parser = _Collector(data, where, schema, lines)
    try:
        parser.parse()
    except (ValueError, KeyError) as err:
        raise LdifctlError(
            f"{where}:{parser.line_counter}: not valid LDIF ({err}): fix the record"
        ) from None
    return parser.snapshot
