"""`drift --write --branch NAME` on a real repo and a real slapd: the branch holds exactly
the server's state, and the current branch, index and work tree are byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import USER, DirectoryRepo
from test_live_drift import ALIASES, FORWARD, HAND_EDIT, OLD, synced_repo

from ldifctl.live.drift_branch import TITLE

BRANCH = "ldifctl/drift-1"


def everything(repo: DirectoryRepo) -> dict[str, bytes]:
    """The work tree's files, the index, HEAD and the branches."""
    found = {str(p.relative_to(repo.root)): p.read_bytes() for p in repo.root.rglob("*")
             if p.is_file() and ".git" not in p.parts}
    found["index"] = (repo.root / ".git" / "index").read_bytes()
    found["HEAD"] = (repo.root / ".git" / "HEAD").read_bytes()
    found["refs"] = repo.git("for-each-ref").encode()
    return found


def busy(repo: DirectoryRepo) -> None:
    """Work in progress: a staged change, an unstaged one, an untracked file."""
    people = repo.path(PEOPLE_DN)
    people.write_text(people.read_text() + "description: staged\n")
    repo.git("add", "-A")
    user = repo.path(USER)
    user.write_text(user.read_text() + "# not yet\n")
    repo.write(f"cn=draft,{PEOPLE_DN}", f"dn: cn=draft,{PEOPLE_DN}\nobjectClass: person\n")


def test_the_branch_holds_the_server_state_and_nothing_here_moves(
    tmp_path: Path, slapd_env: servers.LdapServer
) -> None:
    repo = synced_repo(tmp_path / "repo", slapd_env)
    head = repo.git("rev-parse", "HEAD").strip()
    assert slapd_env.ldapmodify(HAND_EDIT).returncode == 0
    slapd_env.ldapadd(f"dn: cn=new,{PEOPLE_DN}\nobjectClass: person\ncn: new\nsn: New\n")
    assert slapd_env.ldapmodify(f"dn: cn=gone,{PEOPLE_DN}\nchangetype: delete\n").returncode == 0
    busy(repo)
    before = everything(repo)

    code, out, err = ldifctl(repo, "drift", "--write", "--branch", BRANCH)
    assert code == 3, err
    assert out.startswith(f"dn: cn=gone,{PEOPLE_DN}\nchangetype: add\n")  # drift, as ever
    assert err.splitlines()[-1].endswith(f"on branch {BRANCH}: 3 entry change(s) adopted")

    after = everything(repo)
    new = f"{repo.git('rev-parse', BRANCH).strip()} commit\trefs/heads/{BRANCH}"
    assert sorted(after.pop("refs").decode().splitlines()) == sorted(
        [*before.pop("refs").decode().splitlines(), new]
    )
    assert after == before
    assert repo.git("rev-parse", f"{BRANCH}^").strip() == head
    assert repo.git("worktree", "list").count("\n") == 1
    assert ldifctl(repo, "drift", "--rev", BRANCH)[:2] == (0, "")
    assert repo.git("log", "-1", "--format=%B", BRANCH) == (
        f"{TITLE}\n\nEntries:\n"
        f"  add     cn=new,{PEOPLE_DN}\n"
        f"  modify  {USER} (mailAlternateAddress, mailForwardingAddress)\n"
        f"  delete  cn=gone,{PEOPLE_DN}\n\n"
    )


def test_no_drift_makes_no_branch(tmp_path: Path, slapd_env: servers.LdapServer) -> None:
    repo = synced_repo(tmp_path / "repo", slapd_env)
    code, out, err = ldifctl(repo, "drift", "--write", "--branch", BRANCH)
    assert (code, out) == (0, "")
    assert err.endswith(f"no drift: branch {BRANCH} was not made\n")
    assert repo.git("branch", "--list", BRANCH) == ""
    assert repo.git("worktree", "list").count("\n") == 1


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("-D", "is not a valid branch name"),
        ("bad..name", "is not a valid branch name"),
        ("main", "the branch exists already"),
    ],
)
def test_a_bad_or_taken_branch_name_is_refused_before_the_server_is_read(
    tmp_path: Path, name: str, problem: str
) -> None:
    repo = DirectoryRepo(tmp_path / "repo", "base_dn: ou=people,dc=example,dc=net\n"
                         "server:\n  uri: ldap://127.0.0.1:1\n")
    repo.commit("empty")
    before = everything(repo)
    code, out, err = ldifctl(repo, "drift", "--write", "--branch", name)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: --branch {name!r}") and problem in err, err
    assert everything(repo) == before


def test_branch_needs_write(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    assert ldifctl(repo, "drift", "--branch", BRANCH) == (
        2, "", "--branch names where --write commits the server's state: add --write\n"
    )


def test_a_refused_adoption_leaves_no_branch_and_no_work_tree(
    tmp_path: Path, slapd_env: servers.LdapServer
) -> None:
    """A read that would remove most files (a bind DN that sees nothing) is refused, as
    for --write; the branch made for it goes too."""
    repo = synced_repo(tmp_path / "repo", slapd_env)
    for dn in (USER, f"cn=gone,{PEOPLE_DN}", PEOPLE_DN):
        assert slapd_env.ldapmodify(f"dn: {dn}\nchangetype: delete\n").returncode == 0
    before = everything(repo)
    code, _, err = ldifctl(repo, "drift", "--write", "--branch", BRANCH)
    assert code == 1
    assert "error: drift --write would remove entry files:" in err
    assert everything(repo) == before
    assert repo.git("worktree", "list").count("\n") == 1


def test_the_commit_message_says_what_adopting_does_to_mail(
    tmp_path: Path, slapd_env: servers.LdapServer
) -> None:
    """Adopting the server's state undoes what `drift` says applying would do to mail: the
    message's routing goes from the repo's routes to the server's."""
    repo = live_repo(tmp_path / "repo", slapd_env, ALIASES)
    repo.write(USER, FORWARD)
    repo.commit("synced")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    assert slapd_env.ldapmodify(HAND_EDIT).returncode == 0

    assert ldifctl(repo, "drift", "--write", "--branch", BRANCH)[0] == 3
    assert repo.git("log", "-1", "--format=%B", BRANCH) == (
        f"{TITLE}\n\nEntries:\n"
        f"  modify  {USER} (mailAlternateAddress, mailForwardingAddress)\n\n"
        "Mail routing:\n"
        f"  {OLD}: new.address@domain.ro (external) -> hand@elsewhere.org (external)\n"
        "  second@domain.com: unknown -> hand@elsewhere.org (external)\n\n"
    )
