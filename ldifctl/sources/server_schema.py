"""The server's own subschema, read by `import --from-server` on the connection that read
the entries (another could reach another server of a `server.uri` list, and bind again),
for the types of its entries that ldifctl does not know: the equality rule and
SINGLE-VALUE each is given there, as `attributes:` of ldifctl.yaml declares them
(site_types.py prints them).

Nothing is invented: a type the schema does not define, or whose rule ldifctl does not
compare by, is said to be so. An equality rule may come from a superior type (SUP): at
most MAX_SUPERIORS are followed, since a broken schema may name a circle of them. Rule
names are printed only as ldifctl spells them or as plain descriptors.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

import ldap
from ldap.schema.models import AttributeType, MatchingRule

from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import RULES
from ldifctl.sources import connection
from ldifctl.sources.site_types import DESCRIPTOR, Definition

MAX_SUPERIORS = 8
_KNOWN_RULES = {rule.lower(): rule for rule in RULES if rule != "none"}
# The rules ldifctl compares by, by their OIDs (RFC 4517): a type may name its rule by
# OID where the server lists no matchingRules for it.
RULE_OIDS = {
    "2.5.13.0": "objectIdentifierMatch", "2.5.13.1": "distinguishedNameMatch",
    "2.5.13.2": "caseIgnoreMatch", "2.5.13.5": "caseExactMatch",
    "2.5.13.8": "numericStringMatch", "2.5.13.11": "caseIgnoreListMatch",
    "2.5.13.13": "booleanMatch", "2.5.13.14": "integerMatch", "2.5.13.17": "octetStringMatch",
    "2.5.13.20": "telephoneNumberMatch", "2.5.13.23": "uniqueMemberMatch",
    "2.5.13.27": "generalizedTimeMatch", "1.3.6.1.4.1.1466.109.114.1": "caseExactIA5Match",
    "1.3.6.1.4.1.1466.109.114.2": "caseIgnoreIA5Match",
}
# Not the whole subschema: object classes and syntaxes say nothing ldifctl.yaml declares.
_WANTED = ["attributeTypes", "matchingRules"]
# What python-ldap's parser raises on a definition it cannot read.
_UNREADABLE = (ValueError, IndexError, AssertionError)
_Element = TypeVar("_Element", AttributeType, MatchingRule)


def read(conn: connection.Connection) -> dict[str, list[bytes]] | str:
    """The subschema subentry's attributeTypes and matchingRules, or why they could not be
    read: that is said only if some type needs them, and never fails the import."""
    try:
        return _subschema(conn.ldap)
    except ldap.LDAPError as err:
        return f"{conn.uri}: {connection.describe(err)}"
    except LdifctlError as err:
        return str(err)


def from_subschema(entry: Mapping[str, list[bytes]], names: Iterable[str]) -> dict[str, Definition]:
    """Each type as a subschema subentry's attributeTypes and matchingRules define it."""
    values = {k.lower(): v for k, v in entry.items()}
    types = _types(values.get("attributetypes", []))
    rules = _rule_names(values.get("matchingrules", []))
    return {name: _definition(name, types, rules) for name in names}


def _subschema(handle: Any) -> dict[str, list[bytes]]:
    where = handle.search_subschemasubentry_s()
    found = where and handle.read_subschemasubentry_s(where, _WANTED)
    if not found:
        raise LdifctlError("the server shows no subschema subentry to the bind DN")
    return dict(found)


def _types(values: list[bytes]) -> dict[str, AttributeType]:
    """Each readable definition under its OID and its names, in lower case."""
    found: dict[str, AttributeType] = {}
    for parsed in _readable(AttributeType, values):
        for key in (parsed.oid, *parsed.names):
            found.setdefault(str(key).lower(), parsed)
    return found


def _rule_names(values: list[bytes]) -> dict[str, str]:
    """A matching rule's OID and each of its names -> the name to declare it by: the one
    ldifctl knows by that OID, else a name of the rule ldifctl compares by (`( 1.9.9
    NAME ( 'ciMatch' 'caseIgnoreMatch' ) )`), else its first. A type names its rule by
    OID or by any of its names."""
    found = dict(RULE_OIDS)
    for rule in reversed(list(_readable(MatchingRule, values))):
        names = [str(n) for n in rule.names]
        known = [n for n in names if n.lower() in _KNOWN_RULES]
        chosen = RULE_OIDS.get(str(rule.oid)) or next(iter(known + names), None)
        if chosen:
            found.update((key.lower(), chosen) for key in (str(rule.oid), *names))
    return found


def _readable(kind: type[_Element], values: list[bytes]) -> Iterator[_Element]:
    """The definitions python-ldap's parser reads; a type of one it cannot read is then
    one the schema does not define, and is said to be so."""
    for value in filter(None, values):
        with contextlib.suppress(*_UNREADABLE):
            yield kind(value)


def _definition(name: str, types: dict[str, AttributeType], rules: dict[str, str]) -> Definition:
    defined = types.get(name.lower())
    if defined is None:
        return Definition(problem="the server's schema does not define it: nothing to declare")
    single, step = bool(defined.single_value), defined
    for _ in range(MAX_SUPERIORS + 1):
        if step.equality:
            return _declared(str(step.equality), single, rules)
        if not step.sup:
            return Definition("none", single)
        step = types.get(str(step.sup[0]).lower())
        if step is None:
            return Definition(problem="a superior type of it is not in the server's schema")
    return Definition(
        problem=f"its equality rule comes through more than {MAX_SUPERIORS} superior types "
        "(a circle, maybe): not followed"
    )


def _declared(rule: str, single: bool, rules: dict[str, str]) -> Definition:
    named = rules.get(rule.lower(), rule)
    if known := _KNOWN_RULES.get(named.lower()):
        return Definition(known, single)
    if not DESCRIPTOR.fullmatch(named):
        return Definition(problem="its equality rule is named by no plain LDAP descriptor "
                          "(not shown): see the server's schema")
    return Definition(problem=f"its equality rule is {named}, which ldifctl does not compare "
                      "values by: name it under ignore_attributes, or leave it out of the repo")
