"""ldifctl's equality rule of every attribute type is the one a real slapd has: none where
slapd has none, following SUP. A type without EQUALITY in slapd's schema cannot lose one
value (Inappropriate matching, 18) nor be asserted (Undefined): once `nisNetgroupTriple`
had caseIgnoreIA5Match here, and every apply that touched it failed, re-run after re-run.
389-DS derives a rule from the syntax where its schema declares none, so slapd decides."""

from __future__ import annotations

import ldap
import ldap.schema
import pytest
import servers

from ldifctl.model.schema import RULES, build_schema

SCHEMA = build_schema()
# Kept by the server or by cn=config alone: never under a base_dn ldifctl manages.
NOT_USER_DATA = ("olc",)
# A rule ldifctl does not model, approximated by a stricter one that holds as many values
# apart or more: octetStringMatch for certificateExactMatch (serial and issuer only).
APPROXIMATED = {"certificateExactMatch": "octetStringMatch"}


@pytest.fixture(scope="module")
def slapd_types(slapd: servers.LdapServer) -> dict[str, str | None]:
    """Every user attribute type slapd defines, by each name and OID -> its equality rule."""
    with slapd.bind() as conn:
        [(_, entry)] = conn.search_s("cn=Subschema", ldap.SCOPE_BASE, attrlist=["+"])
    subschema = ldap.schema.SubSchema(entry)
    types: dict[str, str | None] = {}
    for oid in subschema.listall(ldap.schema.AttributeType):
        found = subschema.get_obj(ldap.schema.AttributeType, oid)
        if found.usage != 0 or found.names[0].startswith(NOT_USER_DATA):
            continue
        rule = subschema.get_inheritedattr(ldap.schema.AttributeType, oid, "equality")
        for key in (oid, *found.names):
            types[key] = rule
    return types


def test_slapd_defines_what_the_check_needs(slapd_types: dict[str, str | None]) -> None:
    # Inherited: `name` has its own rule, `cn` has SUP name and none of its own.
    assert slapd_types["cn"] == slapd_types["2.5.4.3"] == "caseIgnoreMatch"
    assert slapd_types["nisNetgroupTriple"] is None


def test_a_type_has_an_equality_rule_exactly_where_slapd_has_one(
    slapd_types: dict[str, str | None],
) -> None:
    differ = {
        name: (SCHEMA.attribute(name).equality, rule)
        for name, rule in slapd_types.items()
        if SCHEMA.attribute(name).has_equality != (rule is not None)
    }
    assert differ == {}


def test_a_known_type_has_the_rule_slapd_has(slapd_types: dict[str, str | None]) -> None:
    differ = {
        name: (SCHEMA.attribute(name).equality, rule)
        for name, rule in slapd_types.items()
        if rule is not None
        and SCHEMA.knows(name)
        and SCHEMA.attribute(name).equality != APPROXIMATED.get(rule, rule)
    }
    assert differ == {}
    assert set(APPROXIMATED.values()) <= RULES.keys()


@pytest.mark.parametrize(
    "name", ["nisNetgroupTriple", "bootParameter", "mailPreferenceOption", "otherMailbox"]
)
def test_types_slapd_cannot_match_are_replaced_whole(name: str) -> None:
    assert SCHEMA.attribute(name).equality == "none"
    assert SCHEMA.knows(name)


@pytest.fixture(scope="module")
def slapd_single(slapd: servers.LdapServer) -> dict[str, bool]:
    """Every user attribute type slapd defines, by name -> whether it is SINGLE-VALUE."""
    with slapd.bind() as conn:
        [(_, entry)] = conn.search_s("cn=Subschema", ldap.SCOPE_BASE, attrlist=["+"])
    subschema = ldap.schema.SubSchema(entry)
    single: dict[str, bool] = {}
    for oid in subschema.listall(ldap.schema.AttributeType):
        found = subschema.get_obj(ldap.schema.AttributeType, oid)
        if found.usage == 0 and not found.names[0].startswith(NOT_USER_DATA):
            single[found.names[0]] = bool(found.single_value)
    return single


def test_a_known_type_is_single_valued_exactly_where_slapd_s_is(
    slapd_single: dict[str, bool],
) -> None:
    """Single-valued here and not there, a second value is refused that slapd takes; the
    other way, slapd refuses the write (19) that a plan made."""
    differ = {
        name: (SCHEMA.attribute(name).single_value, single)
        for name, single in slapd_single.items()
        if SCHEMA.knows(name) and SCHEMA.attribute(name).single_value != single
    }
    assert differ == {}
