"""Revision names from an attacker (a branch or tag of a pull request, a CI variable): never
an option to git, never a file written, and a missing or odd one is a clear error.

Every git that ldifctl starts runs through a shim that logs its command line: a name
reaches git only after `--end-of-options`, or as the commit id it resolved to.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import servers
from attack_kit import ArgvLog
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import USER, USER_YAML, DirectoryRepo

COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "plan --base": lambda rev: ["plan", f"--base={rev}"],
    "plan --head": lambda rev: ["plan", "--base=HEAD", f"--head={rev}"],
    "diff OLD": lambda rev: ["diff", "--", rev, "worktree"],
    "diff NEW": lambda rev: ["diff", "--", "HEAD", rev],
    "export --rev": lambda rev: ["export", f"--rev={rev}"],
    "resolve --rev": lambda rev: ["resolve", "new.address@domain.ro", f"--rev={rev}"],
    "drift --rev": lambda rev: ["drift", f"--rev={rev}"],
    "apply --rev": lambda rev: ["apply", "--yes", f"--rev={rev}"],
}


def hostile_names(marker: Path) -> list[str]:
    return [
        f"--output={marker}",
        f"--upload-pack=touch {marker}",
        "-cuser.name=x",
        "--exec-path=/nonexistent",
        "HEAD~1..HEAD",
        "HEAD...HEAD",
        "HEAD@{upstream}",
        "@{-1}",
        "HEAD^{tree}",
        "HEAD:directory",
        "no-such-revision",
    ]


@pytest.fixture
def repo(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DirectoryRepo]:
    """Two commits of a repo wired to the session slapd; every git goes through the shim."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.commit("people")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    repo.write(USER, USER_YAML)
    repo.commit("a user")
    log = ArgvLog(tmp_path / "shims", "git")
    monkeypatch.setenv("PATH", log.env["PATH"])
    yield repo


def git_lines(tmp_path: Path) -> list[str]:
    return ArgvLog(tmp_path / "shims").lines()


def only_as_data(lines: list[str], name: str) -> list[str]:
    """The git command lines where `name` appears other than after --end-of-options."""
    return [
        line for line in lines if name in line and "--end-of-options" not in line.split(name, 1)[0]
    ]


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_hostile_revision_names_are_errors_not_options(
    repo: DirectoryRepo, tmp_path: Path, command: Callable[[str], list[str]]
) -> None:
    """Option-like, range, reflog, tree and missing names: exit 1, never a git option."""
    marker = tmp_path / "written"
    for name in hostile_names(marker):
        code, out, err = ldifctl(repo, *command(name))
        assert (code, out) == (1, ""), (name, err)
        # A name with a slash is also taken as a path, and said to be neither.
        assert f"unknown revision {name!r}" in err or (
            f"{name}: no such file or folder (nor a git revision of that name)" in err
        ), (name, err)
        assert only_as_data(git_lines(tmp_path), name) == []
    assert not marker.exists()
    assert servers_untouched(repo)


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_an_empty_name_is_an_error_not_the_working_tree(
    repo: DirectoryRepo, command: Callable[[str], list[str]]
) -> None:
    """A CI variable left empty (`--base "$BASE"`): `Path("")` is the repo root, and was
    read as the working tree, in silence."""
    for name in ("", " "):
        assert ldifctl(repo, *command(name)) == (1, "", (
            f"error: an empty source name ({name!r}): give a git revision, `worktree`, "
            "`server`, or the path of an LDIF file or folder\n"
        ))
    assert servers_untouched(repo)


def servers_untouched(repo: DirectoryRepo) -> bool:
    """`apply --rev` never reached the server: the user of the second commit is not there."""
    return ldifctl(repo, "drift", "--rev", "HEAD~1")[0] == 0


def test_refs_named_like_options_are_read_as_revisions(repo: DirectoryRepo, tmp_path: Path) -> None:
    """Existing refs named `--output=F` and `-c...` are read as revisions, never options."""
    marker = tmp_path / "written"
    tag, branch = f"--output={marker}", "-cuser.name=x"
    repo.git("update-ref", f"refs/tags/{tag}", "HEAD~1")
    repo.git("update-ref", f"refs/heads/{branch}", "HEAD")
    ArgvLog(tmp_path / "shims").clear()
    code, out, err = ldifctl(repo, "plan", f"--base={tag}", f"--head={branch}")
    assert (code, out.splitlines()[:2]) == (0, [f"dn: {USER}", "changetype: add"]), err
    assert ldifctl(repo, "export", f"--rev={branch}")[1].count("dn: ") == 2
    assert only_as_data(git_lines(tmp_path), tag) == []
    assert only_as_data(git_lines(tmp_path), branch) == []
    assert not marker.exists()


