"""The lists of types the servers know (model/stock_types*.py) are the servers' own: a
definition a server knows and the lists lack would make `validate` refuse what that
server takes (schema/unknown-attribute), by name or by numeric OID; a name they hold and
no server knows, pass a typo. Each list is held to its source definition by definition
(names and OID): slapd's subschema as the tests run it, and with every module Debian
ships loaded; 389-DS's; the schema files Debian's slapd and 389-DS ship and do not load.
And `;binary` is taken by slapd on just the types BINARY_TYPES names
(schema/binary-option), each tried by a write."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import ldap
import pytest
import servers

from ldifctl.model.object_classes import OBJECT_CLASS_TABLE, parse_object_class_table
from ldifctl.model.schema import build_schema
from ldifctl.model.schema_data import OTHER_OIDS
from ldifctl.model.stock_types import (
    BINARY_TYPES,
    binary_refused,
    definitions,
    known_to_a_server,
)
from ldifctl.model.stock_types_389_a_m import DS389_TYPES_A_M
from ldifctl.model.stock_types_389_n import DS389_TYPES_N
from ldifctl.model.stock_types_389_nsslapd import DS389_NSSLAPD_TYPES
from ldifctl.model.stock_types_389_o_z import DS389_TYPES_O_Z
from ldifctl.model.stock_types_389_optional import DS389_OPTIONAL_TYPES
from ldifctl.model.stock_types_slapd import OTHER_SLAPD_TYPES, SLAPD_TYPES
from ldifctl.model.stock_types_slapd_modules import SLAPD_MODULE_TYPES

# `( 2.5.4.3 NAME ( 'cn' 'commonName' ) ...` as subschema and schema files write it (the
# keyword in any case: dsee.schema's `name 'legalName'`); an OID may be a macro
# (`DUAConfSchemaOID:1.0`, `id-at-role`) in the files.
_DEFINITION = re.compile(r"\(\s*(\S+)\s+(?i:NAME)\s+(\([^)]*\)|'[^']*')")
_NUMERIC_OID = re.compile(r"[0-9]+(?:\.[0-9]+)+")
DEBIAN_SCHEMAS = Path("/etc/ldap/schema")
DS389_DATA = Path("/usr/share/dirsrv/data")
# Loaded by the tests' slapd (SLAPD_TYPES), or Active Directory's (never listed).
NOT_OTHER = {*servers.OPENLDAP_SCHEMAS, "msuser"}
DS389_TYPES = (DS389_TYPES_A_M, DS389_TYPES_N, DS389_NSSLAPD_TYPES, DS389_TYPES_O_Z)
# dynlist takes the name dyngroup (an obsolete name of its own): loaded after it,
# dyngroup brings nothing, before it, slapd refuses dynlist. dyngroup is measured alone.
DYNGROUP = "dyngroup"
MODULES = sorted(p.stem for p in Path("/usr/lib/ldap").glob("*.la") if p.stem != "back_mdb")

Definition = tuple[str, tuple[str, ...]]  # numeric OID or "", names


def parsed(texts: Iterable[str], macros: dict[str, str] | None = None) -> set[Definition]:
    """The definitions of these attribute type descriptions, each OID as digits."""
    found = set()
    for text in texts:
        for m in _DEFINITION.finditer(text):
            oid = _expanded(m.group(1), macros or {})
            numeric = oid if _NUMERIC_OID.fullmatch(oid) else ""
            found.add((numeric, tuple(re.findall(r"'([^']*)'", m.group(2)))))
    return found


def _expanded(oid: str, macros: dict[str, str]) -> str:
    head, colon, tail = oid.partition(":")
    if head not in macros:
        return oid
    return f"{macros[head]}.{tail}" if colon else macros[head]


def _macros(pairs: Iterable[list[str]]) -> dict[str, str]:
    """`olcObjectIdentifier: {1}NetscapeLDAP NetscapeRoot:3`, in the file's order."""
    macros: dict[str, str] = {}
    for name, value in pairs:
        macros[re.sub(r"^\{\d+\}", "", name)] = _expanded(value, macros)
    return macros


