"""ldifctl's object classes are the servers': each class's own MUST and MAY are slapd's,
and what each allows with its superiors is what 389-DS allows. A MAY list short of a
server's would refuse an entry that server takes; one longer would let `validate` pass
what `apply` then fails on mid-run (Object class violation, 65), as mailAlias on a
mailRecipient did when ldifctl knew no MAY at all."""

from __future__ import annotations

from typing import Any

import ldap
import ldap.schema
import pytest
import servers

from ldifctl.model.object_classes import ALLOWED_ANYWHERE
from ldifctl.model.schema import build_schema

SCHEMA = build_schema()
# Where only one server has a class (schema_files/ for slapd, 389's own nsContainer).
ONLY_SLAPD = {"dnsdomain", "postfixbookmailaccount", "postfixbookmailforward"}
ONLY_389 = {"nscontainer"}
KINDS = {0: "structural", 1: "abstract", 2: "auxiliary"}


def subschema(server: servers.LdapServer) -> Any:
    """The server's subschema (slapd: cn=Subschema, 389: cn=schema), as python-ldap reads it."""
    with server.bind() as conn:
        [(_, root)] = conn.search_s("", ldap.SCOPE_BASE, attrlist=["subschemaSubentry"])
        where = root["subschemaSubentry"][0].decode()
        wanted = ["objectClasses", "attributeTypes"]
        [(_, entry)] = conn.search_s(where, ldap.SCOPE_BASE, attrlist=wanted)
    return ldap.schema.SubSchema(entry)


def keys(names: Any) -> set[str]:
    return {SCHEMA.type_key(name) for name in names}


def own(found: Any) -> dict[str, Any]:
    """A class as the table holds it: kind, superior, own MUST and MAY (as type keys)."""
    superior = found.sup[0].lower() if found.sup else None
    return {"kind": KINDS[found.kind], "sup": superior, "must": keys(found.must),
            "may": keys(found.may)}


def server_classes(sub: Any) -> dict[str, Any]:
    """Each class of the table the server has, by lower-cased name."""
    return {
        name: found
        for name, oc in SCHEMA.object_classes.items()
        if (found := sub.get_obj(ldap.schema.ObjectClass, oc.name)) is not None
    }


def allowed(sub: Any, name: str) -> set[str]:
    """What a class allows with its superiors, on the server."""
    must, may = sub.attribute_types([name], raise_keyerror=True)
    return keys(sub.get_obj(ldap.schema.AttributeType, oid).names[0] for oid in [*must, *may])


def ldifctl_allowed(name: str) -> set[str]:
    return {
        SCHEMA.type_key(attribute)
        for above in SCHEMA.superiors(name)
        for attribute in (*SCHEMA.object_classes[above].must, *SCHEMA.object_classes[above].may)
    }


def operational_types(sub: Any) -> set[str]:
    """The types ldifctl knows that the server keeps as operational."""
    return {
        SCHEMA.type_key(found.names[0])
        for oid in sub.listall(ldap.schema.AttributeType)
        if (found := sub.get_obj(ldap.schema.AttributeType, oid)).usage != 0
        and SCHEMA.knows(found.names[0])
    }


@pytest.fixture(scope="module")
def slapd_schema(slapd: servers.LdapServer) -> Any:
    return subschema(slapd)


@pytest.fixture(scope="module")
def ds389_schema(ds389: servers.LdapServer) -> Any:
    return subschema(ds389)


def test_every_class_is_slapd_s_own_must_and_may(slapd_schema: Any) -> None:
    found = server_classes(slapd_schema)
    assert set(SCHEMA.object_classes) - set(found) == ONLY_389
    differ = {}
    for name, oc in found.items():
        mine = SCHEMA.object_classes[name]
        table = {"kind": mine.kind, "sup": mine.superior and mine.superior.lower(),
                 "must": keys(mine.must), "may": keys(mine.may)}
        if table != own(oc):
            differ[name] = (table, own(oc))
    assert differ == {}


def test_the_check_reads_what_slapd_has() -> None:
    assert "mailalias" in keys(SCHEMA.object_classes["postfixbookmailaccount"].may)
    assert "mailalias" not in ldifctl_allowed("mailrecipient")


@pytest.mark.ds389
def test_every_class_allows_what_389_allows(ds389_schema: Any) -> None:
    found = server_classes(ds389_schema)
    assert set(SCHEMA.object_classes) - set(found) == ONLY_SLAPD
    del found["extensibleobject"]  # it allows any type: its entries are not judged
    differ = {
        name: ldifctl_allowed(name) ^ allowed(ds389_schema, oc.oid)
        for name, oc in found.items()
        if ldifctl_allowed(name) != allowed(ds389_schema, oc.oid)
    }
    assert differ == {}
    # The class mail routes by on 389, down to its own list.
    mail_recipient = found["mailrecipient"]
    assert keys(SCHEMA.object_classes["mailrecipient"].may) == keys(mail_recipient.may)
    assert not mail_recipient.must


@pytest.mark.parametrize("server_schema", ["slapd_schema", pytest.param(
    "ds389_schema", marks=pytest.mark.ds389)])
def test_a_type_a_server_keeps_as_operational_is_never_judged(
    server_schema: str, request: pytest.FixtureRequest
) -> None:
    """It is ignored (never written), or allowed on any entry where a site writes it."""
    sub = request.getfixturevalue(server_schema)
    anywhere = keys(ALLOWED_ANYWHERE)
    assert operational_types(sub) - SCHEMA.ignored - anywhere == set()


@pytest.mark.parametrize("server_schema", ["slapd_schema", pytest.param(
    "ds389_schema", marks=pytest.mark.ds389)])
def test_a_type_no_one_may_write_is_never_imported(
    server_schema: str, request: pytest.FixtureRequest
) -> None:
    """A type the server maintains itself (NO-USER-MODIFICATION) kept from a dump by
    `import --from-ldif` made an export `ldapadd` refuses (19) and a drift that never
    clears (pwdLastSuccess). Every such type of the server is operational to ldifctl."""
    sub = request.getfixturevalue(server_schema)
    kept = {
        SCHEMA.type_key(found.names[0])
        for oid in sub.listall(ldap.schema.AttributeType)
        if (found := sub.get_obj(ldap.schema.AttributeType, oid)).no_user_mod
    }
    assert kept - SCHEMA.ignored == set()
