"""`apply` against real servers (slapd and 389-DS): what it sends, and what it refuses."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import ldap
import pytest
import servers
from golden_kit import GOLDEN, SCENARIOS
from ldap.controls import ManageDSAITControl
from live_kit import (
    PEOPLE_DN,
    in_sync,
    is_389,
    ldifctl,
    live_repo,
    mailbox,
    people,
)
from repo_kit import USER, USER_FORWARD, DirectoryRepo

from ldifctl.diff.snapshots import diff
from ldifctl.live import apply as applymod
from ldifctl.live.pipeline import Pipeline
from ldifctl.live.preconditions import Preconditions
from ldifctl.live.safety import Scope
from ldifctl.model.changes import Add
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import ASSERTION, connected
from ldifctl.sources.server import read_state

FORWARD = USER_FORWARD



def applied(repo: DirectoryRepo, *extra: str) -> tuple[int, str, str]:
    code, out, err = ldifctl(repo, "apply", "--yes", *extra)
    assert code == 0, err
    return code, out, err


def write_files(repo: DirectoryRepo, files: dict[str, str]) -> None:
    for path in (repo.root / "directory").rglob("cn=*.yaml"):
        path.unlink()
    repo.populate(files)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_seed_forward_scenarios_are_applied(
    name: str, tmp_path: Path, server: servers.LdapServer
) -> None:
    base, head = SCENARIOS[name]
    repo = live_repo(tmp_path / "repo", server)
    write_files(repo, base)
    repo.commit("base")
    applied(repo)
    write_files(repo, head)

    code, planned, _ = ldifctl(repo, "plan", "--base", "server")
    assert code == 0
    assert planned == (GOLDEN / f"{name}.ldif").read_text()
    applied(repo)
    assert in_sync(repo, server)
    assert ldifctl(repo, "drift")[0] == 0


def test_a_rename_keeps_the_entry_identity(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    repo.write(USER, FORWARD)
    applied(repo)
    ids = ["entryUUID", "nsUniqueId"] if is_389(server) else ["entryUUID"]
    before = identity(server, USER, ids)
    repo.remove(USER)
    new_dn = f"cn=new.example,{PEOPLE_DN}"
    repo.write(
        new_dn,
        FORWARD.replace("cn=user.example", "cn=new.example").replace(
            "cn: user.example", "cn: new.example"
        ),
    )

    _, out, _ = ldifctl(repo, "apply", "--dry-run")
    assert out == f"dn: {USER}\nchangetype: modrdn\nnewrdn: cn=new.example\ndeleteoldrdn: 1\n\n"
    applied(repo)
    assert identity(server, new_dn, ids) == before
    assert len(before) == len(ids)


def identity(server: servers.LdapServer, dn: str, ids: list[str]) -> dict[str, list[bytes]]:
    with server.bind() as conn:
        [(_, attrs)] = conn.search_s(dn, ldap.SCOPE_BASE, "(objectClass=*)", ids)
    return dict(attrs)


def test_a_mass_delete_is_refused_until_forced(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(19)})
    applied(repo)
    for i in range(9):
        repo.remove(f"cn=u{i},{PEOPLE_DN}")

    code, out, err = ldifctl(repo, "apply", "--yes")
    assert (code, out.count("changetype: delete")) == (1, 9)
    assert err.splitlines()[1:] == [
        "refused: Too many deletes, 45.00% is over 30.00% (9/20): rerun with --force",
        "nothing was sent",
    ]
    assert len(people(server)) == 20
    _, _, err = applied(repo, "--force")
    assert "forced past: Too many deletes, 45.00% is over 30.00% (9/20): rerun with --force" in err
    assert in_sync(repo, server)


def test_a_stale_checksum_is_refused(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    applied(repo)
    repo.write(USER, FORWARD)
    code, out, _ = ldifctl(repo, "plan", "--base", "server", "--format", "json")
    reviewed = re.search(r'"checksum": "(sha256:[0-9a-f]+)"', out)[1]  # type: ignore[index]
    # Between review and apply someone adds the entry by hand, with another forward.
    server.ldapadd(
        f"dn: {USER}\nobjectClass: inetOrgPerson\nobjectClass: mailRecipient\n"
        "cn: user.example\nsn: Example\nmailForwardingAddress: hand@elsewhere.org\n"
    )

    code, _, err = ldifctl(repo, "apply", "--yes", "--checksum", reviewed)
    now = re.search(r"now (sha256:[0-9a-f]+)", err)[1]  # type: ignore[index]
    assert code == 1
    assert err.splitlines()[-1] == (
        f"error: the plan changed since it was reviewed: its checksum is now {now}, not "
        f"{reviewed}; review the new plan (ldifctl plan --base server) and apply that"
    )
    assert people(server).get_dn(USER).get("mailForwardingAddress") == (  # type: ignore[union-attr]
        b"hand@elsewhere.org",
    )


def test_a_concurrent_edit_between_read_and_write_is_not_clobbered(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = live_repo(tmp_path / "repo", server)
    repo.write(USER, FORWARD)
    applied(repo)
    repo.write(
        USER,
        FORWARD.replace(
            "mailForwardingAddress: new.address@domain.ro",
            "mailForwardingAddress: planned@domain.ro",
        ),
    )
    repo.write(f"cn=u1,{PEOPLE_DN}", mailbox(1))
    ws = open_workspace(repo.root)
    desired, _ = applymod.desired_state(ws, "worktree")
    with connected(ws.config.server, ws.environ) as conn:
        prepared = applymod.prepare(ws, conn, desired, None)
        server.ldapmodify(
            f"dn: {USER}\nchangetype: modify\nreplace: mailForwardingAddress\n"
            "mailForwardingAddress: hand@elsewhere.org\n-\n"
        )
        result = applymod.execute(ws, conn, prepared)

    [(index, message)] = result.outcome.failed.items()
    assert prepared.plan.changes[index].dn == USER
    assert message.startswith("No such attribute (16)")
    assert message.endswith(
        "; the entry changed on the server since it was read: a value the plan deletes is gone"
    )
    assert people(server).get_dn(USER).get("mailForwardingAddress") == (  # type: ignore[union-attr]
        b"hand@elsewhere.org",
    )


def test_only_openldap_gets_the_assertion_control(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    """389 ignores a non-critical assertion and refuses a critical one: it gets none."""
    repo = live_repo(tmp_path / "repo", server)
    ws = open_workspace(repo.root)
    with connected(ws.config.server, ws.environ) as conn:
        assert conn.supports(ASSERTION) is not is_389(server)


def test_openldap_refuses_to_delete_an_entry_edited_since_the_read(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.write(USER, FORWARD)
    applied(repo)
    repo.remove(USER)
    ws = open_workspace(repo.root)
    desired, _ = applymod.desired_state(ws, "worktree")
    with connected(ws.config.server, ws.environ) as conn:
        prepared = applymod.prepare(ws, conn, desired, None)
        clean_slapd.ldapmodify(
            f"dn: {USER}\nchangetype: modify\nadd: description\ndescription: added by hand\n-\n"
        )
        result = applymod.execute(ws, conn, prepared)
    [message] = result.outcome.failed.values()
    assert message.startswith("Assertion Failed (122)")
    assert people(clean_slapd).get_dn(USER) is not None


def test_policy_errors_mean_nothing_is_sent(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    repo.write(f"cn=u1,{PEOPLE_DN}", mailbox(1))
    repo.write(f"cn=u2,{PEOPLE_DN}", mailbox(2).replace("cn: u2", "cn: other"))
    code, out, err = ldifctl(repo, "apply", "--yes")
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "nothing was sent: fix the errors above first"
    assert "[structure/rdn-value]" in err
    assert len(people(server)) == 0


def test_without_a_terminal_apply_needs_yes(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    code, _, err = ldifctl(repo, "apply", stdin="y\n")
    assert code == 1
    assert err.splitlines()[-1] == (
        "stdin is not a terminal: review the plan, then rerun with --yes; nothing was sent"
    )
    assert len(people(server)) == 0


def test_a_dry_run_sends_nothing(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    code, out, err = ldifctl(repo, "apply", "--dry-run", "--format", "json")
    assert code == 0
    assert '"add": 1' in out
    assert err.splitlines()[-1] == "dry run: nothing was sent"
    assert len(people(server)) == 0


def test_protected_entries_need_force(tmp_path: Path, server: servers.LdapServer) -> None:
    protect = f"apply:\n  protected:\n    - cn=u1,{PEOPLE_DN}\n"
    repo = live_repo(tmp_path / "repo", server, protect)
    repo.write(f"cn=u1,{PEOPLE_DN}", mailbox(1))
    applied(repo)
    repo.remove(f"cn=u1,{PEOPLE_DN}")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 1
    assert (
        f"refused: cn=u1,{PEOPLE_DN} is protected: the plan would delete it: rerun with "
        "--force" in err.splitlines()
    )


def test_a_pipelined_plan_keeps_dependency_order_and_undo_restores(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    """Adds of a new subtree, deletes of another and modifies, all in flight together."""
    repo = live_repo(
        tmp_path / "repo",
        server,
        "apply:\n  max_delete_percent: 100\n  max_update_percent: 100\n  window: 256\n",
    )
    old = "ou=old,ou=people,dc=example,dc=net"
    repo.write(
        old, "dn: ou=old,ou=people,dc=example,dc=net\nobjectClass: organizationalUnit\nou: old\n"
    )
    repo.populate(
        {
            f"cn=o{i},{old}": mailbox(i)
            .replace(f"cn=u{i},", f"cn=o{i},ou=old,")
            .replace(f"cn: u{i}", f"cn: o{i}")
            for i in range(150)
        }
    )
    repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(100)})
    applied(repo)
    before = people(server)

    shutil.rmtree(repo.path(old).with_suffix(""))
    repo.remove(old)
    new = "ou=new,ou=people,dc=example,dc=net"
    repo.write(
        new, "dn: ou=new,ou=people,dc=example,dc=net\nobjectClass: organizationalUnit\nou: new\n"
    )
    repo.populate(
        {
            f"cn=n{i},{new}": mailbox(i)
            .replace(f"cn=u{i},", f"cn=n{i},ou=new,")
            .replace(f"cn: u{i}", f"cn: n{i}")
            .replace("@domain.ro", "@new.ro")
            for i in range(150)
        }
    )
    repo.populate(
        {f"cn=u{i},{PEOPLE_DN}": mailbox(i).replace("domain.ro", "x.ro") for i in range(100)}
    )
    _, _, err = applied(repo)
    assert re.search(r": 402 applied, 0 failed, 0 unknown, 0 not attempted$", err, re.M), err
    assert in_sync(repo, server)

    report = repo.root / err.splitlines()[-1].split(" in ", 1)[1]
    undone = server.ldapmodify((report / "undo.ldif").read_text())
    assert undone.returncode == 0, undone.stderr
    assert diff(people(server), before) == []


def test_a_refused_write_stops_the_run_with_a_report(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    # A site's own type, declared to ldifctl but not loaded on the server, on an entry
    # with a class ldifctl does not model (so no class of it is judged): ldifctl cannot
    # tell, the server refuses it (slapd: 17; 389: 65, "not allowed").
    site = "attributes:\n  noSuchType: {equality: caseIgnoreMatch}\n"
    repo = live_repo(tmp_path / "repo", server, site)
    bad = f"cn=bad,{PEOPLE_DN}"
    classes = "objectClass: [person, labeledURIObject]\n"
    repo.write(bad, f"dn: {bad}\n{classes}cn: bad\nsn: Bad\nnoSuchType: x\n")
    code, _, err = ldifctl(repo, "apply", "--yes")
    lines = [line for line in err.splitlines() if not line.startswith("warning: ")]  # uncommitted
    assert code == 1
    assert lines[1] == f"{server.uri}: 1 applied, 1 failed, 0 unknown, 0 not attempted", err
    refusal = "Object class violation (65)" if is_389(server) else "Undefined attribute type (17)"
    assert lines[2].startswith(f"failed: add {bad}: {refusal}"), lines[2]
    assert lines[3] == (
        "stopped at the first failure; run `ldifctl apply` again once the cause is fixed"
    )
    report = repo.root / lines[4].split(" in ", 1)[1]
    assert sorted(p.name for p in report.iterdir()) == [
        ".gitignore",
        "remaining.ldif",
        "report.json",
        "undo.ldif",
    ]
    assert f"dn: {bad}\nchangetype: add\n" in (report / "remaining.ldif").read_text()
    assert (report / "undo.ldif").read_text().endswith(f"dn: {PEOPLE_DN}\nchangetype: delete\n\n")
    statuses = [c["status"] for c in json.loads((report / "report.json").read_text())["changes"]]
    assert statuses == ["applied", "failed"]

    repo.write(bad, f"dn: {bad}\nobjectClass: person\ncn: bad\nsn: Bad\n")  # the type gone
    applied(repo)
    assert in_sync(repo, server)


def test_an_empty_repo_never_empties_the_server(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(2)})
    applied(repo)
    shutil.rmtree(repo.root / "directory")
    (repo.root / "directory").mkdir()
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 1
    assert "refused: Every managed entry would be deleted (3): rerun with --force" in err
    assert len(people(server)) == 3


def test_the_wire_refuses_a_dn_outside_base_dn_too(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prepare() refuses such a plan; the pipeline checks each DN again as it sends."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    ws = open_workspace(live_repo(tmp_path / "repo", clean_slapd).root)
    outside = Add("ou=admins,dc=example,dc=net", (("objectClass", (b"organizationalUnit",)),))
    with connected(ws.config.server, ws.environ) as conn:
        state = read_state(conn, ws.config.base_dns, ws.schema)
        checks = Preconditions(state, [outside], ws.schema, True)
        scope = Scope(ws.config.base_dns, ws.schema)
        outcome = Pipeline(conn, ws.schema, 8, scope, checks).run([outside])
    assert outcome.failed == {
        0: (
            "refusing to write ou=admins,dc=example,dc=net: it is outside base_dn; nothing outside "
            "the managed subtrees is ever written"
        )
    }
    assert list(clean_slapd.search_all()) == [clean_slapd.suffix]


def test_a_password_hash_in_git_is_never_sent(tmp_path: Path, server: servers.LdapServer) -> None:
    """Even with the forbidden-attributes policy switched off."""
    repo = live_repo(tmp_path / "repo", server)
    applied(repo)
    assert ldifctl(repo, "apply", "--yes")[2].endswith("the server matches the repo\n")
    policies = repo.root / "policies"
    policies.mkdir()
    (policies / "off.yaml").write_text("rules:\n  forbidden-attributes: off\n")
    repo.write(f"cn=u1,{PEOPLE_DN}", mailbox(1) + "userPassword: '{SSHA}c2VjcmV0'\n")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 1
    assert err.splitlines()[-1] == (
        f"error: cn=u1,{PEOPLE_DN}: the plan would write userPassword, which ldifctl never "
        "writes (secrets stay out of git): remove userPassword from the entry file"
    )
    assert len(people(server)) == 1


def test_a_referral_inside_a_managed_subtree_stops_the_read(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries behind a referral live elsewhere: reading on would report them deleted."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    applied(repo)
    remote = f"ou=remote,{PEOPLE_DN}"
    with clean_slapd.bind() as conn:
        conn.add_ext_s(
            remote,
            [
                ("objectClass", [b"referral", b"extensibleObject"]),
                ("ou", [b"remote"]),
                ("ref", [b"ldap://elsewhere.example/ou=remote,ou=people,dc=example,dc=net"]),
            ],
            serverctrls=[ManageDSAITControl()],
        )
        try:
            code, out, err = ldifctl(repo, "drift")
        finally:
            # The shared server's reset() cannot see a referral entry: take it away here.
            conn.delete_ext_s(remote, serverctrls=[ManageDSAITControl()])
    assert (code, out) == (1, "")
    assert err == (
        f"error: {clean_slapd.uri} refers part of {PEOPLE_DN} to another server "
        f"(ldap://elsewhere.example/{remote}??sub): ldifctl reads and writes one server, and "
        "would take the entries there as deleted; set base_dn to the subtrees this server "
        "holds, and manage the referred one from the server the reference names\n"
    )
