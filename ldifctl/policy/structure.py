"""Structure and schema rules every entry must meet before a server would take it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ldifctl.model import dn as dnmod
from ldifctl.model import entry_paths
from ldifctl.model.findings import Finding
from ldifctl.model.schema import Normalised, Schema
from ldifctl.model.snapshot import Entry, Snapshot, Values
from ldifctl.policy import allowed_attributes, attribute_types

_INTEGER = re.compile(rb"-?[0-9]+\Z")
_IA5_RULES = ("caseIgnoreIA5Match", "caseExactIA5Match")
# Every rule the structure checks report, and repo/tree_index.py's DUPLICATE_DN (this
# layer may not import it).
STRUCTURE_RULES = frozenset({
    "structure/outside-base", "structure/missing-parent", "structure/rdn-value",
    "structure/objectclass", "schema/single-value", "schema/syntax", "structure/duplicate-dn",
    allowed_attributes.RULE, attribute_types.UNKNOWN_RULE, attribute_types.BINARY_RULE,
})
_CHECKED_RULES = {"booleanMatch", "integerMatch", *_IA5_RULES}  # what _syntax_error checks


def _all_ascii(values: Values) -> bool:
    return all(map(bytes.isascii, values))


# Do all the values of an attribute pass its rule's syntax check? Asked of each attribute
# of 100k entries at C speed; `_syntax_error` looks at each value only where one fails.
_ALL_FINE: dict[str, Callable[[Values], bool]] = {
    "booleanMatch": frozenset({b"TRUE", b"FALSE"}).issuperset,
    "integerMatch": lambda values: all(map(_INTEGER.match, values)),
    **dict.fromkeys(_IA5_RULES, _all_ascii),
}


def check_entries(
    entries: Iterable[Entry],
    schema: Schema,
    base_dns: Iterable[str],
    has_entry: Callable[[str], bool],
    directory: str = "directory",
    repo: bool = True,
    each: Callable[[Entry], list[Finding]] | None = None,
) -> list[Finding]:
    """`directory` is how the entry folder is named in hints (`add directory/…/ou=x.yaml`).
    Unless `repo` (the state is entry files), entries outside base_dn are not judged:
    the repo holds base_dn only, an LDIF dump may hold more. `each` replaces the checks
    of one entry alone (`entry_checks`), when they ran already (as each file was parsed).

    Given a Snapshot, its DN keys answer "is the parent among them?" before `has_entry`
    is asked with the parent's DN text.
    """
    bases = [schema.dn_key(b) for b in base_dns]
    findings: list[Finding] = []
    if isinstance(entries, Snapshot):
        pairs: Iterable[tuple[dnmod.DnKey, Entry]] = entries.items()
        has_key: Callable[[dnmod.DnKey], bool] = entries.__contains__
    else:
        pairs = ((schema.dn_key(e.dn), e) for e in entries)
        has_key = _never
    alone = entry_checks(schema) if each is None else each
    # 100k entries have a few parents: whether a parent is below a base and is there is
    # asked once for all its children (an entry is below a base if it is one, or its
    # parent is below one).
    parents: dict[dnmod.DnKey, tuple[bool, bool]] = {}
    for key, entry in pairs:
        parent = key[1:]
        known = parents.get(parent)
        if known is None:
            below = any(dnmod.is_within(parent, b) for b in bases)
            known = parents[parent] = (below, below and has_key(parent))
        inside = known[0] or key in bases
        if not repo and not inside:
            continue
        if not (known[1] or (inside and key in bases)):  # else nothing to say of its place
            findings += _placement(entry, key, inside, bases, has_entry, has_key, directory)
        findings += alone(entry)
    return sorted(findings)


def entry_checks(schema: Schema) -> Callable[[Entry], list[Finding]]:
    """The checks of an entry on its own (its RDN, its values), whatever else the state
    holds: they can run where the entry is parsed."""
    checked, allowed = _Values(schema), allowed_attributes.AllowedAttributes(schema)
    types = attribute_types.AttributeTypes(schema)
    return lambda entry: _rdn(entry, schema) + checked(entry) + allowed(entry) + types(entry)


def keyed_checks(
    schema: Schema, base_dns: Iterable[str], repo: bool = True
) -> Callable[[dnmod.DnKey, Entry], list[Finding]]:
    """`entry_checks` of an entry given its DN key: as `check_entries` runs them, of
    every entry, or unless `repo` only of those below a base DN."""
    alone = entry_checks(schema)
    if repo:
        return lambda key, entry: alone(entry)
    bases = [schema.dn_key(b) for b in base_dns]
    return lambda key, entry: (
        alone(entry) if any(dnmod.is_within(key, b) for b in bases) else []
    )


def _never(key: dnmod.DnKey) -> bool:
    return False


def _finding(entry: Entry, rule: str, message: str, attribute: str | None = None) -> Finding:
    return Finding(entry.where(attribute), rule, "error", entry.dn, message)


def _placement(
    entry: Entry,
    key: dnmod.DnKey,
    inside: bool,  # below a base DN
    bases: list[dnmod.DnKey],
    has_entry: Callable[[str], bool],
    has_key: Callable[[dnmod.DnKey], bool],
    directory: str,
) -> list[Finding]:
    if not inside:
        return [
            _finding(
                entry,
                "structure/outside-base",
                f"{entry.dn} is outside base_dn: move it below a base_dn of ldifctl.yaml",
            )
        ]
    if key in bases or has_key(key[1:]):
        return []
    parent = dnmod.parent(entry.dn)
    if has_entry(parent):
        return []
    return [
        _finding(
            entry,
            "structure/missing-parent",
            f"parent entry {parent} does not exist: add "
            f"{directory}/{entry_paths.to_relpath(parent)}",
        )
    ]


def _rdn(entry: Entry, schema: Schema) -> list[Finding]:
    findings = []
    for attr, value in dnmod.rdn_values(entry.dn):
        # The DN may name the type by an alias or OID (`commonName=x`, `2.5.4.3=x`);
        # the entry's attributes go by the schema's name (`cn`).
        name = schema.canonical_name(attr)
        if not _among(value.encode(), entry.get(name), schema.normaliser(attr)):
            findings.append(
                _finding(
                    entry,
                    "structure/rdn-value",
                    f"the RDN value {attr}={value} is not among the entry's {name} values: add it",
                )
            )
    if not entry.get("objectClass"):
        findings.append(
            _finding(entry, "structure/objectclass", "the entry has no objectClass: add one")
        )
    return findings


def _among(value: bytes, values: Values, norm: Callable[[bytes], Normalised]) -> bool:
    """Is `value` one of `values` under the attribute's equality rule? It is most often
    written as in the DN (`uid=jdoe`, `uid: jdoe`): equal under any rule, as it is."""
    return value in values or norm(value) in {norm(v) for v in values}


class _Values:
    """Single-valued attributes and value syntax. What an attribute's type asks is worked
    out once per attribute name, not once per value."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.types: dict[str, tuple[bool, str | None]] = {}

    def __call__(self, entry: Entry) -> list[Finding]:
        findings = []
        for name, values in entry.attrs.items():
            found = self.types.get(name)
            if found is None:
                attr = self.schema.attribute(name)
                checked = attr.equality if attr.equality in _CHECKED_RULES else None
                found = self.types[name] = (attr.single_value, checked)
            single, rule = found
            if single and len(values) > 1:
                findings.append(
                    _finding(
                        entry,
                        "schema/single-value",
                        f"{name} is single-valued but has {len(values)} values: keep one",
                        name,
                    )
                )
            if rule is not None and not _ALL_FINE[rule](values):
                findings += [
                    _finding(entry, "schema/syntax", msg, name)
                    for v in values
                    if (msg := _syntax_error(name, rule, v))
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
