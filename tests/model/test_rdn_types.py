"""An RDN's type is one type however it is spelled: a name, an alias, any case, or the
numeric OID (RFC 4512 2.5, RFC 4514 2.3). slapd stores `commonName=x` as `cn=x`."""

from __future__ import annotations

import pytest

from ldifctl.model import dn as dnmod
from ldifctl.model.schema import build_schema

SCHEMA = build_schema()
DN = "cn=x,ou=people,dc=example,dc=net"


@pytest.mark.parametrize(
    "spelled",
    [
        "commonName=x,ou=people,dc=example,dc=net",
        "CN=x,OU=people,DC=example,DC=net",
        "2.5.4.3=x,organizationalUnitName=people,domainComponent=example,dc=net",
        "cn=x,2.5.4.11=people,0.9.2342.19200300.100.1.25=example,dc=net",
    ],
)
def test_every_spelling_of_a_type_is_one_dn(spelled: str) -> None:
    assert SCHEMA.dn_key(spelled) == SCHEMA.dn_key(DN)


def test_each_type_is_keyed_by_its_schema_name_in_lower_case() -> None:
    assert SCHEMA.dn_key("commonName=X+Surname=Y,dc=net") == (
        (("cn", "x"), ("sn", "y")),
        (("dc", "net"),),
    )


def test_a_type_the_schema_does_not_know_keeps_its_spelling_in_lower_case() -> None:
    assert SCHEMA.dn_key("FooBar=x,1.2.3.4=y,dc=net")[:2] == (
        (("foobar", b"x"),),
        (("1.2.3.4", b"y"),),
    )


def test_types_of_one_spelling_are_one_string_however_many_keys() -> None:
    keys = [SCHEMA.dn_key(f"commonName=u{i},ou=people,dc=example,dc=net") for i in range(3)]
    assert {id(k[0][0][0]) for k in keys} == {id(SCHEMA.dn_key(DN)[0][0][0])}


def test_without_a_schema_only_case_is_folded() -> None:
    def same(attr: str, value: str) -> object:
        return value

    assert dnmod.key("CN=x,dc=net", same) == ((("cn", "x"),), (("dc", "net"),))
    assert dnmod.key("commonName=x", same) != dnmod.key("cn=x", same)
