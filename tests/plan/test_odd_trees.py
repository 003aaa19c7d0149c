"""The same tree gets the same verdict from every command.

A matrix of commands over odd trees a pull request can make (a submodule, links to files
and folders, a dangling link, a gitlink a clone leaves empty): every command exits 1 with
the one error that names the odd path (as the working tree or the revision shows it), and
none says "valid" or "no changes" while another refuses. Also: every key of ldifctl.yaml
is checked by every command, whether or not it uses that section.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from repo_kit import CONFIG, USER, USER_YAML, DirectoryRepo, base_entries, committed_repo, run

PEOPLE = "directory/dc=net/dc=example/ou=people"
TAIL = "ldifctl never follows a link nor reads another repository's files; put the real"
ENTRY, FOLDER = "an entry file", "a folder of entry files"
LINK, SUBMODULE = "a symbolic link", "a git submodule"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "protocol.file.allow=always", "-c", "user.name=t", "-c", "user.email=t@t",
         *args],
        cwd=cwd, check=True, capture_output=True,
    )


def nested_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "other repo")
    return path


def entry_link(repo: DirectoryRepo, outside: Path) -> tuple[str, str, str]:
    (outside / "shadow").write_text("root:SECRET:19000:0:99999:7:::\n")
    (repo.root / PEOPLE / "cn=x.yaml").symlink_to(outside / "shadow")
    return f"{PEOPLE}/cn=x.yaml", LINK, ENTRY


def folder_link(repo: DirectoryRepo, outside: Path) -> tuple[str, str, str]:
    (outside / "cn=y.yaml").write_text(USER_YAML)
    (repo.root / PEOPLE / "ou=more").symlink_to(outside)
    return f"{PEOPLE}/ou=more", LINK, ENTRY


def dangling_link(repo: DirectoryRepo, outside: Path) -> tuple[str, str, str]:
    (repo.root / PEOPLE / "cn=gone.yaml").symlink_to(outside / "nothing-here.yaml")
    return f"{PEOPLE}/cn=gone.yaml", LINK, ENTRY


def directory_link(repo: DirectoryRepo, outside: Path) -> tuple[str, str, str]:
    shutil.move(repo.root / "directory", outside / "directory")
    (repo.root / "directory").symlink_to(outside / "directory")
    return "directory", LINK, FOLDER


def directory_submodule(repo: DirectoryRepo, outside: Path) -> tuple[str, str, str]:
    shutil.move(repo.root / "directory", outside / "directory")
    git(outside / "directory", "init", "-q", "-b", "main")
    git(outside / "directory", "add", "-A")
    git(outside / "directory", "commit", "-qm", "entries elsewhere")
    repo.git("rm", "-rq", "--cached", "directory")
    git(repo.root, "submodule", "add", "-q", str(outside / "directory"), "directory")
    return "directory", SUBMODULE, FOLDER


def gitlink(repo: DirectoryRepo, outside: Path) -> tuple[str, str, str]:
    other = nested_repo(outside / "other", {"cn=z.yaml": USER_YAML})
    git(repo.root, "submodule", "add", "-q", str(other), f"{PEOPLE}/ou=sub")
    return f"{PEOPLE}/ou=sub", SUBMODULE, ENTRY


Maker = Callable[[DirectoryRepo, Path], tuple[str, str, str]]
TREES: dict[str, Maker] = {
    "entry-link": entry_link,
    "folder-link": folder_link,
    "dangling-link": dangling_link,
    "directory-link": directory_link,
    "directory-submodule": directory_submodule,
    "gitlink": gitlink,
}
# (command, does it read the revision HEAD rather than the working tree?)
COMMANDS: list[tuple[tuple[str, ...], bool]] = [
    (("validate",), False),
    (("plan",), False),
    (("plan", "--base", "HEAD~1"), False),
    (("plan", "--base", "HEAD~1", "--head", "HEAD"), True),
    (("diff", "HEAD~1", "HEAD"), True),
    (("diff", "HEAD", "worktree", "--format", "json"), False),
    (("export",), False),
    (("export", "--rev", "HEAD"), True),
    (("resolve", "someone@example.net"), False),
    (("fmt", "--check"), False),
    (("apply", "--dry-run"), False),
    (("drift",), False),
]


def odd_repo(tmp_path: Path, make: Maker) -> tuple[DirectoryRepo, tuple[str, str, str]]:
    repo = committed_repo(tmp_path / "repo", {**base_entries(), USER: USER_YAML})
    outside = tmp_path / "outside"
    outside.mkdir()
    odd = make(repo, outside)
    repo.commit("the odd thing, committed")
    return repo, odd


def expected(odd: tuple[str, str, str], in_revision: bool) -> str:
    path, kind, what = odd
    noun = "folder" if what == FOLDER else "file"
    where = f"HEAD:{path}" if in_revision else path
    return f"error: {where}: {kind}, not {what}: {TAIL} {noun} here, or remove it\n"


@pytest.mark.parametrize("tree", TREES)
def test_every_command_refuses_an_odd_tree_the_same_way(tmp_path: Path, tree: str) -> None:
    repo, odd = odd_repo(tmp_path, TREES[tree])
    for args, in_revision in COMMANDS:
        code, out, err = run(repo, *args)
        assert (code, out, err) == (1, "", expected(odd, in_revision)), args


def test_a_gitlink_a_clone_leaves_empty_is_refused_the_same_way(tmp_path: Path) -> None:
    """In a fresh clone a submodule is an empty folder: git still holds it as one."""
    origin, odd = odd_repo(tmp_path, gitlink)
    clone = origin.clone(tmp_path / "clone")
    assert list((clone.root / odd[0]).iterdir()) == []
    for args, in_revision in COMMANDS:
        assert run(clone, *args) == (1, "", expected(odd, in_revision)), args


BOGUS = [
    ("apply:\n  bogus: 1\n", "ldifctl.yaml:5: unknown key 'bogus' in apply: use "
     "max_delete_percent, max_update_percent, min_existing, protected, window, report_dir"),
    ("apply:\n  report_dir: /tmp/reports\n", "ldifctl.yaml:5: apply.report_dir must be a "
     "folder inside the repository, outside .git, written relative to ldifctl.yaml with '/', "
     "got '/tmp/reports'"),
    ("mail:\n  virtual_alias_maps:\n    - search_base: ou=people,dc=example,dc=net\n",
     "ldifctl.yaml:6: mail.virtual_alias_maps[1]: query_filter is missing: add it "
     "(see ldap_table(5))"),
]
EVERY_COMMAND = [
    *(args for args, _ in COMMANDS),
    ("fmt",),
    ("postfix-maps", "--output-dir", "maps"),
    ("import", "--from-ldif", "nothing.ldif"),
]


@pytest.mark.parametrize(("section", "message"), BOGUS, ids=["apply-key", "report-dir", "mail"])
def test_every_command_checks_every_key_of_ldifctl_yaml(
    tmp_path: Path, section: str, message: str
) -> None:
    repo = committed_repo(tmp_path / "repo", {**base_entries(), USER: USER_YAML})
    repo.commit("again")  # HEAD~1 exists
    (repo.root / "ldifctl.yaml").write_text(CONFIG + section)
    for args in EVERY_COMMAND:
        assert run(repo, *args) == (1, "", f"error: {message}\n"), args
    assert not (repo.root / "maps").exists()
