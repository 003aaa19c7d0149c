"""ldifctl holds two values equal only where both servers do: each pair is asked of a real
slapd and a real 389-DS with a compare (matching_rules.py). Once `Straße` and `STRASSE`
were one value to ldifctl (NFKC and full case folding) and two to slapd: an edit from one
to the other was "no changes"."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import ldap
import pytest
import servers

from ldifctl.model.schema import build_schema

DN = "cn=probe,dc=example,dc=net"
SCHEMA = build_schema()
Compare = Callable[[str, str, str], bool]

# (attribute, value, asserted value, slapd 2.5 says equal, 389-DS 2.3 says equal)
PAIRS = [
    ("description", "Hauptstrasse 1", "Hauptstraße 1", False, False),
    ("description", "Straße", "STRASSE", False, False),
    ("description", "ß", "ẞ", False, False),
    ("description", "\u03c2", "\u03c3", False, False),  # final, medial sigma
    ("description", "\u03c3", "\u03a3", True, True),
    ("description", "İ", "i\u0307", False, False),
    ("description", "İx", "ix", True, False),  # slapd lowers İ by its simple mapping, to i
    ("description", "Ⅳ", "IV", False, False),
    ("description", "Ⅳ", "ⅳ", False, False),
    ("description", "Ǆ", "ǆ", True, False),
    ("description", "Ğ", "ğ", True, True),
    ("description", "\uff21\uff22", "\uff41\uff42", True, True),  # fullwidth
    ("description", "\u13a0", "\uab70", False, False),  # Cherokee: a case pair since Unicode 8
    ("description", "Ⴀ", "ⴀ", False, False),  # Georgian: since Unicode 4.1
    ("description", "ﬁle", "file", True, False),
    ("description", "\uff21bc", "abc", True, False),
    ("description", "\u212a", "k", True, False),  # the Kelvin sign
    ("description", "\u00b5", "\u03bc", True, False),  # micro sign, mu
    ("description", "\u00e9", "e\u0301", True, False),
    ("description", "É", "é", True, True),
    ("description", "Alice Example", "aLICE eXAMPLE", True, True),
    ("description", " a  b ", "a b", True, True),
    ("description", "a\tb", "a b", False, False),
    ("description", "x\u00a0y", "x y", True, False),
    ("labeledURI", "É", "é", False, False),
    ("labeledURI", " a  b ", "a b", True, True),
    ("labeledURI", "ﬁ", "fi", True, False),
    ("postalAddress", "a$b", "A$B", True, True),
    ("postalAddress", "a $ b", "a$b", True, False),
    ("postalAddress", "Straße$x", "STRASSE$x", False, False),
    ("telephoneNumber", "+1 555-123", "+1555123", True, True),
    ("telephoneNumber", "+1 555 ABC", "+1555abc", False, True),
    ("telephoneNumber", "+1 (555) 123", "+1555123", False, False),
    ("mail", "A.B@X.NET", "a.b@x.net", True, True),
    ("mail", " a  b@x ", "a b@x", True, True),
    ("mail", "a\tb@x", "a b@x", False, False),
]


def ldifctl_equal(attr: str, value: str, asserted: str) -> bool:
    norm = SCHEMA.normaliser(attr)
    return norm(value.encode()) == norm(asserted.encode())


def case_pairs() -> list[tuple[str, str]]:
    """Every letter with a simple lower case in Python's Unicode, and that lower case."""
    chars = (chr(p) for p in range(0x80, 0x110000) if not 0xD800 <= p < 0xE000)
    return [(c, c.lower()) for c in chars if len(c.lower()) == 1 and c.lower() != c]


@pytest.fixture(scope="module")
def slapd_compare(slapd: servers.LdapServer) -> Iterator[Compare]:
    with probe(slapd) as compare:
        yield compare


@pytest.fixture(scope="module")
def ds389_compare(ds389: servers.LdapServer) -> Iterator[Compare]:
    with probe(ds389) as compare:
        yield compare


@contextlib.contextmanager
def probe(server: servers.LdapServer) -> Iterator[Compare]:
    """One entry whose value is replaced, then compared: the server's own equality."""
    server.reset()
    with server.bind() as conn:
        conn.add_s(DN, [("objectClass", [b"inetOrgPerson"]), ("cn", [b"probe"]), ("sn", [b"x"])])

        def compare(attr: str, value: str, asserted: str) -> bool:
            conn.modify_s(DN, [(ldap.MOD_REPLACE, attr, [value.encode()])])
            return bool(conn.compare_s(DN, attr, asserted.encode()))

        yield compare
    server.reset()


def test_the_servers_answers_are_what_the_table_says(slapd_compare: Compare) -> None:
    got = [(a, v, w, slapd_compare(a, v, w)) for a, v, w, _, _ in PAIRS]
    assert got == [(a, v, w, s) for a, v, w, s, _ in PAIRS]


@pytest.mark.ds389
def test_389_answers_are_what_the_table_says(ds389_compare: Compare) -> None:
    got = [(a, v, w, ds389_compare(a, v, w)) for a, v, w, _, _ in PAIRS]
    assert got == [(a, v, w, d) for a, v, w, _, d in PAIRS]


def test_ldifctl_holds_values_equal_where_both_servers_do() -> None:
    got = [(a, v, w, ldifctl_equal(a, v, w)) for a, v, w, _, _ in PAIRS]
    assert got == [(a, v, w, s and d) for a, v, w, s, d in PAIRS]


def test_no_letter_is_lowered_that_slapd_keeps(slapd_compare: Compare) -> None:
    pairs = [(u, low) for u, low in case_pairs() if ldifctl_equal("description", u, low)]
    assert len(pairs) > 500
    assert [(u, low) for u, low in pairs if not slapd_compare("description", u, low)] == []


@pytest.mark.ds389
def test_no_letter_is_lowered_that_389_keeps(ds389_compare: Compare) -> None:
    pairs = [(u, low) for u, low in case_pairs() if ldifctl_equal("description", u, low)]
    assert [(u, low) for u, low in pairs if not ds389_compare("description", u, low)] == []


@pytest.mark.parametrize(
    ("rule_of", "value", "key"),
    [
        ("description", b"  Hauptstra\xc3\x9fe   1 ", "hauptstraße 1"),
        ("description", "\u0391\u03a3".encode(), "\u03b1\u03c3"),  # no final sigma
        ("description", b"\xff\xfe", b"\xff\xfe"),  # not UTF-8: the bytes
        ("mail", "ÄB@x".encode(), "Äb@x"),  # invalid IA5: only ASCII is folded
        ("telephoneNumber", b"+49 30-1234 AB", b"+49301234AB"),
    ],
)
def test_keys(rule_of: str, value: bytes, key: object) -> None:
    assert SCHEMA.normalise_value(rule_of, value) == key
