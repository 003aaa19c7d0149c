"""Attribute types and object classes: names, OIDs, and the equality rule of each type
(the object classes themselves: object_classes.py)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ldifctl.model import dn as dnmod
from ldifctl.model.matching_rules import RULES as RULES
from ldifctl.model.matching_rules import Normalised as Normalised
from ldifctl.model.matching_rules import text_of
from ldifctl.model.object_classes import (
    OBJECT_CLASS_TABLE,
    ObjectClass,
    parse_object_class_table,
)
from ldifctl.model.schema_data import ATTRIBUTE_TABLE, OPERATIONAL_ATTRIBUTES, OTHER_OIDS

# RFC 4512 `attributedescription`: a name or numeric OID, then `;options`.
# Possessive: a name has one way to match, and a 16 MiB key of options (`cn;a;a;...`)
# would otherwise keep backtracking state per repetition.
ATTRIBUTE_NAME = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9-]*+|[0-9]++(?:\.[0-9]++)++)(?:;[A-Za-z0-9-]++)*+"
)
# Secrets never enter the repo, even when the source holds them.
NEVER_WRITTEN = frozenset({"userpassword"})


@dataclass(frozen=True)
class AttributeType:
    name: str
    equality: str
    single_value: bool = False

    @property
    def has_equality(self) -> bool:
        """Without an equality rule the server cannot delete one value: use replace."""
        return self.equality != "none"


def _parse_attribute_table(table: str) -> list[tuple[list[str], AttributeType]]:
    """Each type under its OID and every name it has."""
    rows = []
    for line in table.strip().splitlines():
        oid, names, rule, single = line.split()
        aliases = names.split(",")
        rows.append(([oid, *aliases], AttributeType(aliases[0], rule, single == "s")))
    return rows


def attribute_type(description: str) -> str:
    """The type of an attribute description as written: options dropped, and the `OID.`
    of an old-style numeric OID (RFC 2253's `OID.2.5.4.3`, which python-ldap reads)."""
    base = description.split(";", 1)[0]
    return base[4:] if base[:4].lower() == "oid." and base[4:5].isdigit() else base


@dataclass
class Schema:
    """What ldifctl knows about attributes: canonical names, equality rules, ignored ones."""

    attributes: dict[str, AttributeType] = field(default_factory=dict)
    object_classes: dict[str, ObjectClass] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()
    # Every entry of a 100k tree shares its parents' RDNs: normalise each one once, and
    # key each parent once (by its parsed RDNs), for all the entries below it.
    _dn_keys: dict[str, dnmod.DnKey] = field(default_factory=dict, repr=False, compare=False)
    _rdn_keys: dict[object, dnmod.RdnKey] = field(default_factory=dict, repr=False, compare=False)
    _parent_keys: dict[object, dnmod.DnKey] = field(
        default_factory=dict, repr=False, compare=False
    )
    _attribute_cache: dict[str, AttributeType] = field(
        default_factory=dict, repr=False, compare=False
    )
    _normalisers: dict[str, Callable[[bytes], Normalised]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _spellings: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _types: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # A 100k-entry diff asks for the closure of the same few class lists 400k times.
    _closures: dict[tuple[bytes, ...], frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def attribute(self, name: str) -> AttributeType:
        """The type of a description (`mail`, `MAIL;lang-de`, `0.9.2342.19200300.100.1.3`)."""
        found = self._attribute_cache.get(name)
        if found is None:
            base = attribute_type(name)
            known = self.attributes.get(base.lower())
            found = known if known is not None else AttributeType(base, "octetStringMatch")
            self._attribute_cache[name] = found
        return found

    def type_key(self, name: str) -> str:
        """What every check compares (secrets, forbidden, ignored): the type's schema name in
        lower case, without options, an alias or OID read as the name it stands for."""
        found = self._types.get(name)
        if found is None:
            # Interned: every DN key holds it, one string for 100k keys (dn.rdn_key).
            found = self._types[name] = sys.intern(self.attribute(name).name.lower())
        return found

    def knows(self, name: str) -> bool:
        """The type is in the schema (built in, or declared in ldifctl.yaml)."""
        return attribute_type(name).lower() in self.attributes

    def canonical_name(self, name: str) -> str:
        """Schema spelling of the type; options (`;lang-de`) lower-cased and sorted: they
        are an unordered set (RFC 4512 2.5), and slapd prints them sorted."""
        found = self._spellings.get(name)
        if found is None:
            options = name.split(";")[1:]
            spelled = self.attribute(name).name
            found = ";".join([spelled, *sorted({o.lower() for o in options})])
            self._spellings[name] = found
        return found

    def is_ignored(self, name: str) -> bool:
        return self.type_key(name) in self.ignored

    def normaliser(self, name: str) -> Callable[[bytes], Normalised]:
        found = self._normalisers.get(name)
        if found is None:
            rule = self.attribute(name).equality
            dn_rule = rule in ("distinguishedNameMatch", "uniqueMemberMatch")
            found = self._normalisers[name] = self._dn_value if dn_rule else RULES[rule]
        return found

    def normalise_value(self, name: str, value: bytes) -> Normalised:
        return self.normaliser(name)(value)

    def dn_key(self, dn: str) -> dnmod.DnKey:
        found = self._dn_keys.get(dn)
        if found is None:
            rdns = dnmod.parse(dn)
            if not rdns:
                return ()
            parent = self._parent_keys.get(rdns[1:])
            if parent is None:
                parent = self._parent_keys[rdns[1:]] = tuple(map(self._rdn_key, rdns[1:]))
            # A leaf RDN is most often one entry's own: normalised, not kept.
            leaf = dnmod.rdn_key(rdns[0], self._rdn_value, self.type_key)
            found = self._dn_keys[dn] = (leaf, *parent)
        return found

    def forget_dn_keys(self) -> None:
        """Let go of the DN keys made so far and of the parsed DNs behind them (80 MB for
        100k DNs): drift, comparing a chunk at a time, needs each only for its chunk."""
        self._dn_keys.clear()
        self._rdn_keys.clear()
        self._parent_keys.clear()
        dnmod.parse.cache_clear()

    def _rdn_key(self, rdn: tuple[tuple[str, str, int], ...]) -> dnmod.RdnKey:
        found = self._rdn_keys.get(rdn)
        if found is None:
            found = self._rdn_keys[rdn] = dnmod.rdn_key(rdn, self._rdn_value, self.type_key)
        return found

    def superiors(self, object_class: str) -> list[str]:
        """The class and every superior (lower-cased), following SUP."""
        chain, seen = [], set()
        current: str | None = object_class.lower()
        while current and current not in seen:
            seen.add(current)
            chain.append(current)
            known = self.object_classes.get(current)
            current = known.superior.lower() if known and known.superior else None
        return chain

    def structural_classes(self, classes: Iterable[str]) -> frozenset[str]:
        return frozenset(
            c.lower()
            for c in classes
            if (oc := self.object_classes.get(c.lower())) and oc.kind == "structural"
        )

    def _rdn_value(self, attr: str, value: str) -> Normalised:
        return self.normaliser(attr)(value.encode("utf-8"))

    def _dn_value(self, value: bytes) -> Normalised:
        text = text_of(value)
        try:
            return value if text is None else self.dn_key(text)
        except dnmod.DnError:
            return value


@lru_cache(maxsize=1)
def _builtin_rows() -> tuple[tuple[str, AttributeType], ...]:
    rows = _parse_attribute_table(ATTRIBUTE_TABLE)
    by_name = {attr.name: attr for _, attr in rows}
    named = [(alias.lower(), attr) for aliases, attr in rows for alias in aliases]
    return (*named, *((oid, by_name[name]) for oid, name in OTHER_OIDS.items()))


def builtin_name(oid: str) -> str | None:
    """The name of the built-in type with this numeric OID; None for anything else."""
    if not oid[:1].isdigit():
        return None
    return next((a.name for key, a in _builtin_rows() if key == oid), None)


def build_schema(
    extra: Mapping[str, AttributeType] | None = None, ignore: Iterable[str] = ()
) -> Schema:
    """The built-in schema plus `ldifctl.yaml`'s `attributes:`; operational attributes ignored."""
    attributes = dict(_builtin_rows())
    for name, attr in (extra or {}).items():
        # A built-in OID always means its type: no declaration turns 2.5.4.35 into another.
        if not (name[:1].isdigit() and name in attributes):
            attributes[name.lower()] = attr
    schema = Schema(attributes, parse_object_class_table(OBJECT_CLASS_TABLE))
    # Compared as types are: `surname` ignores `sn`, `2.5.4.13` ignores `description`.
    schema.ignored = frozenset(schema.type_key(a) for a in [*OPERATIONAL_ATTRIBUTES, *ignore])
    return schema


def is_secret(name: str, schema: Schema) -> bool:
    """By type: `userPassword;lang-en` and `2.5.4.35` are userPassword too."""
    return schema.type_key(name) in NEVER_WRITTEN


def closure(values: Iterable[bytes], schema: Schema) -> frozenset[str]:
    """Object classes with all their superiors: 389 adds them on read, they are not drift."""
    key = values if isinstance(values, tuple) else tuple(values)
    found = schema._closures.get(key)
    if found is None:
        classes = (v.decode("utf-8", "replace") for v in key)
        found = schema._closures[key] = frozenset(c for v in classes for c in schema.superiors(v))
    return found
