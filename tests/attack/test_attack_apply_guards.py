"""What apply must refuse however it is asked: a stale or foreign checksum, a mass rewrite,
a base_dn entry, a userPassword (never, even with --force). Each refusal leaves the
server exactly as it was: the test reads it back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import servers
from attack_kit import Done, run_here
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import DirectoryRepo

USERS = 19  # with ou=people, 20 managed entries: past min_existing, so shares count


def mailbox(i: int, domain: str = "domain.ro") -> str:
    return (
        f"dn: cn=u{i},{PEOPLE_DN}\nobjectClass: [inetOrgPerson, mailRecipient]\n"
        f"cn: u{i}\nsn: U\nmail: u{i}@{domain}\n"
    )


@pytest.fixture
def repo(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DirectoryRepo]:
    """20 managed entries, applied and committed."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(USERS)})
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    repo.commit("in sync")
    yield repo


def refused_and_untouched(done: Done, server: servers.LdapServer, before: object) -> None:
    assert done.code == 1, done.err
    assert "Traceback" not in done.err and "unexpected error" not in done.err
    assert server.search_all() == before


def checksum_of(repo: DirectoryRepo, *args: str) -> str:
    code, out, err = ldifctl(repo, "plan", "--base", "server", "--format", "json", *args)
    assert code == 0, err
    return str(json.loads(out)["checksum"])


