"""Attribute types and their equality rules: how LDAP decides two values are the same."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ldifctl import dn as dnmod
from ldifctl.schema_data import ATTRIBUTE_TABLE, OBJECT_CLASS_TABLE, OPERATIONAL_ATTRIBUTES

Normalised = object


def _text(value: bytes) -> str | None:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _squash(text: str) -> str:
    # X.520 "insignificant space handling": outer spaces dropped, inner runs count as one.
    if "  " not in text and text == text.strip(" "):
        return text
    return " ".join(part for part in text.split(" ") if part)


def _case_ignore(value: bytes) -> Normalised:
    if value.isascii():
        # ASCII needs no NFKC, and casefold() equals lower() there: the common case, fast.
        return _squash(value.decode("ascii")).lower()
    text = _text(value)
    return value if text is None else unicodedata.normalize("NFKC", _squash(text)).casefold()


def _case_exact(value: bytes) -> Normalised:
    text = _text(value)
    return value if text is None else unicodedata.normalize("NFKC", _squash(text))


def _case_ignore_list(value: bytes) -> Normalised:
    text = _text(value)
    return value if text is None else tuple(_squash(p).casefold() for p in text.split("$"))


def _integer(value: bytes) -> Normalised:
    try:
        return int(value.strip())
    except ValueError:
        return value


def _boolean(value: bytes) -> Normalised:
    return value.upper()


def _octet(value: bytes) -> Normalised:
    return value


def _telephone(value: bytes) -> Normalised:
    text = _text(value)
    return value if text is None else text.replace(" ", "").replace("-", "").casefold()


def _numeric(value: bytes) -> Normalised:
    return value.replace(b" ", b"")


def _oid(value: bytes) -> Normalised:
    return value.strip().lower()


RULES: dict[str, Callable[[bytes], Normalised]] = {
    "caseIgnoreMatch": _case_ignore,
    "caseIgnoreIA5Match": _case_ignore,
    "caseIgnoreListMatch": _case_ignore_list,
    "caseExactMatch": _case_exact,
    "caseExactIA5Match": _case_exact,
    "integerMatch": _integer,
    "booleanMatch": _boolean,
    "octetStringMatch": _octet,
    "telephoneNumberMatch": _telephone,
    "numericStringMatch": _numeric,
    "objectIdentifierMatch": _oid,
    "generalizedTimeMatch": _octet,
    "distinguishedNameMatch": _octet,  # replaced per Schema: it needs the schema itself
    "uniqueMemberMatch": _octet,
    "none": _octet,
}


@dataclass(frozen=True)
class AttributeType:
    name: str
    equality: str
    single_value: bool = False

    @property
    def has_equality(self) -> bool:
        """Without an equality rule the server cannot delete one value: use replace."""
        return self.equality != "none"


@dataclass(frozen=True)
class ObjectClass:
    name: str
    kind: str
    superior: str | None
    must: tuple[str, ...]


def _parse_attribute_table(table: str) -> list[tuple[list[str], AttributeType]]:
    rows = []
    for line in table.strip().splitlines():
        names, rule, single = line.split()
        aliases = names.split(",")
        rows.append((aliases, AttributeType(aliases[0], rule, single == "s")))
    return rows


def _parse_object_class_table(table: str) -> dict[str, ObjectClass]:
    classes = {}
    for line in table.strip().splitlines():
        name, kind, sup, must = line.split()
        musts = () if must == "-" else tuple(must.split(","))
        classes[name.lower()] = ObjectClass(name, kind, None if sup == "-" else sup, musts)
    return classes


@dataclass
class Schema:
    """What ldifctl knows about attributes: canonical names, equality rules, ignored ones."""

    attributes: dict[str, AttributeType] = field(default_factory=dict)
    object_classes: dict[str, ObjectClass] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()
    # Every entry of a 100k tree shares its parents' RDNs: normalise each one once.
    _dn_keys: dict[str, dnmod.DnKey] = field(default_factory=dict, repr=False, compare=False)
    _rdn_keys: dict[object, dnmod.RdnKey] = field(default_factory=dict, repr=False, compare=False)
    _attribute_cache: dict[str, AttributeType] = field(
        default_factory=dict, repr=False, compare=False
    )
    _normalisers: dict[str, Callable[[bytes], Normalised]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _spellings: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def attribute(self, name: str) -> AttributeType:
        found = self._attribute_cache.get(name)
        if found is None:
            base = name.split(";", 1)[0]
            known = self.attributes.get(base.lower())
            found = known if known is not None else AttributeType(base, "octetStringMatch")
            self._attribute_cache[name] = found
        return found

    def canonical_name(self, name: str) -> str:
        """Schema spelling of the type; options (`;lang-de`) lower-cased and sorted: they
        are an unordered set (RFC 4512 2.5), and slapd prints them sorted."""
        found = self._spellings.get(name)
        if found is None:
            base, *options = name.split(";")
            known = self.attributes.get(base.lower())
            spelled = known.name if known is not None else base
            found = ";".join([spelled, *sorted({o.lower() for o in options})])
            self._spellings[name] = found
        return found

    def is_ignored(self, name: str) -> bool:
        return name.split(";", 1)[0].lower() in self.ignored

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
            found = self._dn_keys[dn] = tuple(self._rdn_key(rdn) for rdn in dnmod.parse(dn))
        return found

    def _rdn_key(self, rdn: tuple[tuple[str, str, int], ...]) -> dnmod.RdnKey:
        found = self._rdn_keys.get(rdn)
        if found is None:
            found = self._rdn_keys[rdn] = dnmod.rdn_key(rdn, self._rdn_value)
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
        text = _text(value)
        try:
            return value if text is None else self.dn_key(text)
        except dnmod.DnError:
            return value


@lru_cache(maxsize=1)
def _builtin_rows() -> tuple[tuple[str, AttributeType], ...]:
    return tuple(
        (alias.lower(), attr)
        for aliases, attr in _parse_attribute_table(ATTRIBUTE_TABLE)
        for alias in aliases
    )


def build_schema(
    extra: Mapping[str, AttributeType] | None = None, ignore: Iterable[str] = ()
) -> Schema:
    """The built-in schema plus `ldifctl.yaml`'s `attributes:`; operational attributes ignored."""
    attributes = dict(_builtin_rows())
    for name, attr in (extra or {}).items():
        attributes[name.lower()] = attr
    ignored = {a.lower() for a in OPERATIONAL_ATTRIBUTES} | {a.lower() for a in ignore}
    return Schema(attributes, _parse_object_class_table(OBJECT_CLASS_TABLE), frozenset(ignored))
