"""An entry whose DN names userPassword (`cn=b+userPassword=x`) holds the secret in its
DN: no command writes it into the repo, a file name, a commit message or any output.
Every read of the server leaves it out and says so, masked; drift then exits 1."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, clean_server, ldifctl, live_repo
from repo_kit import DirectoryRepo

from ldifctl.live import drift
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.specs import WORKTREE

SECRET = "rdn-" + secrets.token_hex(8)
NAMED = f"cn=b+userPassword={SECRET},{PEOPLE_DN}"
BELOW = f"cn=kid,{NAMED}"  # named by the secret too, through its parent
BY_OID = f"cn=c+2.5.4.35={SECRET}x,{PEOPLE_DN}"  # the same type, spelled by its OID
NEW = f"cn=new,{PEOPLE_DN}"
NOTE = (
    "skipped {}: its DN holds a userPassword value, which ldifctl never reads, writes or "
    "shows (secrets stay out of git): rename the entry on the server (ldapmodrdn) to an "
    "RDN without userPassword\n"
)
NOTES_DNS = [
    f"cn=b+userPassword=<hidden>,{PEOPLE_DN}",
    f"cn=c+userPassword=<hidden>,{PEOPLE_DN}",  # slapd names the type in the DN it keeps
    f"cn=kid,cn=b+userPassword=<hidden>,{PEOPLE_DN}",
]
NOTES = "".join(map(NOTE.format, NOTES_DNS))


@pytest.fixture(params=["slapd"])
def server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> servers.LdapServer:
    """slapd only: 389-DS refuses such a DN (invalid DN syntax, 34)."""
    return clean_server(request, monkeypatch)  # type: ignore[no-any-return]


def hand_made(tmp_path: Path, server: servers.LdapServer) -> DirectoryRepo:
    """A repo applied to the server; then, by hand, the entries named by the secret and
    one ordinary new entry."""
    repo = live_repo(tmp_path / "repo", server)
    repo.commit("people")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    server.ldapadd(
        f"dn: {NAMED}\nobjectClass: inetOrgPerson\ncn: b\nsn: B\n\n"
        f"dn: {BELOW}\nobjectClass: person\ncn: kid\nsn: Kid\n\n"
        f"dn: {BY_OID}\nobjectClass: inetOrgPerson\ncn: c\nsn: C\n\n"
        f"dn: {NEW}\nobjectClass: person\ncn: new\nsn: New\n"
    )
    return repo


def assert_nowhere(repo: DirectoryRepo, *outputs: str) -> None:
    """Not in any output, any file below the repo (.git too), any commit, branch or name."""
    history = repo.git("log", "-p", "--all", "--name-only", "--format=%B")
    refs = repo.git("for-each-ref")
    for text in (*outputs, history, refs):
        assert SECRET not in text
    for path in repo.root.rglob("*"):
        assert SECRET not in path.name
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_drift_reports_and_writes_the_rest_and_exits_1(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = hand_made(tmp_path, server)
    runs = [ldifctl(repo, "drift", "--format", f) for f in ("ldif", "json", "markdown")]
    assert [code for code, _, _ in runs] == [1, 1, 1]
    assert runs[0][1] == f"dn: {NEW}\nchangetype: delete\n\n"
    assert [c["dn"] for c in json.loads(runs[1][1])["changes"]] == [NEW]
    summary, _, notes = runs[0][2].partition("\n")
    assert (summary.startswith("server -> working tree: 1 delete (sha256:"), notes) == (True, NOTES)

    written = ldifctl(repo, "drift", "--write")
    assert written[0] == 1
    assert written[2].endswith(f"1 file(s) written, 0 removed in directory\n{NOTES}")
    assert sorted(p.name for p in repo.path(PEOPLE_DN).with_suffix("").iterdir()) == [
        "cn=new.yaml"
    ]
    assert ldifctl(repo, "validate")[0] == 0
    assert_nowhere(repo, *(text for run in [*runs, written] for text in run[1:]))


def test_ldapsearch_and_python_ldap_leave_out_the_same_entries(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    ws = open_workspace(hand_made(tmp_path, server).root, dict(os.environ))
    fast, whole = drift._by_fingerprints(ws, WORKTREE), drift._whole(ws, WORKTREE)
    assert fast is not None, "the fingerprint way did not apply"
    assert fast.skipped == whole.skipped == tuple(NOTES_DNS)
    assert fast.plan.changes == whole.plan.changes
    assert [e.dn for e in whole.server] == [PEOPLE_DN, NEW]


def test_the_branch_adopts_the_rest_and_the_message_names_no_secret(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = hand_made(tmp_path, server)
    code, out, err = ldifctl(repo, "drift", "--write", "--branch", "adopt")
    assert code == 1, err
    assert err.endswith(NOTES)
    assert repo.git("ls-tree", "-r", "--name-only", "adopt").split() == [
        "directory/dc=net/dc=example/ou=people.yaml",
        "directory/dc=net/dc=example/ou=people/cn=new.yaml",
        "ldifctl.yaml",
    ]
    assert repo.git("log", "-1", "--format=%B", "adopt").endswith(
        f"Entries:\n  add     {NEW}\n\n"
    )
    assert_nowhere(repo, out, err)


def test_import_from_the_server_skips_them_with_a_note(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = hand_made(tmp_path, server)
    server.ldapmodify(f"dn: {NEW}\nchangetype: modify\nadd: userPassword\nuserPassword: pw\n")
    code, out, err = ldifctl(repo, "import", "--from-server")
    assert (code, out) == (0, "")
    assert err == NOTES + (
        "not written: userPassword of 1 entries (secrets stay out of git)\n"
        "1 files written, 1 unchanged, 0 removed in directory\n"
    )
    assert ldifctl(repo, "validate")[0] == 0
    assert_nowhere(repo, out, err)


def test_apply_leaves_them_alone_and_says_so(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = hand_made(tmp_path, server)
    code, out, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert out == f"dn: {NEW}\nchangetype: delete\n\n"
    assert err.partition("\n")[2].startswith(NOTES)
    kept_by_oid = BY_OID.replace("2.5.4.35", "userPassword")  # as slapd keeps it
    assert set(server.search_all(PEOPLE_DN)) == {PEOPLE_DN, NAMED, BELOW, kept_by_oid}
    assert_nowhere(repo, out, err)


def test_the_other_reads_of_the_server_leave_them_out(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = hand_made(tmp_path, server)
    runs = [
        ldifctl(repo, *command)
        for command in (["plan", "--base", "server"], ["diff", "server", "worktree"],
                        ["export", "--rev", "server"])
    ]
    assert runs[2][:2] == (0, f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\n"
                              f"ou: people\n\ndn: {NEW}\nobjectClass: person\ncn: new\n"
                              "sn: New\n\n")
    assert_nowhere(repo, *(text for run in runs for text in run[1:]))


def test_an_ldif_import_skips_them_too(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    ldif = tmp_path / "people.ldif"
    ldif.write_text(
        f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n\n"
        f"dn: {NAMED}\nobjectClass: inetOrgPerson\ncn: b\nsn: B\nuserPassword: {SECRET}\n"
    )
    code, out, err = ldifctl(repo, "import", "--from-ldif", str(ldif))
    assert (code, out) == (0, "")
    assert err == NOTE.format(f"cn=b+userPassword=<hidden>,{PEOPLE_DN}") + (
        "1 files written, 0 unchanged, 0 removed in directory\n"
    )
    assert_nowhere(repo, out, err)
