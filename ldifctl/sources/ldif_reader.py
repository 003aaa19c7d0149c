"""Reading content LDIF (`ldapsearch -LLL`, `slapcat`) into a snapshot."""

from __future__ import annotations

import io
import re

import ldif

from ldifctl.model import dn as dnmod
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Origin, Snapshot

# Every `dn:` line (RFC 2849 allows no space after the colon): one starts each record.
_DN_LINE = re.compile(rb"^dn:", re.MULTILINE | re.IGNORECASE)
# A fold inside a UTF-8 character (RFC 2849 folds octets; ldapadd takes it): the start of
# the character, the line break, and the rest of it at the start of the next line.
_SPLIT_CHARACTER = re.compile(rb"([\xc2-\xf4][\x80-\xbf]{0,2})(\r?\n )(?=[\x80-\xbf])")


class _Collector(ldif.LDIFParser):  # type: ignore[misc]
    def __init__(self, data: bytes, where: str, schema: Schema, lines: list[int]) -> None:
        super().__init__(io.BytesIO(data))
        self.where, self.schema, self.dn_lines = where, schema, iter(lines)
        self.snapshot = Snapshot(where, schema)

    def handle(self, dn: str, entry: dict[str, list[bytes]]) -> None:
        origin = Origin(self.where, next(self.dn_lines, None))
        if any(name.lower() == "dn" for name in entry):
            # python-ldap reads a second `dn:` as an attribute: two entries run together.
            raise LdifctlError(
                f"{self.where}:{next(self.dn_lines, '?')}: a second dn: line in the record of "
                f"{dn!r} (line {origin.line}): end each record with a blank line"
            )
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
    # python-ldap decodes each line before unfolding: move a split character's first
    # bytes behind the fold, which keeps every line where it was.
    mended = _SPLIT_CHARACTER.sub(rb"\2\1", data)
    parser = _Collector(mended, where, schema, _dn_lines(data))
    try:
        parser.parse()
    except (ValueError, KeyError) as err:
        raise LdifctlError(
            f"{where}:{parser.line_counter}: not valid LDIF ({err}): fix the record"
        ) from None
    return parser.snapshot


def _dn_lines(data: bytes) -> list[int]:
    """The line number of every `dn:` line, counting each stretch of the text once."""
    lines, line, at = [], 1, 0
    for match in _DN_LINE.finditer(data):
        line += data.count(b"\n", at, match.start())
        at = match.start()
        lines.append(line)
    return lines