def test_a_checksum_from_before_the_repo_moved_on_is_refused(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    """Reviewed plan A; commit B lands before the apply: `--checksum A` sends nothing."""
    repo.write(f"cn=u0,{PEOPLE_DN}", mailbox(0, "reviewed.ro"))
    reviewed = checksum_of(repo)
    repo.write(f"cn=u1,{PEOPLE_DN}", mailbox(1, "unreviewed.ro"))
    before = clean_slapd.search_all()
    refused_and_untouched(
        run_here(repo, "apply", "--yes", "--checksum", reviewed), clean_slapd, before
    )


def test_a_checksum_of_another_revision_is_refused(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    """The checksum of the plan to HEAD, handed to `apply --rev` of another commit."""
    repo.write(f"cn=u0,{PEOPLE_DN}", mailbox(0, "a.ro"))
    repo.commit("a")
    repo.write(f"cn=u0,{PEOPLE_DN}", mailbox(0, "b.ro"))
    repo.commit("b")
    of_head = checksum_of(repo, "--head", "HEAD")
    before = clean_slapd.search_all()
    done = run_here(repo, "apply", "--yes", "--rev", "HEAD~1", "--checksum", of_head)
    refused_and_untouched(done, clean_slapd, before)


def test_a_checksum_that_names_no_plan_is_refused(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    """Empty, zeros, a glob, the right one in capitals or cut short: never "any plan"."""
    repo.write(f"cn=u0,{PEOPLE_DN}", mailbox(0, "x.ro"))
    right = checksum_of(repo)
    before = clean_slapd.search_all()
    for checksum in ["", "sha256:" + "0" * 64, "*", right.upper(), right[:-1]]:
        done = run_here(repo, "apply", "--yes", f"--checksum={checksum}")
        refused_and_untouched(done, clean_slapd, before)


def test_a_mass_rewrite_is_refused_without_force(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    """8 of 20 entries modified (40 % > 30 %): refused, nothing sent."""
    repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i, "new.ro") for i in range(8)})
    before = clean_slapd.search_all()
    done = run_here(repo, "apply", "--yes")
    refused_and_untouched(done, clean_slapd, before)
    assert "refused: Too many updates, 40.00% is over 30.00% (8/20): rerun with --force" in (
        done.err.splitlines()
    )


def test_moving_every_entry_to_another_subtree_is_refused(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    """ou=people moved to a new base ou=staff (one modrdn moving all 20 entries): refused."""
    (repo.root / "ldifctl.yaml").write_text(
        (repo.root / "ldifctl.yaml")
        .read_text()
        .replace(f"base_dn: {PEOPLE_DN}", f"base_dn: ['{PEOPLE_DN}', 'ou=staff,dc=example,dc=net']")
    )
    people = repo.root / "directory/dc=net/dc=example/ou=people"
    staff = people.with_name("ou=staff")
    people.rename(staff)
    people.with_suffix(".yaml").rename(staff.with_suffix(".yaml"))
    for path in [staff.with_suffix(".yaml"), *staff.iterdir()]:
        path.write_text(
            path.read_text().replace("ou=people", "ou=staff").replace("ou: people", "ou: staff")
        )
    before = clean_slapd.search_all()
    done = run_here(repo, "apply", "--yes")
    refused_and_untouched(done, clean_slapd, before)
    assert "refused: Too many updates, 100.00% is over 30.00% (20/20): rerun with --force" in (
        done.err.splitlines()
    )


def test_a_base_dn_entry_is_protected(repo: DirectoryRepo, clean_slapd: servers.LdapServer) -> None:
    """A change to the base_dn entry itself needs --force, like any protected DN."""
    base = repo.path(PEOPLE_DN)
    base.write_text(base.read_text() + "description: renamed by a pull request\n")
    before = clean_slapd.search_all()
    done = run_here(repo, "apply", "--yes")
    refused_and_untouched(done, clean_slapd, before)
    assert f"refused: {PEOPLE_DN} is protected: the plan would modify it: rerun with --force" in (
        done.err.splitlines()
    )


def password_holders(server: servers.LdapServer) -> list[str]:
    with server.bind() as conn:
        found = conn.search_s(PEOPLE_DN, 2, "(userPassword=*)", ["1.1"])
    return [dn for dn, _ in found]


def with_password(repo: DirectoryRepo, name: str, rule: str = "off") -> None:
    """cn=u0 gains a password hash under `name`; the forbidden-attributes rule is `rule`."""
    (repo.root / "policies").mkdir()
    (repo.root / "policies" / "rule.yaml").write_text(f"rules:\n  forbidden-attributes: {rule}\n")
    repo.write(f"cn=u0,{PEOPLE_DN}", mailbox(0) + f"{name}: '{{SSHA}}c2VjcmV0'\n")


def never_written(done: Done, server: servers.LdapServer, before: object) -> None:
    refused_and_untouched(done, server, before)
    assert "which ldifctl never writes" in done.err
    assert password_holders(server) == []


@pytest.mark.parametrize("name", ["userPassword", "USERPASSWORD"])
def test_user_password_is_never_written_even_forced(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer, name: str
) -> None:
    """userPassword in any case, with the policy off and --force: refused whole."""
    with_password(repo, name)
    before = clean_slapd.search_all()
    never_written(run_here(repo, "apply", "--yes", "--force"), clean_slapd, before)


@pytest.mark.parametrize(
    "name", ["userPassword;lang-en", "userpassword;x-tag", "2.5.4.35", "2.5.4.35;lang-en"]
)
def test_user_password_with_an_option_or_by_oid_is_never_written(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer, name: str
) -> None:
    """userPassword with an option (slapd stores `;lang-en`) or as its OID 2.5.4.35, the
    policy off: never sent, even forced. (Was a hole: the check compared whole names.)"""
    with_password(repo, name)
    before = clean_slapd.search_all()
    never_written(run_here(repo, "apply", "--yes", "--force"), clean_slapd, before)


@pytest.mark.parametrize("name", ["2.5.4.35", "userPassword;lang-en"])
def test_forbidden_attributes_judges_the_type(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer, name: str
) -> None:
    """The rule on, userPassword by its OID or with an option: found at its line, and
    nothing is sent. (Was a hole for the OID: the rule looked for `userPassword` only.)"""
    with_password(repo, name, "error")
    before = clean_slapd.search_all()
    forced = run_here(repo, "apply", "--yes", "--force")
    refused_and_untouched(forced, clean_slapd, before)
    assert forced.err == (
        "directory/dc=net/dc=example/ou=people/cn=u0.yaml:6: error [forbidden-attributes] "
        "userPassword must not be in the directory repository: remove it (keep it on the "
        "server only)\nnothing was sent: fix the errors above first\n"
    )
    assert password_holders(clean_slapd) == []
