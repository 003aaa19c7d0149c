"""DN text: ldifctl parses and writes DNs exactly as python-ldap's public `ldap.dn` does."""

from __future__ import annotations

import ldap
import ldap.dn
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldifctl import dn as dnmod

# Every character class that DN escaping treats specially, plus ordinary text.
VALUE = st.text(alphabet=st.sampled_from(list('ab Z9#,+"\\<>;=\x00é \u00a0\n')), max_size=12)
TYPE = st.sampled_from(["cn", "uid", "ou", "dc", "mail", "2.5.4.3"])


@given(VALUE)
def test_values_are_escaped_as_python_ldap_escapes_them(value: str) -> None:
    assert dnmod.escape_value(value) == ldap.dn.escape_dn_chars(value)


# Values without outer spaces: parse() refuses a DN text that starts or ends with one.
AVA = st.tuples(TYPE, VALUE.filter(lambda v: bool(v) and v.strip() == v))


@given(st.lists(st.lists(AVA, min_size=1, max_size=3), min_size=1, max_size=4))
def test_dns_are_written_as_python_ldap_writes_them(rdns: list[list[tuple[str, str]]]) -> None:
    parsed = [[(t, v, 1) for t, v in rdn] for rdn in rdns]
    text = dnmod.dn2str(parsed)
    assert text == ldap.dn.dn2str(parsed)
    if text == text.strip():
        assert [[(t, v) for t, v, _ in rdn] for rdn in dnmod.parse(text)] == rdns


@given(st.text(alphabet=st.sampled_from(list("cn=ab,+\\# \"=;0x")), max_size=20))
def test_any_text_parses_as_python_ldap_parses_it(text: str) -> None:
    try:
        expected = ldap.dn.str2dn(text)
    except ldap.DECODING_ERROR:
        with pytest.raises(dnmod.DnError):
            dnmod.parse(text)
        return
    if text != text.strip() or any(not a or not v for rdn in expected for a, v, _ in rdn):
        with pytest.raises(dnmod.DnError):
            dnmod.parse(text)  # stricter on purpose: no outer spaces, no empty values
        return
    assert dnmod.parse(text) == tuple(tuple(tuple(a) for a in rdn) for rdn in expected)


def test_parent_and_first_rdn_keep_escapes() -> None:
    dn = r"cn=Smith\, John+uid=js,ou=people\+x,dc=example,dc=net"
    assert dnmod.rdn_text(dn) == r"cn=Smith\, John+uid=js"
    assert dnmod.parent(dn) == r"ou=people\+x,dc=example,dc=net"
    assert dnmod.parent("dc=net") == ""
