"""The OIDs of the built-in attribute types are the schemas' own: those of the files
OpenLDAP and 389-DS load, and of a running slapd. An OID that named another type would
let `2.5.4.35`-style spellings slip past the checks that judge userPassword."""

from __future__ import annotations

import re
from pathlib import Path

import ldap
import servers

from ldifctl.model.schema_data import ATTRIBUTE_TABLE

SCHEMA_FILES = [
    *(Path("/etc/ldap/schema") / f"{name}.ldif" for name in ("core", "cosine", "inetorgperson")),
    Path("/etc/ldap/schema/nis.ldif"),
    *sorted((Path(__file__).parents[2] / "ldifctl" / "schema_files").glob("*.ldif")),
    *sorted(Path("/usr/share/dirsrv/schema").glob("*.ldif")),
]
# `( 2.5.4.3 NAME ( 'cn' 'commonName' ) ...` as schema files and cn=Subschema write it.
_DEFINITION = re.compile(r"\(\s*([0-9.]+)\s+NAME\s+(\([^)]*\)|'[^']*')")


def table() -> dict[str, str]:
    """Every built-in name and alias (lower case) -> the OID the table gives it."""
    rows = (line.split() for line in ATTRIBUTE_TABLE.strip().splitlines())
    return {name.lower(): oid for oid, names, _, _ in rows for name in names.split(",")}


def definitions(texts: list[str]) -> dict[str, set[str]]:
    """Name (lower case) -> the OIDs the texts define it with."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for oid, names in _DEFINITION.findall(text):
            for name in re.findall(r"'([^']*)'", names):
                found.setdefault(name.lower(), set()).add(oid)
    return found


def unfolded(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").replace("\n ", "").splitlines()
    return "\n".join(line for line in lines if "attributetypes" in line.lower())


def test_every_built_in_oid_is_the_one_the_schema_files_define() -> None:
    defined = definitions([unfolded(p) for p in SCHEMA_FILES if p.is_file()])
    ours = table()
    assert {n: {o} for n, o in ours.items() if n in defined} == {
        n: defined[n] for n in ours if n in defined
    }
    # Every type comes from some file, so none of the OIDs above is untested.
    primary = {line.split()[1].split(",")[0].lower() for line in ATTRIBUTE_TABLE.split("\n")[1:-1]}
    assert sorted(primary - defined.keys()) == []


def test_every_built_in_oid_is_the_one_slapd_knows(slapd: servers.LdapServer) -> None:
    with slapd.bind() as conn:
        [(_, attrs)] = conn.search_s("cn=Subschema", ldap.SCOPE_BASE, attrlist=["attributeTypes"])
    defined = definitions([v.decode() for v in attrs["attributeTypes"]])
    ours = table()
    known = [n for n in ours if n in defined]
    assert len(known) > 100  # core, cosine, inetorgperson, nis and the mail schemas
    assert {n: {ours[n]} for n in known} == {n: defined[n] for n in known}


def test_no_oid_names_two_types() -> None:
    oids = [line.split()[0] for line in ATTRIBUTE_TABLE.strip().splitlines()]
    assert [o for o in oids if oids.count(o) > 1] == []
