"""What `apply` reads from the working tree: it names the edits it sends that no commit
holds, and editors' leftovers are no entries (issue 11, items 15 and 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import DirectoryRepo, base_entries, leftovers

from ldifctl.repo.uncommitted import Uncommitted, uncommitted
from ldifctl.repo.workspace import open_workspace

FOLDER = "directory/dc=net/dc=example/ou=people"


def person(cn: str) -> str:
    return (
        f"dn: cn={cn},{PEOPLE_DN}\nobjectClass: inetOrgPerson\ncn: {cn}\nsn: {cn}\n"
        f"mail: {cn}@example.org\n"
    )


def test_git_status_as_apply_and_pre_commit_read_it(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate({**base_entries(), **{f"cn={c},{PEOPLE_DN}": person(c) for c in "abcd"}})
    repo.commit("base")
    repo.write(f"cn=a,{PEOPLE_DN}", person("a") + "description: edited\n")
    repo.write(f"cn=b,{PEOPLE_DN}", person("b") + "description: staged\n")
    repo.remove(f"cn=c,{PEOPLE_DN}")
    repo.write(f"cn=e,{PEOPLE_DN}", person("e"))
    repo.write(f"cn=f,{PEOPLE_DN}", person("f"))
    repo.git("add", f"{FOLDER}/cn=b.yaml", f"{FOLDER}/cn=f.yaml")
    (repo.root / ".gitignore").write_text("cn=g.yaml\n")
    repo.write(f"cn=g,{PEOPLE_DN}", person("g"))
    repo.write_raw(f"{FOLDER}/cn=d.yaml~", b"an editor's backup")
    assert uncommitted(open_workspace(repo.root, {})) == [
        Uncommitted(f"{FOLDER}/cn=a.yaml", "modified", staged=False),
        Uncommitted(f"{FOLDER}/cn=b.yaml", "modified", staged=True),
        Uncommitted(f"{FOLDER}/cn=c.yaml", "deleted", staged=False),
        Uncommitted(f"{FOLDER}/cn=e.yaml", "untracked", staged=False),
        Uncommitted(f"{FOLDER}/cn=f.yaml", "new", staged=True),
        Uncommitted(f"{FOLDER}/cn=g.yaml", "ignored by git", staged=False),
    ]


def test_nothing_outside_git(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    (repo.root / ".git").rename(repo.root / "not-git")
    assert uncommitted(open_workspace(repo.root, {})) == []


@pytest.fixture
def committed(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> DirectoryRepo:
    """A repo managing ou=people on an empty slapd, everything committed."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.commit("people")
    return repo


def test_apply_warns_of_edits_no_commit_holds(
    committed: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    repo = committed
    repo.write(f"cn=a,{PEOPLE_DN}", person("a"))
    repo.commit("a")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    repo.write(f"cn=a,{PEOPLE_DN}", person("a") + "description: edited\n")
    repo.write(f"cn=b,{PEOPLE_DN}", person("b"))
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    summary, warning, applied = err.splitlines()[:3]  # before anything is sent
    assert summary.startswith("server -> working tree: 1 add, 1 modify (sha256:")
    assert applied == f"{clean_slapd.uri}: 2 applied, 0 failed, 0 unknown, 0 not attempted"
    assert warning == (
        f"warning: the working tree holds edits no commit has, and apply sends them: "
        f"{FOLDER}/cn=a.yaml (modified), {FOLDER}/cn=b.yaml (untracked); commit them first, so "
        "that git's history holds what the server gets (or apply --rev HEAD)"
    )
    assert f"cn=b,{PEOPLE_DN}" in clean_slapd.search_all(PEOPLE_DN)  # a warning, not a refusal
    repo.commit("a and b")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert (code, "warning" in err) == (0, False), err


def test_apply_of_a_revision_does_not_warn(
    committed: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    committed.write(f"cn=b,{PEOPLE_DN}", person("b"))
    code, _, err = ldifctl(committed, "apply", "--yes", "--rev", "HEAD")
    assert (code, "warning" in err) == (0, False), err
    assert f"cn=b,{PEOPLE_DN}" not in clean_slapd.search_all(PEOPLE_DN)


def test_apply_ignores_editor_leftovers(
    committed: DirectoryRepo, clean_slapd: servers.LdapServer
) -> None:
    for name in leftovers("cn=x.yaml"):
        committed.write_raw(f"{FOLDER}/{name}", b"dn: [\n")
    code, out, err = ldifctl(committed, "apply", "--yes")
    assert code == 0, err
    assert out == (
        f"dn: {PEOPLE_DN}\nchangetype: add\nobjectClass: organizationalUnit\nou: people\n\n"
    )
    assert list(clean_slapd.search_all(PEOPLE_DN)) == [PEOPLE_DN]
