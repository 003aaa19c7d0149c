"""LDAP URLs read as libldap reads them for Postfix (ldap_url_parse): the parts Postfix
uses, the defaults, and what it refuses as malformed."""

from __future__ import annotations

import pytest

from ldifctl.mail.ldap_url import LdapUrl, UrlError, is_ldap_url, parse_url, unescape

PEOPLE = "ou=people,dc=example,dc=net"


def test_every_part_is_read() -> None:
    url = parse_url(f"ldap://h.test:389/{PEOPLE}?mail,,cn?one?(cn=bob)?x-a,!x-b")
    assert url == LdapUrl("h.test", PEOPLE, ("mail", "cn"), "one", "(cn=bob)", ("x-a", "!x-b"))


@pytest.mark.parametrize(
    "text",
    [f"ldap:///{PEOPLE}", f"ldap:///{PEOPLE}?", f"ldap:///{PEOPLE}???", "ldap://h.test/" + PEOPLE],
)
def test_the_scope_defaults_to_base_and_the_filter_to_every_entry(text: str) -> None:
    url = parse_url(text)
    assert (url.dn, url.attrs, url.scope, url.filter) == (PEOPLE, (), "base", None)


@pytest.mark.parametrize(
    ("written", "scope"),
    [("SUB", "sub"), ("subtree", "sub"), ("onelevel", "one"), ("children", "subordinate")],
)
def test_scopes_are_read_without_regard_to_case(written: str, scope: str) -> None:
    assert parse_url(f"ldap:///{PEOPLE}??{written}").scope == scope


@pytest.mark.parametrize(
    "text",
    [
        "ldap:///x",
        "LDAPS:///x",
        "ldapi:///x",
        "pldap:///x",
        "<ldap:///x>",
        "URL:ldap:///x",
        "<url:ldap:///x>",
    ],
)
def test_what_libldap_takes_for_a_url(text: str) -> None:
    assert is_ldap_url(text)
    assert parse_url(text).dn == "x"


@pytest.mark.parametrize(
    "text", ["cn=bob,ou=people", "http://h.test/", "ldap:/x", " ldap:///x", "cldap:///x"]
)
def test_other_values_are_read_as_dns(text: str) -> None:
    assert not is_ldap_url(text)


def test_percent_escapes_are_undone_in_each_part() -> None:
    url = parse_url("ldap:///cn=a%3fb,dc=x?m%61il?s%75b?(cn=%28%c3%a9%29)")
    assert (url.dn, url.attrs, url.scope, url.filter) == (
        "cn=a?b,dc=x",
        ("mail",),
        "sub",
        "(cn=(é))",
    )


def test_a_bad_percent_escape_empties_its_part_as_libldap_does() -> None:
    assert unescape("cn=a%zz") == ""
    assert unescape("cn=a%4") == ""
    assert unescape("cn=a%00b") == "cn=a"  # a NUL ends a C string
    assert parse_url("ldap:///cn=a%zz??sub").dn == ""


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f"ldap:///{PEOPLE}??bogus?(cn=bob)", "unknown scope 'bogus'"),
        (f"ldap:///{PEOPLE}??sub?(cn=bob)?", "no extension after it"),
        (f"ldap:///{PEOPLE}??sub?(cn=bob)?x?y", "more than four '?'"),
        (f"ldap:///{PEOPLE}??sub?(cn=b%zzob)", "the filter is empty"),
        (f"ldap:///{PEOPLE}??sub?(cn=bob) ", "spaces after its closing parenthesis"),
        (f"<ldap:///{PEOPLE}", "does not end with '>'"),
        (f"ldap://h.test:x/{PEOPLE}", "the port 'x' is not a number"),
        (f"ldap://h.test:/{PEOPLE}", "the port '' is not a number"),
        (f"ldap://[::1/{PEOPLE}", "closing ']'"),
        ("http://h.test/", "not an LDAP URL"),
    ],
)
def test_malformed_urls(text: str, problem: str) -> None:
    with pytest.raises(UrlError, match=problem.replace("?", r"\?").replace("[", r"\[")):
        parse_url(text)


def test_a_host_without_a_slash_ends_the_url_with_no_dn() -> None:
    """libldap leaves the DN out (its default base is searched), and reads nothing after a
    `?`, but for the `host??dn` of early Novell referrals, which ldapi alone keeps (the
    other schemes' port check drops it)."""
    assert parse_url("ldap://h.test?cn=bob??sub") == LdapUrl("h.test", None, (), "base", None)
    assert parse_url("ldap://").dn is None
    assert parse_url(f"ldap://??{PEOPLE}").dn is None
    assert parse_url(f"ldap://h.test:389??{PEOPLE}").dn is None
    assert parse_url(f"ldapi://??{PEOPLE}") == LdapUrl("", PEOPLE, (), "base", None)
    assert parse_url("ldapi://%2Frun%2Fs??cn=a%2Cb").dn == "cn=a,b"
    assert parse_url("ldapi://??").dn == ""
    assert parse_url("ldapi://?x").dn is None


def test_an_empty_dn_part_is_the_empty_dn() -> None:
    for text in ("ldap:///", "ldap:///??sub", "<URL:ldap:///?mail?base>", "ldap:///%00x"):
        assert parse_url(text).dn == "", text


def test_an_ldapi_host_is_a_path_with_no_port_to_check() -> None:
    assert parse_url(f"ldapi://%2Frun%2Fs:x/{PEOPLE}").host == "/run/s:x"


def test_ipv6_hosts() -> None:
    assert parse_url("ldap://[::1]:389/dc=x").host == "::1"
