"""LDIF records into entries: attribute names in the schema's spelling (looked up once
per spelling in a file, not per line), ignored attributes dropped, the DN checked, value
lists few entries differ in shared, and what the checks of each entry alone find of it
(ldif_reader.py reads files with it, on one core or two).

Names and values pass the checks of an entry file (repo/entries/build.py), as `import`
applies them: a diff must not plan what slapd refuses (a value twice under the
attribute's equality rule: error 20; `cn;` or an unknown OID: error 17; an empty value
the syntax does not take: error 21)."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import TypeVar

from ldifctl.model import dn as dnmod
from ldifctl.model.dn import DnKey
from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.model.schema import ATTRIBUTE_NAME, Schema
from ldifctl.model.snapshot import Entry, Origin, Values
from ldifctl.repo.entries.build import RawAttr, RawValue, checked_values, register_name
from ldifctl.sources.ldif_lines import Record

T = TypeVar("T")

NO_LINES: MappingProxyType[str, int] = MappingProxyType({})

# The checks of one entry alone, given its DN key (policy/structure.py's `keyed_checks`):
# run where each record is read, on whichever core reads it.
EntryChecks = Callable[[DnKey, Entry], list[Finding]]


def unchecked(key: DnKey, entry: Entry) -> list[Finding]:
    return []


_CHECKPOINT = 1023  # every 1024 entries, attributes of too many values stop being shared
_SHARED_VALUES = 256


class Entries:
    """Records into entries of one file, with the names each spelling stands for, and
    what `check` finds of each entry.

    The values of an attribute that few value lists fill (objectClass, a flag's TRUE) are
    one tuple, shared by every entry that holds the same list: at 100k entries that
    saves 300k objects, ~20 MB. Each spelling's lists are pooled until the pool holds
    more than _SHARED_VALUES (a look every 1024 entries): an attribute of distinct values
    (mail, uid) stops being pooled within its first thousand entries."""

    def __init__(self, where: str, schema: Schema, check: EntryChecks = unchecked) -> None:
        self.where, self.schema, self.check = where, schema, check
        self.names: dict[bytes, str] = {}  # raw name -> canonical name, '' when dropped
        self.pools: dict[bytes, dict[Values, Values] | None] = {}  # raw name -> lists
        self.count = 0
        self.change_names: set[bytes] = set()
        self.found: list[Finding] = []

    def keyed(self, record: Record) -> tuple[DnKey, Entry]:
        """The record's entry and its DN key, checked."""
        entry = self.entry(record)
        key = self.schema.dn_key(entry.dn)
        found = self.check(key, entry)
        if found:
            self.found += found
        return key, entry

    def entry(self, record: Record) -> Entry:
        origin = Origin(self.where, record.line, NO_LINES)
        raw = record.attrs
        if self.change_names and not self.change_names.isdisjoint(raw):
            raise LdifctlError(
                f"{origin.at()}: {record.dn!r} is a change record: give content LDIF "
                "(as `ldapsearch -LLL` or `slapcat` write it)"
            )
        try:
            dnmod.parse(record.dn)
        except dnmod.DnError as err:
            raise LdifctlError(f"{origin.at()}: {err}: fix the dn: line") from None
        attrs: dict[str, Values] = {}
        names, pools = self.names, self.pools
        for name, values in raw.items():
            canonical = names.get(name)
            if canonical is None:
                canonical = self._name(name, record)
            if not canonical:
                continue
            if canonical in attrs:
                raise LdifctlError(f"{origin.at()}: attribute {name.decode()!r} is spelled twice")
            found = tuple(values)
            pool = pools.get(name)
            if pool is None:
                if len(found) > 1 or not found[0]:
                    found = self._values(found, canonical, name, record)
            else:  # a pooled list is checked once, when it enters the pool
                shared = pool.get(found)
                if shared is None:
                    if len(found) > 1 or not found[0]:
                        found = self._values(found, canonical, name, record)
                    shared = pool[found] = found
                found = shared
            attrs[canonical] = found
        self.count += 1
        if not self.count & _CHECKPOINT:
            for name, pool in pools.items():
                if pool is not None and len(pool) > _SHARED_VALUES:
                    pools[name] = None
        return Entry(record.dn, attrs, origin)

    def _name(self, name: bytes, record: Record) -> str:
        try:
            text = name.decode("utf-8")
        except UnicodeDecodeError:
            raise LdifctlError(
                f"{self.where}:{record.line}: an attribute name is not UTF-8 in the record "
                f"of {record.dn!r}: fix the record"
            ) from None
        if text.lower() == "changetype":
            self.change_names.add(name)
            self.entry(record)  # refuses it
        found = "" if self.schema.is_ignored(text) else self._canonical(text, record)
        self.names[name] = found
        self.pools[name] = {}
        return found

    def _canonical(self, text: str, record: Record) -> str:
        attr = RawAttr(text, 0, [], is_list=False)
        canonical = self._as_read(record, lambda: register_name(attr, {}, "", self.schema))
        # Judged as spelled for the schema, as `import` judges it: `OID.2.5.4.3` is cn.
        if not ATTRIBUTE_NAME.fullmatch(canonical):
            raise LdifctlError(
                f"{self.where}:{record.line}: {text!r} is not an LDAP attribute name: rename it"
            )
        return canonical

    def _values(self, found: Values, canonical: str, name: bytes, record: Record) -> Values:
        """The values, checked as an entry file's list is: none twice under the equality
        rule, none empty that the syntax refuses."""
        if all(found):  # the usual list: its keys, distinct, are the whole check
            keys = set(map(self.schema.normaliser(canonical), found))
            if len(keys) == len(found):
                return found
        raw = RawAttr(name.decode(), 0, [RawValue(v, 0) for v in found], True)
        return self._as_read(record, lambda: checked_values(raw, canonical, "", self.schema))

    def _as_read(self, record: Record, check: Callable[[], T]) -> T:
        """An entry file's check, its error placed at the record (build.py's checks are
        given no file and line 0, as `import` gives them: `:0: ` leads their message)."""
        try:
            return check()
        except LdifctlError as err:
            message = str(err).partition(": ")[2]
            raise LdifctlError(f"{self.where}:{record.line}: {message}") from None
