"""The entry `validate` refuses for an attribute no class allows is the entry slapd
refuses, and the entry fixed is one slapd takes: once `validate` called it valid and
`apply` failed mid-run with `Object class violation (65): attribute 'mailAlias' not
allowed`."""

from __future__ import annotations

from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import USER, USER_YAML, DirectoryRepo

FILE = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"
WITH_ALIAS = USER_YAML.replace("sn: Example\n", "mailAlias: superjohn@domain2.me\nsn: Example\n")
FIXED = WITH_ALIAS.replace("  - mailRecipient\n", "  - mailRecipient\n  - PostfixBookMailAccount\n")


@pytest.fixture
def repo(tmp_path: Path, clean_slapd: servers.LdapServer) -> DirectoryRepo:
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.write(USER, WITH_ALIAS)
    return repo


def test_validate_refuses_what_slapd_refuses(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    code, out, err = ldifctl(repo, "validate")
    assert (code, out) == (1, ""), err
    assert (
        f"{FILE}:7: error [schema/allowed-attributes] mailAlias is allowed by none of the "
        "entry's object classes (inetOrgPerson, mailRecipient): add objectClass "
        "PostfixBookMailAccount, which allows it, or remove mailAlias\n"
    ) in err
    code, exported, err = ldifctl(repo, "export")
    assert code == 0, err
    refusal = r"(?s)ldapadd exited 65: .*attribute 'mailAlias' not allowed"
    with pytest.raises(servers.ServerError, match=refusal):
        clean_slapd.ldapadd(exported)
    assert USER not in clean_slapd.search_all(PEOPLE_DN)


def test_the_entry_fixed_validates_and_slapd_takes_it(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    repo.write(USER, FIXED)
    code, out, err = ldifctl(repo, "validate")
    assert (code, out) == (0, ""), err
    code, exported, err = ldifctl(repo, "export")
    assert code == 0, err
    clean_slapd.ldapadd(exported)
    held = clean_slapd.search_all(PEOPLE_DN)[USER]
    assert held["mailAlias"] == [b"superjohn@domain2.me"]

