"""A symbolic link in the repo is never an entry, a policy or a setting, and is never
written through: every command refuses it by its path and never shows what it points to.

Real git repos; the link points at a file outside the repo holding a secret line, as
`ln -s /etc/shadow directory/.../cn=x.yaml` would in a pull request.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from repo_kit import USER, USER_YAML, DirectoryRepo, base_entries, committed_repo, run

SECRET = "root:$6$SECRET-HASH-NEVER-SHOWN:19000:0:99999:7:::"
LINK = "directory/dc=net/dc=example/ou=people/cn=x.yaml"
REFUSED = (
    "a symbolic link, not an entry file: ldifctl never follows a link nor reads another "
    "repository's files; put the real file here, or remove it"
)


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return committed_repo(tmp_path / "repo", {**base_entries(), USER: USER_YAML})


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "shadow"
    path.write_text(SECRET + "\n")
    return path


def refused(repo: DirectoryRepo, *args: str) -> str:
    """stderr of a command that must fail, and never show the secret anywhere."""
    code, out, err = run(repo, *args)
    assert code == 1, (args, err)
    assert "SECRET" not in out + err, args
    return err


COMMANDS = [
    ("validate",),
    ("plan",),
    ("plan", "--format", "markdown"),
    ("plan", "--format", "json"),
    ("diff", "HEAD", "worktree"),
    ("export",),
    ("resolve", "someone@example.net"),
    ("fmt", "--check"),
    ("fmt",),
    ("apply", "--dry-run"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_link_to_a_file_outside_is_refused_by_its_path(
    repo: DirectoryRepo, secret: Path, args: tuple[str, ...]
) -> None:
    (repo.root / LINK).symlink_to(secret)
    assert refused(repo, *args) == f"error: {LINK}: {REFUSED}\n"
    assert secret.read_text() == SECRET + "\n"


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("validate",), LINK),
        (("plan",), LINK),
        (("plan", "--base", "HEAD~1"), LINK),  # it followed the link here, not in validate
        (("plan", "--base", "HEAD~1", "--head", "HEAD"), f"HEAD:{LINK}"),
        (("diff", "HEAD~1", "HEAD", "--format", "markdown"), f"HEAD:{LINK}"),
        (("export", "--rev", "HEAD"), f"HEAD:{LINK}"),
        (("resolve", "someone@example.net", "--rev", "HEAD"), f"HEAD:{LINK}"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_a_committed_link_is_refused_the_same_way_everywhere(
    repo: DirectoryRepo, secret: Path, args: tuple[str, ...], where: str
) -> None:
    (repo.root / LINK).symlink_to(secret)
    repo.commit("a link (git mode 120000)")
    assert refused(repo, *args) == f"error: {where}: {REFUSED}\n"


def test_a_link_to_a_folder_outside_is_refused(repo: DirectoryRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "cn=y.yaml").write_text(SECRET + "\n")
    folder = "directory/dc=net/dc=example/ou=people/ou=more"
    (repo.root / folder).symlink_to(outside)
    message = (
        f"error: {folder}: a symbolic link, not an entry file: ldifctl never follows a link "
        "nor reads another repository's files; put the real file here, or remove it\n"
    )
    for args in (("validate",), ("plan",), ("export",)):
        assert refused(repo, *args) == message
    repo.commit("a linked folder")
    assert refused(repo, "plan", "--base", "HEAD~1", "--head", "HEAD") == message.replace(
        f"error: {folder}", f"error: HEAD:{folder}"
    )


def test_fmt_never_writes_through_a_link(repo: DirectoryRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(USER_YAML.replace("cn: user.example\n", "") + "cn: user.example\n")
    before = outside.read_text()
    (repo.root / LINK).symlink_to(outside)
    assert refused(repo, "fmt") == f"error: {LINK}: {REFUSED}\n"
    assert refused(repo, "fmt", LINK) == f"error: {LINK}: {REFUSED}\n"
    assert outside.read_text() == before


def test_import_never_writes_through_a_link(repo: DirectoryRepo, tmp_path: Path) -> None:
    target = tmp_path / "created-by-import.yaml"
    (repo.root / LINK).symlink_to(target)  # dangling: a write would create the target
    dump = run(repo, "export")[1] + (
        "dn: cn=x,ou=people,dc=example,dc=net\nobjectClass: organizationalRole\ncn: x\n\n"
    )
    (tmp_path / "dump.ldif").write_text(dump)
    assert refused(repo, "import", "--from-ldif", str(tmp_path / "dump.ldif")) == (
        f"error: {LINK}: {REFUSED}\n"
    )
    assert not os.path.lexists(target)


def test_import_never_creates_folders_through_a_linked_folder(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    people = repo.root / "directory/dc=net/dc=example/ou=people"
    for path in people.iterdir():
        path.unlink()
    people.rmdir()
    people.symlink_to(outside)
    (tmp_path / "dump.ldif").write_text(
        "dn: cn=a,ou=x,ou=people,dc=example,dc=net\nobjectClass: organizationalRole\ncn: a\n\n"
    )
    assert refused(repo, "import", "--from-ldif", str(tmp_path / "dump.ldif")) == (
        "error: directory/dc=net/dc=example/ou=people: a symbolic link, not a folder: ldifctl "
        "never follows a link nor reads another repository's files; put the real folder "
        "here, or remove it\n"
    )
    assert list(outside.iterdir()) == []


def test_links_in_policies_and_settings_are_refused(repo: DirectoryRepo, secret: Path) -> None:
    (repo.root / "policies").mkdir()
    (repo.root / "policies/site.yaml").symlink_to(secret)
    assert refused(repo, "validate") == (
        "error: policies/site.yaml: a symbolic link, not a policy file: ldifctl never follows "
        "a link nor reads another repository's files; put the real file here, or remove it\n"
    )
    (repo.root / "policies/site.yaml").unlink()
    config = repo.root / "ldifctl.yaml"
    config.rename(repo.root.parent / "settings.yaml")
    config.symlink_to(secret)
    assert refused(repo, "validate") == (
        "error: ldifctl.yaml: a symbolic link, not a settings file: ldifctl never follows a "
        "link nor reads another repository's files; put the real file here, or remove it\n"
    )


@pytest.mark.parametrize("target", ["a file", "nothing", "a folder"])
def test_a_linked_ldifctl_yaml_is_refused_whatever_it_points_to(
    repo: DirectoryRepo, secret: Path, target: str
) -> None:
    """The repo is found by what stands at ldifctl.yaml (`lstat`), not by what a link there
    points to: were a link to nothing or to a folder passed over as "no ldifctl.yaml
    here", the CI log would tell a pull request which of the runner's paths exist."""
    pointed = {"a file": secret, "nothing": secret.parent / "none", "a folder": secret.parent}
    config = repo.root / "ldifctl.yaml"
    config.unlink()
    config.symlink_to(pointed[target])
    assert refused(repo, "validate") == (
        "error: ldifctl.yaml: a symbolic link, not a settings file: ldifctl never follows a "
        "link nor reads another repository's files; put the real file here, or remove it\n"
    )
