"""`import --from-server`: bootstrap the entry files from a live subtree, without secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, is_389, ldifctl, live_repo
from repo_kit import DirectoryRepo

SEED = f"""\
dn: {PEOPLE_DN}
objectClass: organizationalUnit
ou: people
description: everyone

dn: cn=user,{PEOPLE_DN}
objectClass: inetOrgPerson
objectClass: mailRecipient
cn: user
sn: User
mail: user@new-domain.com
mailAlternateAddress: user@old-domain.com
mailForwardingAddress: user@new-domain.com
userPassword: {{SSHA}}c2VjcmV0c2FsdA==
description: set by the helpdesk
"""
USER_FILE = """\
dn: cn=user,ou=people,dc=example,dc=net
objectClass:
  - inetOrgPerson
  - mailRecipient{top}
cn: user
mail: user@new-domain.com
mailAlternateAddress: user@old-domain.com
mailForwardingAddress: user@new-domain.com
sn: User
"""

# The server holds one userPassword (the user's): the import says it left it out.
NOT_WRITTEN = "not written: userPassword of 1 entries (secrets stay out of git)"


def empty_repo(root: Path, server: servers.LdapServer) -> DirectoryRepo:
    repo = live_repo(root, server, "ignore_attributes: [description]\n")
    repo.remove(PEOPLE_DN)
    return repo


def test_import_writes_no_secret_and_no_ignored_attribute(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    server.ldapadd(SEED)
    repo = empty_repo(tmp_path / "repo", server)
    code, out, err = ldifctl(repo, "import", "--from-server")
    assert (code, out, err) == (
        0,
        "",
        f"{NOT_WRITTEN}\n2 files written, 0 unchanged, 0 removed in directory\n",
    )
    user = repo.path(f"cn=user,{PEOPLE_DN}").read_text()
    assert user == USER_FILE.format(top="\n  - top" if is_389(server) else "")
    assert "secret" not in user and "c2VjcmV0" not in user
    # 389 returns `top` for every entry; OpenLDAP what was written.
    classes = "\n  - organizationalUnit\n  - top" if is_389(server) else " organizationalUnit"
    people = repo.path(PEOPLE_DN).read_text()
    assert people == f"dn: {PEOPLE_DN}\nobjectClass:{classes}\nou: people\n"
    assert ldifctl(repo, "drift")[0] == 0
    assert ldifctl(repo, "import", "--from-server")[2] == (
        f"{NOT_WRITTEN}\n0 files written, 2 unchanged, 0 removed in directory\n"
    )


def test_import_keeps_the_comments_of_existing_files(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    server.ldapadd(SEED)
    repo = empty_repo(tmp_path / "repo", server)
    repo.write(
        f"cn=user,{PEOPLE_DN}",
        "# the migration of 2024\n" + USER_FILE.format(top="").replace("sn: User", "sn: Old"),
    )
    ldifctl(repo, "import", "--from-server")
    text = repo.path(f"cn=user,{PEOPLE_DN}").read_text()
    assert text.startswith("# the migration of 2024\ndn: cn=user,")
    assert "sn: User\n" in text


def test_an_empty_read_imports_nothing(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = empty_repo(tmp_path / "repo", server)
    assert ldifctl(repo, "import", "--from-server", "--prune") == (
        1,
        "",
        (
            f"error: the server returned no entries below {PEOPLE_DN}: check base_dn, "
            "server.bind_dn and that the bind DN may read the subtree\n"
        ),
    )


@pytest.mark.parametrize("args", [[], ["--from-server", "--from-ldif", "x.ldif"]])
def test_import_takes_one_source(tmp_path: Path, args: list[str]) -> None:
    repo = DirectoryRepo(tmp_path, f"base_dn: {PEOPLE_DN}\n")
    assert ldifctl(repo, "import", *args) == (
        2,
        "",
        "give one of --from-ldif FILE and --from-server\n",
    )
