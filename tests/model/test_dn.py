"""DN text: ldifctl parses and writes DNs exactly as python-ldap's public `ldap.dn` does."""

from __future__ import annotations

import re
import subprocess
import sys

import ldap
import ldap.dn
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ldifctl.model import dn as dnmod
from ldifctl.model import entry_paths

# Every character class that DN escaping treats specially, plus ordinary text.
VALUE = st.text(alphabet=st.sampled_from(list('ab Z9#,+"\\<>;=\x00é \u00a0\n')), max_size=12)
TYPE = st.sampled_from(["cn", "uid", "ou", "dc", "mail", "2.5.4.3"])


@given(VALUE)
def test_values_are_escaped_as_python_ldap_escapes_them(value: str) -> None:
    assert dnmod.escape_value(value) == ldap.dn.escape_dn_chars(value)


# Spaces around a value are escaped; a raw \n there is not (python-ldap's dn2str), and
# libldap drops it on reading: such values cannot round-trip, so none are drawn.
def _round_trips(value: str) -> bool:
    return bool(value) and all(c == " " or not c.isspace() for c in (value[0], value[-1]))


AVA = st.tuples(TYPE, VALUE.filter(_round_trips))


@given(st.lists(st.lists(AVA, min_size=1, max_size=3), min_size=1, max_size=4))
def test_dns_are_written_as_python_ldap_writes_them(rdns: list[list[tuple[str, str]]]) -> None:
    parsed = [[(t, v, 1) for t, v in rdn] for rdn in rdns]
    text = dnmod.dn2str(parsed)
    assert text == ldap.dn.dn2str(parsed)
    assert [[(t, v) for t, v, _ in rdn] for rdn in dnmod.parse(text)] == rdns


@given(st.text(alphabet=st.sampled_from(list("cn=ab,+\\# \"=;0x")), max_size=20))
def test_any_text_parses_as_python_ldap_parses_it(text: str) -> None:
    assume(not text.endswith("\\ "))  # an escaped space at the end: the test below
    try:
        expected = ldap.dn.str2dn(text)
    except (ldap.DECODING_ERROR, UnicodeDecodeError):
        with pytest.raises(dnmod.DnError):
            dnmod.parse(text)
        return
    if text != text.strip() or any(not a or not v for rdn in expected for a, v, _ in rdn):
        with pytest.raises(dnmod.DnError):
            dnmod.parse(text)  # stricter on purpose: no outer spaces, no empty values
        return
    assert dnmod.parse(text) == tuple(tuple(tuple(a) for a in rdn) for rdn in expected)


def test_a_hex_escape_that_is_not_utf8_is_no_dn() -> None:
    with pytest.raises(dnmod.DnError, match=r"escapes bytes that are not UTF-8"):
        dnmod.parse("cn=\\a0,dc=net")


def test_an_escaped_space_may_end_a_dn_but_no_other_outer_space() -> None:
    assert dnmod.parse("cn=a,dc=net\\ ") == ((("cn", "a", 1),), (("dc", "net ", 1),))
    for text in (" cn=a", "cn=a ", "cn=a\\  ", "cn=a\\\\ ", "cn=a\n", "cn=a\\\n"):
        with pytest.raises(dnmod.DnError):
            dnmod.parse(text)


def test_parent_and_first_rdn_keep_escapes() -> None:
    dn = r"cn=Smith\, John+uid=js,ou=people\+x,dc=example,dc=net"
    assert dnmod.rdn_text(dn) == r"cn=Smith\, John+uid=js"
    assert dnmod.parent(dn) == r"ou=people\+x,dc=example,dc=net"
    assert dnmod.parent("dc=net") == ""


# The leaves `parse` reads without libldap (a plain leaf on a parent): every printable
# ASCII character, and some that are not, around a few parents, good and bad.
LEAF_TEXT = st.text(alphabet=st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + ["\t", "é"]))
PARENT = st.sampled_from(["dc=net", "ou=Mail,dc=example,dc=net", "dc=net ", " dc=net", "=x", ""])


@given(st.sampled_from(["cn", "uid", "c-n", "UID", "2.5.4.3", "x_y"]), LEAF_TEXT, PARENT)
def test_a_leaf_on_a_parent_parses_as_python_ldap_parses_it(
    attr: str, value: str, parent: str
) -> None:
    parses_as_libldap(f"{attr}={value},{parent}")


def parses_as_libldap(text: str) -> None:
    """`parse` gives what libldap's reading of the whole DN gives, or the same error."""
    try:
        whole = dnmod._parse(text)
    except dnmod.DnError as err:
        with pytest.raises(dnmod.DnError, match=f"^{re.escape(str(err))}$"):
            dnmod.parse(text)
        return
    assert dnmod.parse(text) == whole


def test_a_dn_deeper_than_the_recursion_limit_parses() -> None:
    text = ",".join(["cn=a"] * 3000)
    assert dnmod.parse(text) == ((("cn", "a", 1),),) * 3000


def test_each_character_unsafe_in_a_file_name_is_percent_escaped() -> None:
    name = entry_paths.escape_filename('cn=a/b\\c:d*e?f"g<h>i|j%k\x00l\x1fm\x7fn é')
    assert name == "cn=a%2Fb%5Cc%3Ad%2Ae%3Ff%22g%3Ch%3Ei%7Cj%25k%00l%1Fm%7Fn é"


@given(st.text())
def test_a_file_name_holds_no_unsafe_character_and_gives_the_rdn_back(rdn: str) -> None:
    name = entry_paths.escape_filename(rdn)
    assert not set(name) & (entry_paths._UNSAFE_IN_FILENAME - {"%"})
    assert entry_paths.unescape_filename(name) == rdn


@given(st.sampled_from(["dc", "DC", "c-n", "2.5.4.3", "x_y", ""]), LEAF_TEXT)
def test_a_dn_of_one_rdn_parses_as_python_ldap_parses_it(attr: str, value: str) -> None:
    """A plain one (`dc=net`, the last RDN of every DN) is read without libldap."""
    parses_as_libldap(f"{attr}={value}")


def test_a_tree_of_plain_dns_needs_no_libldap() -> None:
    """Linking libldap costs 8-12 ms of a command's start: plain DNs do without it."""
    code = (
        "import sys\nfrom ldifctl.model import dn\n"
        "assert dn.parse('uid=a,ou=Mail,dc=example,dc=net')[-1] == (('dc', 'net', 1),)\n"
        "assert dn.parse('dc=net') == ((('dc', 'net', 1),),)\n"
        "assert '_ldap' not in sys.modules\n"
        "dn.parse('cn=a\\\\,b,dc=net')\n"
        "assert '_ldap' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
