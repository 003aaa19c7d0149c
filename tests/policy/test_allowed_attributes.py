"""schema/allowed-attributes: an attribute none of an entry's object classes allows is
refused before `apply`, where slapd stopped it mid-run: `Object class violation (65):
attribute 'mailAlias' not allowed`. Against the real servers: test_allowed_attributes_slapd.py
and tests/model/test_object_classes.py."""

from __future__ import annotations

import pytest

from ldifctl.model.findings import Finding
from ldifctl.model.schema import AttributeType, Schema, build_schema
from ldifctl.model.snapshot import Entry, Origin
from ldifctl.policy import allowed_attributes
from ldifctl.policy.allowed_attributes import RULE, AllowedAttributes
from ldifctl.policy.structure import STRUCTURE_RULES, entry_checks

SCHEMA = build_schema()
DN = "cn=user.example,ou=people,dc=example,dc=net"
FILE = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"
MAILBOX = ("inetOrgPerson", "mailRecipient")


def entry(classes: tuple[str, ...], **attrs: str) -> Entry:
    values = {"objectClass": tuple(c.encode() for c in classes), "cn": (b"user.example",)}
    values |= {k.replace("__", ";"): (v.encode(),) for k, v in attrs.items()}
    lines = {name.lower(): n for n, name in enumerate(values, start=2)}
    return Entry(DN, values, Origin(FILE, 1, lines))


def refused(found: Entry, schema: Schema = SCHEMA) -> list[str]:
    return [f.message for f in AllowedAttributes(schema)(found)]


def test_an_attribute_no_class_allows_is_an_error_naming_a_class_that_does() -> None:
    assert AllowedAttributes(SCHEMA)(entry(MAILBOX, mailAlias="x@domain.ro")) == [
        Finding(
            f"{FILE}:4",
            "schema/allowed-attributes",
            "error",
            DN,
            "mailAlias is allowed by none of the entry's object classes (inetOrgPerson, "
            "mailRecipient): add objectClass PostfixBookMailAccount, which allows it, or "
            "remove mailAlias",
        )
    ]


def test_the_entry_with_the_class_is_fine() -> None:
    classes = (*MAILBOX, "PostfixBookMailAccount")
    assert refused(entry(classes, mail="a@domain.ro", mailAlias="x@domain.ro")) == []


def test_several_attributes_are_one_finding_for_the_entry() -> None:
    found = entry(("person",), uidNumber="1", mailAlternateAddress="a@x", mailAlias="b@x")
    assert refused(found) == [
        "mailAlias, mailAlternateAddress, uidNumber are allowed by none of the entry's "
        "object classes (person): add objectClass PostfixBookMailAccount (for mailAlias) "
        "and mailRecipient (for mailAlternateAddress) and posixAccount (for uidNumber), "
        "or remove them"
    ]


def test_a_type_no_known_class_allows_is_to_be_removed() -> None:
    schema = build_schema({"sitenumber": AttributeType("siteNumber", "integerMatch")})
    assert refused(entry(MAILBOX, siteNumber="7"), schema) == [
        "siteNumber is allowed by none of the entry's object classes (inetOrgPerson, "
        "mailRecipient): remove siteNumber"
    ]


@pytest.mark.parametrize(
    "attrs",
    [
        {"description": "superior: person", "telephoneNumber": "+1 555", "ou": "x"},
        {"surname": "an alias", "commonName": "another"},
        {"2.5.4.13": "description by its OID", "cn__lang-de": "an option"},
        {"mailForwardingAddress": "a@x", "mailHost": "h"},  # mailRecipient's
    ],
)
def test_allowed_through_superiors_in_any_spelling(attrs: dict[str, str]) -> None:
    assert refused(entry(MAILBOX, **attrs)) == []


@pytest.mark.parametrize(
    ("classes", "why"),
    [
        ((*MAILBOX, "extensibleObject"), "any attribute"),
        ((*MAILBOX, "siteAccount"), "a site's class may allow it"),
        (("INETORGPERSON", "mailrecipient", "sitemailbox"), "unknown, in any case"),
        ((), "no class: structure/objectclass's"),
    ],
)
def test_entries_ldifctl_cannot_judge_are_not_judged(classes: tuple[str, ...], why: str) -> None:
    assert refused(entry(classes, mailAlias="x@domain.ro", uidNumber="1")) == [], why


@pytest.mark.parametrize(
    "name",
    ["createTimestamp", "entryUUID", "userPassword", "2.5.4.35", "siteAttribute", "aci"],
)
def test_operational_secret_and_unknown_types_are_not_judged(name: str) -> None:
    """Never written (operational, secret), or a type 389 may hold as operational on any
    entry (nsSizeLimit) that ldifctl cannot tell from a typo."""
    assert refused(entry(("groupOfNames",), member=DN, **{name: "x"})) == []


def test_ignored_types_are_not_judged() -> None:
    schema = build_schema(ignore=["mailAlias"])
    assert refused(entry(MAILBOX, mailAlias="x@domain.ro"), schema) == []


def test_what_either_server_allows_is_allowed() -> None:
    """389 takes nsAccountLock (operational there) on any entry; its groupOfNames takes
    member as MAY, slapd's as MUST."""
    assert refused(entry(("groupOfNames",), member=DN, nsAccountLock="true")) == []


def test_object_class_is_always_allowed() -> None:
    found = Entry("dc=x", {"objectClass": (b"top",), "dc": (b"x",)})
    assert refused(found) == [
        "dc is allowed by none of the entry's object classes (top): add objectClass "
        "dcObject, which allows it, or remove dc"
    ]


def test_each_class_list_is_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """100k entries share a handful of class lists: what a list allows is not built again
    for each entry (the cost of an entry is a look-up per attribute)."""
    schema = build_schema()
    asked: list[str] = []
    real = schema.superiors

    def superiors(object_class: str) -> list[str]:
        asked.append(object_class)
        return real(object_class)

    monkeypatch.setattr(schema, "superiors", superiors)
    check = AllowedAttributes(schema)
    lists = [MAILBOX, (*MAILBOX, "PostfixBookMailAccount"), ("inetOrgPerson", "mailrecipient")]
    for n in range(3000):
        assert check(entry(lists[n % 3], mail=f"u{n}@domain.ro", description="d")) == []
    assert len(asked) == 2 + 3  # the third list is the first in another case: one answer


def test_spellings_of_one_list_share_one_answer_and_the_lists_kept_are_bounded() -> None:
    """100k entries, each spelling one list otherwise, took 500 MB as as many answers."""
    check = AllowedAttributes(SCHEMA)
    spellings = [
        ("inetOrgPerson", "mailRecipient", "".join(
            c.upper() if n >> i & 1 else c for i, c in enumerate("postfixbookmailaccount")
        ))
        for n in range(6000)
    ]
    for classes in spellings:
        assert check(entry(classes, mailAlias="x@domain.ro")) == []
    assert len(check._sets) == 1
    assert len(check._lists) <= allowed_attributes.MAX_LISTS + 1


def test_it_is_a_structure_check_of_each_entry() -> None:
    assert RULE in STRUCTURE_RULES
    found = entry_checks(SCHEMA)(entry(MAILBOX, mailAlias="x@domain.ro"))
    assert [(f.rule, f.where) for f in found] == [(RULE, f"{FILE}:4")]
