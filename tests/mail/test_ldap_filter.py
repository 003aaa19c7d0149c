"""RFC 4515 filters: parsing (with Postfix placeholders) and offline matching."""

from __future__ import annotations

import pytest

from ldifctl.mail.filter_keys import key_atoms, without
from ldifctl.mail.ldap_filter import (
    And,
    Compare,
    FilterError,
    Not,
    Or,
    Present,
    Substrings,
    expand,
    parse,
    placeholders,
)
from ldifctl.mail.ldap_match import attribute_view, compile_filter
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry

SCHEMA = build_schema()
JOHN = Entry(
    "uid=johndoe,ou=Mail,dc=example,dc=net",
    {
        "objectClass": (b"inetOrgPerson", b"PostfixBookMailAccount", b"top"),
        "uid": (b"johndoe",),
        "mail": (b"JohnDoe@Domain1.net",),
        "mailAlias": (b"superjohn@domain2.me", b"j.doe@domain1.net"),
        "mailUidNumber": (b"5000",),
        "mailHomeDirectory": (b"/srv/vmail/domain1.net/johndoe",),
        "cn": (b"John   Doe",),
    },
)


def matches(text: str, entry: Entry = JOHN, **subst: str) -> bool:
    test = compile_filter(parse(text, templated=bool(subst)), SCHEMA)
    return test(attribute_view(entry, SCHEMA), subst)


# --- Parsing.


def test_a_filter_parses_into_its_tree() -> None:
    assert parse("(&(objectClass=dNSDomain)(|(dc=a)(!(dc=b)))(mail=*)(cn=J*o*n))") == And(
        (
            Compare("objectClass", "=", (b"dNSDomain",)),
            Or((Compare("dc", "=", (b"a",)), Not(Compare("dc", "=", (b"b",))))),
            Present("mail"),
            Substrings("cn", (b"J",), ((b"o",),), (b"n",)),
        )
    )


def test_escapes_are_undone_and_outer_parentheses_are_optional() -> None:
    assert parse(r"cn=a\2a\28b\29\5c") == Compare("cn", "=", (b"a*(b)\\",))
    assert parse(r"(cn=caf\c3\a9)") == Compare("cn", "=", ("café".encode(),))


def test_ordering_and_approximate_operators() -> None:
    assert parse("(mailUidNumber>=5000)") == Compare("mailUidNumber", ">=", (b"5000",))
    assert parse("(cn~=jon)") == Compare("cn", "~=", (b"jon",))


def test_templates_keep_postfix_placeholders_as_segments() -> None:
    node = parse("(&(uid=%u)(mail=%u@%d)(dc=%1)(cn=100%%))", templated=True)
    assert node == And(
        (
            Compare("uid", "=", ("u",)),
            Compare("mail", "=", ("u", b"@", "d")),
            Compare("dc", "=", ("1",)),
            Compare("cn", "=", (b"100%",)),
        )
    )
    assert placeholders(node) == {"u", "d", "1"}


def test_a_placeholder_inside_a_substring_stays_literal_when_expanded() -> None:
    node = parse("(mail=*%s)", templated=True)
    assert node == Substrings("mail", None, (), ("s",))
    assert isinstance(node, Substrings) and node.final is not None
    assert expand(node.final, {"s": "a*b"}) == b"a*b"


def test_without_templating_a_percent_is_plain_text() -> None:
    assert parse("(cn=100%s)") == Compare("cn", "=", (b"100%s",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(mail=a", "expected ')' at character 7 of (mail=a"),
        ("(mail=a))", "text after the end of the filter at character 9 of (mail=a))"),
        ("(&)", "expected at least one filter in the list at character 3 of (&)"),
        ("(=a)", "expected an attribute name at character 2 of (=a)"),
        ("(mail)", "expected =, ~=, >= or <= at character 6 of (mail)"),
        ("(cn:dn:=x)", "extensible match filters are not supported at character 4 of (cn:dn:=x)"),
        (
            r"(cn=a\zz)",
            r"a backslash must start a two-digit hex escape like \2a at character 6 of (cn=a\zz)",
        ),
        ("(cn=a(b)", r"unescaped '(' in a value: write it as \28 at character 6 of (cn=a(b)"),
    ],
)
def test_malformed_filters_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(FilterError) as err:
        parse(text)
    assert str(err.value) == message


def test_an_unknown_placeholder_is_an_error() -> None:
    with pytest.raises(FilterError) as err:
        parse("(mail=%x)", templated=True)
    assert str(err.value) == (
        "unknown placeholder '%x': use %s, %u, %d, %1-%9 or %% at character 7 of (mail=%x)"
    )


# --- Index atoms: what a lookup may read from an index.


def test_key_atoms_of_an_and_are_its_keyed_equality() -> None:
    node = parse("(&(objectClass=inetOrgPerson)(mail=%s))", templated=True)
    assert key_atoms(node) == [Compare("mail", "=", ("s",))]


def test_key_atoms_of_an_or_need_every_branch_keyed() -> None:
    both = parse("(|(mail=%s)(mailAlias=%s))", templated=True)
    assert key_atoms(both) == [Compare("mail", "=", ("s",)), Compare("mailAlias", "=", ("s",))]
    assert key_atoms(parse("(|(mail=%s)(cn=x))", templated=True)) is None
    assert key_atoms(parse("(mail=*%s)", templated=True)) is None
    assert key_atoms(parse("(!(mail=%s))", templated=True)) is None


def test_without_leaves_what_a_key_does_not_decide() -> None:
    node = parse("(&(objectClass=inetOrgPerson)(mail=%s))", templated=True)
    atom = Compare("mail", "=", ("s",))
    assert without(node, atom) == And((Compare("objectClass", "=", (b"inetOrgPerson",)),))
    assert without(atom, atom) == And(())
    assert without(parse("(|(mail=%s)(cn=x))", templated=True), atom) is None


# --- Matching with the attributes' rules.


def test_equality_uses_the_attributes_matching_rule() -> None:
    assert matches("(mail=johndoe@domain1.NET)")  # caseIgnoreIA5Match
    assert matches("(cn=JOHN   DOE)")  # caseIgnoreMatch
    assert not matches("(mailHomeDirectory=/SRV/vmail/domain1.net/johndoe)")  # caseExactIA5
    assert matches("(mailUidNumber=05000)")  # integerMatch


def test_object_class_matches_superclasses_like_openldap() -> None:
    assert matches("(objectClass=person)")  # inetOrgPerson -> organizationalPerson -> person
    assert matches("(objectClass=INETORGPERSON)")
    assert not matches("(objectClass=dNSDomain)")


def test_presence_substrings_and_boolean_logic() -> None:
    assert matches("(&(mailAlias=*)(!(mailForwardingAddress=*)))")
    assert matches("(mailAlias=SUPER*@*.me)")
    assert not matches("(mailAlias=*john*john*)")
    assert matches("(|(uid=nobody)(uid=johndoe))")
    assert not matches("(mailUidNumber=5*)")  # integers have no substring rule


def test_ordering_compares_integers_as_numbers() -> None:
    assert matches("(mailUidNumber>=999)")
    assert matches("(mailUidNumber<=5000)")
    assert not matches("(mailUidNumber<=4999)")


def test_templated_filters_match_with_the_key_substituted() -> None:
    assert matches(
        "(&(objectClass=PostfixBookMailAccount)(mailAlias=%s))", s="SuperJohn@domain2.me"
    )
    assert matches("(mail=%u@%d)", u="johndoe", d="domain1.net")
    assert not matches("(mailAlias=%s)", s="*")  # a key is never a wildcard
