"""`drift` against real servers: hand edits reported both ways, and adopted into the files."""

from __future__ import annotations

import json
from pathlib import Path

import servers
from live_kit import PEOPLE_DN, is_389, ldifctl, live_repo
from repo_kit import USER, USER_FORWARD, DirectoryRepo

OLD = "old.address@domain.com"
FORWARD = USER_FORWARD.replace(OLD, f"{OLD}  # kept until June")
HAND_EDIT = f"""\
dn: {USER}
changetype: modify
delete: mailForwardingAddress
mailForwardingAddress: new.address@domain.ro
-
add: mailForwardingAddress
mailForwardingAddress: hand@elsewhere.org
-
add: mailAlternateAddress
mailAlternateAddress: second@domain.com
-
"""


def synced_repo(root: Path, server: servers.LdapServer) -> DirectoryRepo:
    repo = live_repo(root, server)
    repo.write(USER, FORWARD)
    repo.write(
        f"cn=gone,{PEOPLE_DN}",
        f"dn: cn=gone,{PEOPLE_DN}\nobjectClass: person\ncn: gone\nsn: Gone\n",
    )
    repo.commit("synced")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    return repo


def test_a_hand_edit_is_drift(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = synced_repo(tmp_path / "repo", server)
    assert ldifctl(repo, "drift") == (0, "", "server -> working tree: no changes\n")
    assert server.ldapmodify(HAND_EDIT).returncode == 0

    code, out, _ = ldifctl(repo, "drift")
    assert code == 3
    assert (
        out
        == f"""\
dn: {USER}
changetype: modify
delete: mailAlternateAddress
mailAlternateAddress: second@domain.com
-
delete: mailForwardingAddress
mailForwardingAddress: hand@elsewhere.org
-
add: mailForwardingAddress
mailForwardingAddress: new.address@domain.ro
-

"""
    )
    code, out, _ = ldifctl(repo, "drift", "--rev", "HEAD", "--format", "json")
    assert (code, json.loads(out)["summary"]) == (
        3,
        {"add": 0, "modify": 1, "modrdn": 0, "delete": 0},
    )
    code, out, _ = ldifctl(repo, "drift", "--format", "markdown")
    assert code == 3
    assert out.startswith("<!-- ldifctl:drift -->\n### ldifctl drift: `server` → `working tree`\n")


def test_the_repo_side_comes_through_the_cache_and_is_never_stale(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = synced_repo(tmp_path / "repo", server)
    assert ldifctl(repo, "drift")[0] == 0
    assert (repo.root / ".git/ldifctl/entries.marshal").is_file()  # filled by that drift

    repo.write(USER, FORWARD.replace("sn: Example", "sn: Edited"))  # not committed
    code, out, _ = ldifctl(repo, "drift")
    assert (code, out) == (
        3,
        f"dn: {USER}\nchangetype: modify\ndelete: sn\nsn: Example\n-\nadd: sn\nsn: Edited\n-\n\n",
    )
    assert ldifctl(repo, "drift", "--rev", "HEAD")[0] == 0
    repo.write(USER, FORWARD)
    assert ldifctl(repo, "drift")[0] == 0


def test_write_adopts_the_servers_state_keeping_comments(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = synced_repo(tmp_path / "repo", server)
    server.ldapmodify(HAND_EDIT)
    server.ldapmodify(f"dn: cn=gone,{PEOPLE_DN}\nchangetype: delete\n")
    server.ldapadd(
        f"dn: cn=hand,{PEOPLE_DN}\nobjectClass: inetOrgPerson\ncn: hand\nsn: Hand\n"
        "userPassword: {SSHA}c2VjcmV0\n"
    )

    code, _, err = ldifctl(repo, "drift", "--write")
    assert code == 3
    assert err.splitlines()[-1] == "2 file(s) written, 1 removed in directory"
    assert repo.path(USER).read_text() == FORWARD.replace(
        "mailAlternateAddress: old.address@domain.com  # kept until June\n",
        "mailAlternateAddress:\n  - old.address@domain.com # kept until June\n"
        "  - second@domain.com\n",
    ).replace(
        "mailForwardingAddress: new.address@domain.ro", "mailForwardingAddress: hand@elsewhere.org"
    )
    # 389 lists person and organizationalPerson too: the file keeps what a person writes.
    assert repo.path(f"cn=hand,{PEOPLE_DN}").read_text() == (
        f"dn: cn=hand,{PEOPLE_DN}\nobjectClass:\n  - inetOrgPerson\n  - top\ncn: hand\nsn: Hand\n"
        if is_389(server)
        else f"dn: cn=hand,{PEOPLE_DN}\nobjectClass: inetOrgPerson\ncn: hand\nsn: Hand\n"
    )
    assert not repo.path(f"cn=gone,{PEOPLE_DN}").exists()
    assert ldifctl(repo, "drift")[0] == 0  # the server's userPassword is not drift


def test_write_follows_a_rename_by_hand(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = synced_repo(tmp_path / "repo", server)
    server.ldapmodify(f"dn: {USER}\nchangetype: modrdn\nnewrdn: cn=renamed\ndeleteoldrdn: 1\n")
    code, out, _ = ldifctl(repo, "drift", "--write")
    assert (code, out) == (
        3,
        f"dn: cn=renamed,{PEOPLE_DN}\nchangetype: modrdn\n"
        "newrdn: cn=user.example\ndeleteoldrdn: 1\n\n",
    )
    assert not repo.path(USER).exists()
    moved = repo.path(f"cn=renamed,{PEOPLE_DN}").read_text()
    assert moved.startswith("# 389-DS style forward")
    assert "dn: cn=renamed,ou=people,dc=example,dc=net\n" in moved
    assert ldifctl(repo, "drift")[0] == 0


def test_write_refuses_to_empty_the_repo(tmp_path: Path, server: servers.LdapServer) -> None:
    """A read that sees nothing (a wrong bind DN, ACLs) must not delete the files."""
    repo = live_repo(tmp_path / "repo", server)
    repo.populate(
        {
            f"cn=u{i},{PEOPLE_DN}": f"dn: cn=u{i},{PEOPLE_DN}\nobjectClass: person\n"
            f"cn: u{i}\nsn: U\n"
            for i in range(11)
        }
    )
    code, _, err = ldifctl(repo, "drift", "--write")
    assert code == 1
    assert err.splitlines()[-4:] == [
        "error: drift --write would remove entry files:",
        "error: Every managed entry would be deleted (12): rerun with --force",
        "error: Too many deletes, 100.00% is over 30.00% (12/12): rerun with --force",
        f"error: {PEOPLE_DN} is protected: the plan would delete it: rerun with --force",
    ]
    assert len(list((repo.root / "directory").rglob("*.yaml"))) == 12


def test_write_goes_with_the_working_tree_only(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    assert ldifctl(repo, "drift", "--write", "--rev", "HEAD") == (
        2,
        "",
        "--write updates the working tree's files: drop --rev\n",
    )


def test_the_server_is_a_source_for_plan_and_diff(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = synced_repo(tmp_path / "repo", server)
    server.ldapmodify(HAND_EDIT)
    _, drifted, _ = ldifctl(repo, "drift")
    assert ldifctl(repo, "plan", "--base", "server")[1] == drifted
    code, out, err = ldifctl(repo, "diff", "HEAD", "server")
    assert code == 0
    assert err == "HEAD -> server: 1 modify (" + err.split("(", 1)[1]
    assert "add: mailAlternateAddress\nmailAlternateAddress: second@domain.com\n" in out


def test_a_server_that_is_down_is_an_error(tmp_path: Path) -> None:
    repo = DirectoryRepo(
        tmp_path / "repo", f"base_dn: {PEOPLE_DN}\nserver:\n  uri: ldap://127.0.0.1:1\n"
    )
    code, out, err = ldifctl(repo, "drift")
    assert (code, out) == (1, "")
    assert err == (
        "error: cannot reach ldap://127.0.0.1:1 (reading the root DSE failed): Can't contact "
        "LDAP server (-1): Transport endpoint is not connected: check server.uri (or "
        "LDIFCTL_URI), that the server runs, and for TLS server.ca_file\n"
    )


ALIASES = """\
mail:
  virtual_alias_maps:
    - search_base: ou=people,dc=example,dc=net
      query_filter: (mailAlternateAddress=%s)
      result_attribute: mailForwardingAddress
"""


def test_drift_says_what_applying_does_to_mail(tmp_path: Path, server: servers.LdapServer) -> None:
    """Read the fast way (only the entries that differ) or whole (`--write`), the routing
    impact is the same: from the server's routing to the repo's."""
    repo = live_repo(tmp_path / "repo", server, ALIASES)
    repo.write(USER, FORWARD)
    repo.commit("synced")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    assert server.ldapmodify(HAND_EDIT).returncode == 0

    def external(address: str) -> dict[str, object]:
        return {"status": "delivered", "destinations": [{"address": address, "kind": "external"}]}

    expected = [
        {
            "address": OLD,
            "before": external("hand@elsewhere.org"),
            "after": external("new.address@domain.ro"),
        },
        {
            "address": "second@domain.com",
            "before": external("hand@elsewhere.org"),
            "after": {"status": "unknown", "destinations": []},
        },
    ]
    code, out, err = ldifctl(repo, "drift", "--format", "json")
    assert (code, json.loads(out)["routing"]) == (3, expected), err
    assert f"{OLD}: hand@elsewhere.org (external) -> new.address@domain.ro (external)" in err
    code, out, _ = ldifctl(repo, "drift", "--format", "json", "--write")
    assert (code, json.loads(out)["routing"]) == (3, expected)