def ldif_file(path: Path, prefix: str = "olc") -> set[Definition]:
    """An LDIF schema file's definitions: slapd's (olcAttributeTypes, olcObjectIdentifier)
    or 389-DS's (attributeTypes)."""
    lines = path.read_text().replace("\n ", "").splitlines()
    values = {key: [line.split(":", 1)[1] for line in lines
                    if line.lower().startswith(f"{prefix}{key}:")]
              for key in ("attributetypes", "objectidentifier")}
    macros = _macros(v.split()[:2] for v in values["objectidentifier"])
    return parsed(values["attributetypes"], macros)


def schema_file(path: Path) -> set[Definition]:
    """A file in slapd's .schema format: a statement runs on over indented lines."""
    statements = [" ".join(s.split()) for s in re.split(r"\n(?=\S)", path.read_text())]
    macros = _macros(s.split()[1:3] for s in statements
                     if s.lower().startswith("objectidentifier "))
    return parsed([s for s in statements if s.lower().startswith("attributetype ")], macros)


def listed(*texts: str) -> set[Definition]:
    return {(oid, tuple(names)) for text in texts for names, oid in definitions(text)}


def keys(found: Iterable[Definition]) -> set[str]:
    return {k.lower() for oid, names in found for k in (oid, *names) if k}


def new_in(found: set[Definition], *texts: str) -> set[Definition]:
    """The definitions of which a name or the OID is in none of these lists."""
    known = keys(listed(*texts))
    return {d for d in found if not keys([d]) <= known}


def subschema_types(server: servers.LdapServer) -> list[str]:
    with server.bind() as conn:
        [(_, root)] = conn.search_s("", ldap.SCOPE_BASE, attrlist=["subschemaSubentry"])
        where = root["subschemaSubentry"][0].decode()
        [(_, entry)] = conn.search_s(where, ldap.SCOPE_BASE, attrlist=["attributeTypes"])
    return [v.decode() for v in entry["attributeTypes"]]


def test_slapd_s_list_is_every_type_slapd_knows(slapd: servers.LdapServer) -> None:
    assert sorted(listed(SLAPD_TYPES)) == sorted(parsed(subschema_types(slapd)))


@pytest.mark.ds389
def test_389_s_lists_are_every_type_389_knows(ds389: servers.LdapServer) -> None:
    assert sorted(listed(*DS389_TYPES)) == sorted(parsed(subschema_types(ds389)))


def test_389_s_lists_hold_the_names_they_are_named_for() -> None:
    firsts = [[names[0].lower() for names, _ in definitions(text)] for text in DS389_TYPES]
    a_m, n, nsslapd, o_z = firsts
    assert all(f < "n" for f in a_m)
    assert all("n" <= f < "o" and not f.startswith("nsslapd") for f in n)
    assert all(f.startswith("nsslapd") for f in nsslapd)
    assert all(f >= "o" for f in o_z)


@contextlib.contextmanager
def slapd_loading(modules: list[str], workdir: Path) -> Iterator[servers.LdapServer]:
    """The tests' slapd (servers.py) loading these modules besides back_mdb."""
    workdir.mkdir()
    slapd = servers._slapd_object()
    loads = "".join(f"olcModuleLoad: {m}\n" for m in modules)
    config = servers._slapd_config(slapd).replace(
        "olcModuleLoad: back_mdb\n", f"olcModuleLoad: back_mdb\n{loads}"
    )
    assert loads in config
    slapd.gen_config = lambda: config
    slapd.start()
    try:
        yield servers.serve(slapd, workdir)
    finally:
        slapd.stop()


def test_the_modules_list_is_every_type_debian_s_modules_bring(tmp_path: Path) -> None:
    """A slapd loading every module Debian ships (but dyngroup), and one loading dyngroup
    alone: what their subschema holds beyond SLAPD_TYPES."""
    assert len(MODULES) > 30
    assert {"ppolicy", "accesslog", "otp", "syncprov", DYNGROUP} <= set(MODULES)
    measured: set[Definition] = set()
    for modules in ([m for m in MODULES if m != DYNGROUP], [DYNGROUP]):
        with slapd_loading(modules, tmp_path / modules[0]) as server:
            measured |= parsed(subschema_types(server))
    assert listed(SLAPD_TYPES) <= measured
    assert sorted(listed(SLAPD_MODULE_TYPES)) == sorted(measured - listed(SLAPD_TYPES))


