"""Structure and schema rules every entry must meet before a server would take it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ldifctl import dn as dnmod
from ldifctl.findings import Finding
from ldifctl.model import Entry
from ldifctl.schema import Schema

_INTEGER = re.compile(rb"-?[0-9]+\Z")
_IA5_RULES = ("caseIgnoreIA5Match", "caseExactIA5Match")


def check_entries(
    entries: Iterable[Entry],
    schema: Schema,
    base_dns: Iterable[str],
    has_entry: Callable[[str], bool],
    directory: str = "directory",
) -> list[Finding]:
    """`directory` is how the entry folder is named in hints (`add directory/…/ou=x.yaml`)."""
    bases = [schema.dn_key(b) for b in base_dns]
    findings: list[Finding] = []
    for entry in entries:
        findings += _placement(entry, schema, bases, has_entry, directory)
        findings += _rdn(entry, schema)
        findings += _values(entry, schema)
    return sorted(findings)


def _finding(entry: Entry, rule: str, message: str, attribute: str | None = None) -> Finding:
    return Finding(entry.where(attribute), rule, "error", entry.dn, message)


def _placement(
    entry: Entry,
    schema: Schema,
    bases: list[dnmod.DnKey],
    has_entry: Callable[[str], bool],
    directory: str,
) -> list[Finding]:
    key = schema.dn_key(entry.dn)
    if not any(dnmod.is_within(key, b) for b in bases):
        return [
            _finding(
                entry,
                "structure/outside-base",
                f"{entry.dn} is outside base_dn: move it below a base_dn of ldifctl.yaml",
            )
        ]
    parent = dnmod.parent(entry.dn)
    if key in bases or has_entry(parent):
        return []
    return [
        _finding(
            entry,
            "structure/missing-parent",
            f"parent entry {parent} does not exist: add {directory}/{dnmod.to_relpath(parent)}",
        )
    ]


def _rdn(entry: Entry, schema: Schema) -> list[Finding]:
    findings = []
    for attr, value in dnmod.rdn_values(entry.dn):
        norm = schema.normaliser(attr)
        if norm(value.encode()) not in {norm(v) for v in entry.get(attr)}:
            findings.append(
                _finding(
                    entry,
                    "structure/rdn-value",
                    f"the RDN value {attr}={value} is not among the entry's {attr} values: add it",
                )
            )
    if not entry.get("objectClass"):
        findings.append(
            _finding(entry, "structure/objectclass", "the entry has no objectClass: add one")
        )
    return findings


def _values(entry: Entry, schema: Schema) -> list[Finding]:
    findings = []
    for name, values in entry.attrs.items():
        attr = schema.attribute(name)
        if attr.single_value and len(values) > 1:
            findings.append(
                _finding(
                    entry,
                    "schema/single-value",
                    f"{name} is single-valued but has {len(values)} values: keep one",
                    name,
                )
            )
        findings += [
            _finding(entry, "schema/syntax", msg, name)
            for v in values
            if (msg := _syntax_error(name, attr.equality, v))
        ]
    return findings


def _syntax_error(name: str, rule: str, value: bytes) -> str | None:
    if rule == "booleanMatch" and value not in (b"TRUE", b"FALSE"):
        return f"{name} must be TRUE or FALSE (upper case), not {value.decode(errors='replace')!r}"
    if rule == "integerMatch" and not _INTEGER.match(value):
        return f"{name} must be an integer, not {value.decode(errors='replace')!r}"
    if rule in _IA5_RULES and not value.isascii():
        return f"{name} takes ASCII only (IA5String): {value.decode(errors='replace')!r}"
    return None