RENAMED = "newrdn: cn=new\ndeleteoldrdn: 1\n\n"


@pytest.mark.parametrize("shadow", ["HEAD", "main"])
def test_a_path_in_the_pull_request_cannot_stand_in_for_a_revision(
    repo: DirectoryRepo, shadow: str
) -> None:
    """A decoy folder `HEAD/` or `main/` in a PR: the CI plan still shows the commit's change.
    (Was a hole: an existing path won over the revision of the same name.)"""
    repo.git("checkout", "-q", "-b", "pull-request")
    if shadow == "HEAD":
        shutil.copytree(repo.root / "directory", repo.root / shadow)
    repo.remove(USER)
    repo.write(f"cn=new,{PEOPLE_DN}", USER_YAML.replace("user.example", "new"))
    if shadow == "main":
        shutil.copytree(repo.root / "directory", repo.root / shadow)
    repo.commit("the pull request, with a decoy")
    code, out, _ = ldifctl(repo, "plan", "--base", "main", "--head", "HEAD")
    assert (code, out) == (0, f"dn: {USER}\nchangetype: modrdn\n{RENAMED}")


def decoys(repo: DirectoryRepo) -> None:
    """A folder `HEAD/` of entry files without the user, and a file `main` (empty LDIF)."""
    (repo.root / "HEAD").mkdir()
    (repo.root / "main").write_text("")


def test_a_revision_wins_over_a_path_for_every_rev_option(repo: DirectoryRepo) -> None:
    decoys(repo)
    assert ldifctl(repo, "export", "--rev", "HEAD")[1].count("dn: ") == 2
    code, out, err = ldifctl(repo, "plan", "--base", "main", "--head", "HEAD")
    assert (code, out) == (0, ""), err
    resolved = ldifctl(repo, "resolve", "new.address@domain.ro", "--rev", "HEAD")
    assert resolved == ldifctl(repo, "resolve", "new.address@domain.ro", "--rev", "HEAD^{commit}")
    assert "a folder" not in resolved[2] and "HEAD/" not in resolved[2], resolved


@pytest.mark.parametrize(("name", "kind"), [("HEAD", "folder"), ("main", "file")])
def test_diff_refuses_a_name_that_is_a_path_and_a_revision(
    repo: DirectoryRepo, name: str, kind: str
) -> None:
    """As git does: `diff` takes any source, so neither meaning is assumed."""
    decoys(repo)
    assert ldifctl(repo, "diff", name, "worktree") == (
        1,
        "",
        f"error: {name} is both a {kind} and a git revision: write ./{name} for the {kind}, "
        f"or {name}^{{commit}} (refs/heads/{name} for a branch) for the revision\n",
    )
    assert ldifctl(repo, "diff", "worktree", name)[0] == 1
    # Each spelling the message offers means what it says.
    assert ldifctl(repo, "diff", f"{name}^{{commit}}", "worktree")[:2] == (0, "")
    as_path = ldifctl(repo, "diff", f"./{name}", "worktree")
    assert (as_path[0], as_path[1].count("changetype: add")) == (0, 2)


def test_a_name_that_is_a_tag_and_a_branch_is_refused_for_every_rev_option(
    repo: DirectoryRepo,
) -> None:
    """A pull request pushes a tag `origin/main` at a commit of its choosing (its own
    policies and tree): git takes refs/tags/origin/main before refs/remotes/origin/main,
    so CI's `plan --base origin/main` judged the change against it, in silence."""
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.git("tag", "origin/main", "HEAD~")
    for command in COMMANDS.values():
        code, out, err = ldifctl(repo, *command("origin/main"))
        assert (code, out) == (1, ""), (command, err)
        assert err == (
            "error: revision 'origin/main' names more than one ref (a tag and a branch, say: "
            "see `git show-ref origin/main`): give the full name, such as "
            "refs/remotes/origin/main or refs/tags/origin/main\n"
        ), command
    # Named in full, each is what it says.
    code, out, err = ldifctl(repo, "plan", "--base", "refs/remotes/origin/main", "--head", "HEAD")
    assert (code, out) == (0, ""), err
    code, out, _ = ldifctl(repo, "plan", "--base", "refs/tags/origin/main", "--head", "HEAD")
    assert code == 0 and out.startswith(f"dn: {USER}\nchangetype: add\n"), out
