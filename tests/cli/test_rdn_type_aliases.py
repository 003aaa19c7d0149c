"""A DN may name an RDN's type by an alias or its OID (`commonName=x`, `2.5.4.3=x`): it is
the entry `cn=x` (RFC 4512 2.5), for the diff, the structure checks, and the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, base_repo, run

PEOPLE = "directory/dc=net/dc=example/ou=people"
SUFFIX_AND_PEOPLE = """\
dn: dc=example,dc=net
objectClass: top
objectClass: domain
dc: example

dn: ou=people,dc=example,dc=net
objectClass: organizationalUnit
ou: people

"""
PERSON = "objectClass: person\ncn: x\nsn: s\n"


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return base_repo(tmp_path / "repo")


def put(repo: DirectoryRepo, relpath: str, text: str) -> None:
    repo.write_raw(relpath, text.encode())


@pytest.mark.parametrize("spelled", ["commonName=x", "2.5.4.3=x", "CN=x"])
def test_a_dn_whose_type_is_spelled_otherwise_is_no_change(
    repo: DirectoryRepo, spelled: str
) -> None:
    # Once an add of cn=x and a delete of commonName=x: ldapmodify -c failed the add
    # (68, it exists) and then deleted the entry.
    put(repo, "a.ldif", f"{SUFFIX_AND_PEOPLE}dn: {spelled},ou=people,dc=example,dc=net\n{PERSON}")
    put(repo, "b.ldif", f"{SUFFIX_AND_PEOPLE}dn: cn=x,ou=people,dc=example,dc=net\n{PERSON}")
    for exact in ([], ["--exact-case"]):
        assert run(repo, "diff", "a.ldif", "b.ldif", *exact) == (
            0, "", "a.ldif -> b.ldif: no changes\n"
        )


def test_an_entry_named_by_an_alias_holds_its_rdn_value(repo: DirectoryRepo) -> None:
    put(repo, f"{PEOPLE}/commonName=x.yaml",
        f"dn: commonName=x,ou=people,dc=example,dc=net\n{PERSON}")
    code, _, err = run(repo, "validate")
    assert (code, err.splitlines()[-1]) == (0, "3 entries in directory: valid")


def test_an_rdn_value_missing_is_named_by_the_schema_name(repo: DirectoryRepo) -> None:
    put(repo, f"{PEOPLE}/commonName=x.yaml",
        "dn: commonName=x,ou=people,dc=example,dc=net\nobjectClass: person\ncn: y\nsn: s\n")
    code, _, err = run(repo, "validate")
    assert (code, err.splitlines()[0]) == (
        1,
        f"{PEOPLE}/commonName=x.yaml:1: error [structure/rdn-value] the RDN value "
        "commonName=x is not among the entry's cn values: add it",
    )


def test_a_parent_named_by_an_alias_exists(repo: DirectoryRepo) -> None:
    put(repo, "directory/dc=net/dc=example/organizationalUnitName=people/cn=x.yaml",
        f"dn: cn=x,organizationalUnitName=people,dc=example,dc=net\n{PERSON}")
    code, out, err = run(repo, "validate")
    assert (code, err.splitlines()[-1]) == (0, "3 entries in directory: valid")
    code, out, err = run(repo, "plan")
    assert (code, out) == (
        0,
        "dn: cn=x,organizationalUnitName=people,dc=example,dc=net\nchangetype: add\n"
        f"{PERSON}\n",
    )


def test_two_files_whose_dns_differ_by_a_type_alias_are_refused(repo: DirectoryRepo) -> None:
    put(repo, f"{PEOPLE}/commonName=x.yaml",
        f"dn: commonName=x,ou=people,dc=example,dc=net\n{PERSON}")
    repo.commit()
    put(repo, f"{PEOPLE}/cn=x.yaml", f"dn: cn=x,ou=people,dc=example,dc=net\n{PERSON}")
    code, out, err = run(repo, "plan")
    assert (code, out, err.splitlines()[0]) == (
        1,
        "",
        f"{PEOPLE}/cn=x.yaml: error [structure/duplicate-dn] names the same entry as "
        f"{PEOPLE}/commonName=x.yaml under LDAP rules: keep one",
    )
    assert run(repo, "validate")[1:] == (
        "",
        f"error: {PEOPLE}/commonName=x.yaml:1: DN 'commonName=x,ou=people,dc=example,dc=net' "
        f"is the same entry as {PEOPLE}/cn=x.yaml:1 ('cn=x,ou=people,dc=example,dc=net') "
        "under LDAP rules: keep one of the two\n",
    )


def test_two_ldif_records_whose_dns_differ_by_a_type_alias_are_refused(
    repo: DirectoryRepo,
) -> None:
    put(repo, "a.ldif", SUFFIX_AND_PEOPLE)
    put(repo, "b.ldif", f"{SUFFIX_AND_PEOPLE}dn: commonName=x,ou=people,dc=example,dc=net\n"
        f"{PERSON}\ndn: CN=x,ou=people,dc=example,dc=net\n{PERSON}")
    assert run(repo, "diff", "a.ldif", "b.ldif") == (
        1,
        "",
        "error: b.ldif:15: DN 'CN=x,ou=people,dc=example,dc=net' is the same entry as "
        "b.ldif:10 ('commonName=x,ou=people,dc=example,dc=net') under LDAP rules: keep one "
        "of the two\n",
    )
