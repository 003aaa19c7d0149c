"""A value or RDN that changes only where slapd's equality sees a change is a change to the
diff too (matching_rules.py): `Hauptstrasse` to `Hauptstraße` was once "no changes", and
`cn=Strasse` to `cn=Straße` a modify of a DN slapd did not hold (No such object, 32)."""

from __future__ import annotations

from pathlib import Path

import pytest
import servers
from repo_kit import DirectoryRepo, base_repo, run

SUFFIX = """\
dn: dc=example,dc=net
objectClass: top
objectClass: domain
dc: example
"""
PEOPLE = """\
dn: ou=people,dc=example,dc=net
objectClass: organizationalUnit
ou: people

dn: cn=Strasse,ou=people,dc=example,dc=net
objectClass: inetOrgPerson
cn: Strasse
sn: s
mail: strasse@example.net
"""


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return base_repo(tmp_path / "repo")


def test_sharp_s_for_ss_in_a_value_is_a_change(repo: DirectoryRepo) -> None:
    repo.write_raw("a.ldif", f"{SUFFIX}description: Hauptstrasse 1\n".encode())
    repo.write_raw("b.ldif", f"{SUFFIX}description: Hauptstraße 1\n".encode())
    code, out, err = run(repo, "diff", "a.ldif", "b.ldif")
    assert (code, out) == (
        0,
        "dn: dc=example,dc=net\nchangetype: modify\n"
        "delete: description\ndescription: Hauptstrasse 1\n-\n"
        "add: description\ndescription:: SGF1cHRzdHJhw59lIDE=\n-\n\n",
    )
    assert err.startswith("a.ldif -> b.ldif: 1 modify (sha256:")


def test_sharp_s_for_ss_in_an_rdn_is_a_rename_slapd_applies(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    renamed = PEOPLE.replace("=Strasse", "=Straße").replace(": Strasse", ": Straße")
    repo.write_raw("a.ldif", f"{SUFFIX}\n{PEOPLE}".encode())
    repo.write_raw("b.ldif", f"{SUFFIX}\n{renamed}telephoneNumber: +49 30 1234\n".encode())
    code, out, _ = run(repo, "diff", "a.ldif", "b.ldif")
    assert (code, out) == (
        0,
        "dn: cn=Strasse,ou=people,dc=example,dc=net\nchangetype: modrdn\n"
        "newrdn:: Y249U3RyYcOfZQ==\ndeleteoldrdn: 1\n\n"
        "dn:: Y249U3RyYcOfZSxvdT1wZW9wbGUsZGM9ZXhhbXBsZSxkYz1uZXQ=\nchangetype: modify\n"
        "add: telephoneNumber\ntelephoneNumber: +49 30 1234\n-\n\n",
    )
    clean_slapd.ldapadd(PEOPLE)
    done = clean_slapd.ldapmodify(out)
    assert done.returncode == 0, done.stderr
    held = clean_slapd.search_all("ou=people,dc=example,dc=net")
    assert sorted(held) == ["cn=Straße,ou=people,dc=example,dc=net", "ou=people,dc=example,dc=net"]
    assert held["cn=Straße,ou=people,dc=example,dc=net"]["cn"] == ["Straße".encode()]
