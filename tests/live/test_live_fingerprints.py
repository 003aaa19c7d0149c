"""`drift` by fingerprints (ldapsearch's text, only differing entries parsed) finds exactly
what the whole comparison finds, on both servers; it never shows the password; and any
trouble sends it back to the python-ldap read."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, is_389, ldifctl, live_repo
from repo_kit import USER, USER_FORWARD, DirectoryRepo

from ldifctl.diff import fingerprints
from ldifctl.live import drift
from ldifctl.model.schema import build_schema
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.specs import WORKTREE

ODD = f"cn=Odd Ünïcode,{PEOPLE_DN}"
HAND_EDITS = f"""\
dn: {USER}
changetype: modify
replace: mailForwardingAddress
mailForwardingAddress: NEW.Address@domain.ro
mailForwardingAddress: hand@elsewhere.org
-
add: userPassword
userPassword: not-for-the-repo
-

dn: {ODD}
changetype: add
objectClass: inetOrgPerson
cn: Odd Ünïcode
sn:: IGxlYWRpbmcgc3BhY2U=
description: trailing space\x20
description: :colon first

dn: cn=gone,{PEOPLE_DN}
changetype: delete

dn: cn=moved,{PEOPLE_DN}
changetype: modrdn
newrdn: cn=moved again
deleteoldrdn: 1
"""


def synced(root: Path, server: servers.LdapServer) -> DirectoryRepo:
    repo = live_repo(root, server)
    repo.write(USER, USER_FORWARD)
    for cn in ("gone", "moved", "same"):
        dn = f"cn={cn},{PEOPLE_DN}"
        repo.write(dn, f"dn: {dn}\nobjectClass: person\ncn: {cn}\nsn: Person\n")
    repo.commit("synced")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    return repo


def both_ways(repo: DirectoryRepo, rev: str) -> tuple[drift.Drift, drift.Drift]:
    ws = open_workspace(repo.root, dict(os.environ))
    fast = drift._by_fingerprints(ws, rev)
    assert fast is not None, "the fingerprint way did not apply"
    return fast, drift._whole(ws, rev)


def test_in_sync_nothing_is_parsed(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = synced(tmp_path / "repo", server)
    fast, whole = both_ways(repo, WORKTREE)
    assert fast.plan.changes == whole.plan.changes == ()
    if not is_389(server):  # 389 lists superior object classes: every entry is compared
        assert (len(fast.server), len(fast.repo)) == (0, 0)


def test_hand_edits_and_repo_edits_give_the_whole_comparisons_plan(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = synced(tmp_path / "repo", server)
    assert server.ldapmodify(HAND_EDITS).returncode == 0
    same = f"cn=same,{PEOPLE_DN}"
    repo.write(same, f"dn: {same}\nobjectClass: person\ncn: same\nsn: Edited\n")  # uncommitted
    for rev in (WORKTREE, "HEAD"):
        fast, whole = both_ways(repo, rev)
        assert fast.plan.changes == whole.plan.changes
        assert len(fast.plan.changes) >= 4
    # Only what differs was parsed: the unchanged people entry stayed text.
    if not is_389(server):
        assert PEOPLE_DN.lower() not in {e.dn.lower() for e in fast.server}


def test_the_password_is_in_no_argv_and_no_environment(
    tmp_path: Path, server: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = synced(tmp_path / "repo", server)
    seen = tmp_path / "seen"
    spy = tmp_path / "bin" / "ldapsearch"
    spy.parent.mkdir()
    real = next(
        Path(d) / "ldapsearch"
        for d in os.environ["PATH"].split(":")
        if (Path(d) / "ldapsearch").is_file()
    )
    spy.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}/argv\nenv > {seen}/env\nexec {real} "$@"\n'
    )
    spy.chmod(spy.stat().st_mode | stat.S_IEXEC)
    seen.mkdir()
    monkeypatch.setenv("PATH", f"{spy.parent}:{os.environ['PATH']}")
    fast, _ = both_ways(repo, WORKTREE)
    assert fast.plan.changes == ()
    argv, env = (seen / "argv").read_text(), (seen / "env").read_text()
    assert "-y" in argv.splitlines() and "-D" in argv.splitlines()
    assert server.root_pw not in argv and server.root_pw not in env


def test_without_ldapsearch_or_with_a_wrong_password_the_usual_read_speaks(
    tmp_path: Path, server: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = synced(tmp_path / "repo", server)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert drift._by_fingerprints(open_workspace(repo.root, dict(os.environ)), "HEAD") is None
    assert ldifctl(repo, "drift")[0] == 0  # python-ldap reads instead
    monkeypatch.undo()
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", "wrong-secret")
    code, out, err = ldifctl(repo, "drift")
    assert code == 1 and "invalid credentials (49)" in err
    assert "wrong-secret" not in out + err


# --- The text, without a server.

SCHEMA = build_schema()


def test_page_comments_go_and_each_entry_is_a_block() -> None:
    text = (
        # As `ldapsearch -LLL -E pr=N/noprompt` prints them (tests/ldif_fixtures/referrals/
        # LLL-paged.ldif): no comment but the one after each page.
        b"dn: cn=a,dc=x\ncn: a\n\n# pagedresults: cookie=AAA=\n\n"
        b"dn: cn=B,dc=x\nsn: b\n\n# pagedresults: cookie=BBB=\n"  # right before a dn: line
        b"dn: cn=c,dc=x\nsn: c\n\n# pagedresults: cookie=\n"
    )
    assert fingerprints.blocks(text) == [
        b"dn: cn=a,dc=x\ncn: a",
        b"dn: cn=B,dc=x\nsn: b",
        b"dn: cn=c,dc=x\nsn: c",
    ]


@pytest.mark.parametrize(
    "text",
    [
        b"dn: cn=a,dc=x\ncn: a\ndn: cn=b,dc=x\ncn: b\n",  # two entries run together
        b"dn: cn=a,dc=x\ncn: a\n\nref: ldap://elsewhere/dc=y\n",  # a referral
        # References as `ldapsearch -LLL` prints them: comments, first or between entries,
        # the referral's value as stored, an LDAP URL or not.
        b"dn: cn=a,dc=x\ncn: a\n\n# refldap://elsewhere/ou=y,dc=x??sub\n\ndn: cn=b,dc=x\n",
        b"# refldaps://elsewhere:636/ou=y,dc=x\n\ndn: cn=a,dc=x\ncn: a\n",
        b"dn: cn=a,dc=x\ncn: a\n\n# refurn:x-other:directory\n",
        b"dn: cn=a,dc=x\ncn: a\n\n# refldap2.example.net\n",
        b"# some other comment\ndn: cn=a,dc=x\ncn: a\n",  # not -LLL's: the plain read decides
    ],
)
def test_text_that_is_not_plain_entries_is_refused(text: bytes) -> None:
    assert fingerprints.blocks(text) is None


def test_the_comments_that_end_pages_are_passed_over() -> None:
    text = (
        b"# pagedresults: cookie=AgAAAAAAAAA=\ndn: cn=a,dc=x\ncn: a\n\n"
        b"# pagedresults: cookie=BAAAAAAAAAA=\n\ndn: cn=b,dc=x\ndescription: #1\n\n"
        b"# pagedresults: cookie=\n"
    )
    assert fingerprints.blocks(text) == [b"dn: cn=a,dc=x\ncn: a", b"dn: cn=b,dc=x\ndescription: #1"]


def test_the_sieves_leave_only_what_differs() -> None:
    repo = {
        b"dn: cn=same,dc=x\nobjectClass: person\ncn: same": "same.yaml",
        b"dn: cn=order,dc=x\nobjectClass: person\ncn: order\nsn: a\nsn: b": "order.yaml",
        b"dn: cn=pw,dc=x\nobjectClass: person\ncn: pw": "pw.yaml",
        b"dn: cn=case,dc=x\nobjectClass: person\ncn: case": "case.yaml",
        b"dn: cn=repo only,dc=x\nobjectClass: person\ncn: repo only": "repo-only.yaml",
        b"dn: cn=kept,dc=x\nobjectClass: person\ncn: kept\nuserPassword:: eA==\n#": "kept.yaml",
    }
    printed = [
        b"dn: cn=same,dc=x\nobjectClass: person\ncn: same",
        b"dn: cn=order,dc=x\nsn: b\nobjectClass: person\nsn: a\ncn: order",
        b"dn: cn=pw,dc=x\nobjectClass: person\nuserPassword:: c2VjcmV0\ncn: pw",
        b"dn: cn=case,dc=x\nobjectClass: person\ncn: CASE",
        b"dn: cn=server only,dc=x\nobjectClass: person\ncn: server only",
        b"dn: cn=kept,dc=x\nobjectClass: person\ncn: kept\nuserPassword:: eA==",
    ]
    found = fingerprints.differing(printed, repo, SCHEMA)
    assert found is not None
    assert sorted(found.server) == [printed[3], printed[5], printed[4]]
    assert found.repo == {"case.yaml", "repo-only.yaml", "kept.yaml"}


def test_two_entries_printing_one_dn_line_are_refused() -> None:
    printed = [b"dn: cn=a,dc=x\ncn: a", b"dn: CN=A,dc=x\ncn: A"]
    assert fingerprints.differing(printed, {}, SCHEMA) is None


def test_values_print_as_ldapsearch_prints_them() -> None:
    assert fingerprints.line("sn", b"plain value") == b"sn: plain value"
    for value in (b" lead", b"trail ", b":colon", b"<lt", b"caf\xc3\xa9", b"a\nb"):
        assert fingerprints.line("sn", value).startswith(b"sn:: ")


def test_a_broken_file_is_reported_and_the_read_given_up(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = synced(tmp_path / "repo", server)
    (repo.root / "directory/dc=net/dc=example/ou=people/cn=same.yaml").write_text("dn: [\n")
    code, _, err = ldifctl(repo, "drift")
    assert (code, err) == (
        1,
        "error: directory/dc=net/dc=example/ou=people/cn=same.yaml:2: malformed YAML: did not "
        "find expected node content; fix the YAML syntax\n",
    )
    left = subprocess.run(["pgrep", "-f", f"ldapsearch.*{server.uri}"], capture_output=True)
    assert left.stdout == b""
