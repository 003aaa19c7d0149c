"""Each server's own caseIgnoreMatch (server_rules.py), held to a real slapd 2.5 and 389-DS
2.3: is a stored address found by a search for the key Postfix sends (`fold`)? slapd
finds `ﬁnance@…`, the Kelvin sign's and `ǅemal@…` by their folded keys; 389-DS does not.
Neither finds `straße@…` by `strasse@…`; both find a final capital sigma by the medial
small one."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import ldap
import ldap.filter
import pytest
import servers
from test_matching_rules_servers import PAIRS

from ldifctl.mail.addresses import fold
from ldifctl.model.schema import build_schema
from ldifctl.model.server_rules import per_server

DN = "cn=folded,dc=example,dc=net"
SCHEMA = build_schema()
Finds = Callable[[str, str, str], bool]

# (stored value, slapd finds it by its folded key, 389-DS does)
STORED = [
    ("ﬁnance@h1.test", True, False),
    ("\u212aelvin@h1.test", True, False),  # the Kelvin sign
    ("ǅemal@h1.test", True, False),
    ("straße@h1.test", False, False),
    ("\u039f\u0394\u039f\u03a3@h1.test", True, True),  # final capital sigma
    ("ẞ@h1.test", False, False),  # capital sharp s, new in Unicode 5.1
    ("zoë@h1.test", True, True),
]
ATTRIBUTES = ("mailAlternateAddress", "description")


def claims(attr: str, value: str, asserted: str) -> tuple[bool, bool]:
    """What ldifctl says slapd and 389-DS answer."""
    keys = per_server(SCHEMA.attribute(attr).equality)
    assert keys is not None
    return tuple(key(value.encode()) == key(asserted.encode()) for key in keys)  # type: ignore[return-value]


@contextlib.contextmanager
def searcher(server: servers.LdapServer) -> Iterator[Finds]:
    """One entry whose value is replaced, then searched for as a Postfix table would."""
    server.reset()
    with server.bind() as conn:
        classes = [b"inetOrgPerson", b"mailRecipient"]
        conn.add_s(DN, [("objectClass", classes), ("cn", [b"folded"]), ("sn", [b"x"])])

        def finds(attr: str, value: str, asserted: str) -> bool:
            conn.modify_s(DN, [(ldap.MOD_REPLACE, attr, [value.encode()])])
            filt = f"({attr}={ldap.filter.escape_filter_chars(asserted)})"
            return bool(conn.search_s(DN, ldap.SCOPE_BASE, filt, ["1.1"]))

        yield finds
    server.reset()


@pytest.fixture(scope="module")
def slapd_finds(slapd: servers.LdapServer) -> Iterator[Finds]:
    with searcher(slapd) as finds:
        yield finds


@pytest.fixture(scope="module")
def ds389_finds(ds389: servers.LdapServer) -> Iterator[Finds]:
    with searcher(ds389) as finds:
        yield finds


def test_the_claims_are_the_table() -> None:
    got = [(v, *claims(a, v, fold(v))) for a in ATTRIBUTES for v, _, _ in STORED]
    assert got == [(v, s, d) for _ in ATTRIBUTES for v, s, d in STORED]


def test_the_claims_are_the_measured_pairs() -> None:
    pairs = [p for p in PAIRS if per_server(SCHEMA.attribute(p[0]).equality)]
    assert len(pairs) > 20
    assert [(a, v, w, *claims(a, v, w)) for a, v, w, _, _ in pairs] == pairs


def test_slapd_finds_what_ldifctl_says_it_does(slapd_finds: Finds) -> None:
    got = [(a, v, slapd_finds(a, v, fold(v))) for a in ATTRIBUTES for v, _, _ in STORED]
    assert got == [(a, v, claims(a, v, fold(v))[0]) for a in ATTRIBUTES for v, _, _ in STORED]


@pytest.mark.ds389
def test_389_finds_what_ldifctl_says_it_does(ds389_finds: Finds) -> None:
    got = [(a, v, ds389_finds(a, v, fold(v))) for a in ATTRIBUTES for v, _, _ in STORED]
    assert got == [(a, v, claims(a, v, fold(v))[1]) for a in ATTRIBUTES for v, _, _ in STORED]