def test_the_other_list_is_debian_s_other_schema_files() -> None:
    files = [p for p in sorted(DEBIAN_SCHEMAS.glob("*.ldif")) if p.stem not in NOT_OTHER]
    assert {p.stem for p in files} >= {"collective", "dyngroup", "misc", "pmi"}
    found = set().union(*map(ldif_file, files))
    other = new_in(found, SLAPD_TYPES, *DS389_TYPES)
    assert sorted(listed(OTHER_SLAPD_TYPES)) == sorted(other)


def test_the_optional_list_is_389_s_schema_files_not_loaded() -> None:
    ldifs = sorted(DS389_DATA.glob("*.ldif"))
    schemas = sorted(DS389_DATA.glob("*.schema"))
    per_file = {p.name: ldif_file(p, "") for p in ldifs} | {p.name: schema_file(p) for p in schemas}
    with_types = {name for name, found in per_file.items() if found}
    assert with_types >= {"60qmail.ldif", "60inetmail.ldif", "60kerberos.ldif",
                          "60samba.ldif", "60radius.ldif", "10rfc2307bis.ldif"}
    optional = new_in(set().union(*per_file.values()), SLAPD_TYPES, SLAPD_MODULE_TYPES,
                      OTHER_SLAPD_TYPES, *DS389_TYPES)
    assert sorted(listed(DS389_OPTIONAL_TYPES)) == sorted(optional)


def test_every_type_ldifctl_models_is_one_a_server_knows() -> None:
    """Else the rule would refuse a type of ldifctl's own tables, by name or OID (but
    the OIDs of the whole postfix-book schema, which no server's stock schema has: the
    rule finds them in ldifctl's tables)."""
    schema = build_schema()
    classes = parse_object_class_table(OBJECT_CLASS_TABLE).values()
    named = [k for k in schema.attributes if k not in OTHER_OIDS]
    named += [a for oc in classes for a in (*oc.must, *oc.may)]
    assert [n for n in named if not known_to_a_server(n)] == []


def test_a_type_is_known_by_its_names_and_its_oid_in_any_case() -> None:
    every = listed(SLAPD_TYPES, SLAPD_MODULE_TYPES, OTHER_SLAPD_TYPES, *DS389_TYPES,
                   DS389_OPTIONAL_TYPES)
    assert all(known_to_a_server(k) and known_to_a_server(k.upper()) for k in keys(every))
    assert sum(1 for oid, _ in every if oid) > 1500
    for spelled in ("2.5.4.65", "2.5.18.1", "1.3.6.1.1.16.4", "pwdMaxIdle", "qmailUID"):
        assert known_to_a_server(spelled)
    for unknown in ("mailAlais", "2.5.4.999", "nsSSL3-oid", "2.5.4.65;binary", ""):
        assert not known_to_a_server(unknown)


def test_binary_is_refused_on_a_type_by_its_name_or_oid_alike() -> None:
    for names, oid in definitions(SLAPD_TYPES):
        assert {binary_refused(n) for n in names} == {binary_refused(oid)}
    assert [binary_refused(k) for k in ("2.5.4.3", "cn", "2.5.4.37", "cACertificate")] == [
        True, True, False, False
    ]


def test_slapd_takes_binary_on_just_the_binary_types(clean_slapd: servers.LdapServer) -> None:
    """Each user type of slapd's subschema, written as `type;binary` on an
    extensibleObject: slapd refuses the option (17) on all but these, and judges the
    value of these (a certificate's syntax refuses `x`: 21)."""
    types = [
        m for d in subschema_types(clean_slapd) for m in _DEFINITION.finditer(d)
        if "NO-USER-MODIFICATION" not in d and "USAGE" not in d and "OBSOLETE" not in d
    ]
    taken = set()
    with clean_slapd.bind() as conn:
        for n, match in enumerate(types):
            name = re.findall(r"'([^']*)'", match.group(2))[0]
            dn = f"cn=t{n},{clean_slapd.suffix}"
            entry = [("objectClass", [b"device", b"extensibleObject"]), ("cn", [b"t%d" % n]),
                     (f"{name};binary", [b"x"])]
            refusal = f'{name};binary: option "binary" not supported with type'
            try:
                conn.add_s(dn, entry)
                conn.delete_s(dn)
                taken.add(name)
            except ldap.UNDEFINED_TYPE as err:
                assert err.args[0]["info"] == refusal
            except ldap.INVALID_SYNTAX:
                taken.add(name)
    assert len(types) > 250
    assert sorted(taken) == sorted(BINARY_TYPES.split())
