"""Paths a user gets wrong: every path argument is checked, every stray file reported at
once, and editors' leftovers are no entries for any command (issue 11, item 15)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from repo_kit import NO_MAIL_WARNING, DirectoryRepo, base_repo, leftovers, run

PEOPLE_YAML = "directory/dc=net/dc=example/ou=people.yaml"
NOT_ENTRY = (
    "not an entry file: entry files end in .yaml (rename it, or move it out of the directory)"
)


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return base_repo(tmp_path / "repo")


def failed(repo: DirectoryRepo, *args: str) -> str:
    code, out, err = run(repo, *args)
    assert (code, out) == (1, ""), err
    return err


def leave_leftovers(repo: DirectoryRepo, text: str = "not: [an entry\n") -> None:
    for name in leftovers("ou=people.yaml"):
        repo.write_raw(f"directory/dc=net/dc=example/{name}", text.encode())


# --- Path arguments.


def test_fmt_of_a_missing_file(repo: DirectoryRepo) -> None:
    assert failed(repo, "fmt", "directory/nope.yaml") == (
        "error: directory/nope.yaml: no such file: check the path\n"
    )


def test_fmt_of_a_file_outside_the_directory(repo: DirectoryRepo, tmp_path: Path) -> None:
    hostname = tmp_path / "hostname"
    hostname.write_text("mail.example.net\n")
    assert failed(repo, "fmt", str(hostname), "--check") == (
        f"error: {hostname}: outside the files ldifctl reads: fmt rewrites the entry files "
        "in directory/\n"
    )
    assert failed(repo, "fmt", "ldifctl.yaml").startswith("error: ldifctl.yaml: outside ")
    assert hostname.read_text() == "mail.example.net\n"


def test_fmt_names_every_wrong_argument_and_writes_nothing(repo: DirectoryRepo) -> None:
    repo.write_raw("directory/dc=net/dc=example/ou=b.yml", b"x")
    leave_leftovers(repo)
    before = (repo.root / PEOPLE_YAML).read_bytes()
    (repo.root / PEOPLE_YAML).write_text(before.decode() + "# fmt would move this\n\n")
    folder = "directory/dc=net/dc=example"
    assert failed(
        repo, "fmt", PEOPLE_YAML, f"{folder}/ou=b.yml", f"{folder}/ou=people.yaml~", folder
    ).splitlines() == [
        f"error: {folder}/ou=b.yml: does not end in .yaml: ldifctl reads no other files here",
        f"error: {folder}/ou=people.yaml~: a dot file or an editor's leftover, which ldifctl "
        "ignores: name the file itself",
        f"error: {folder}: a folder, not a file: name files, or none for all of them",
    ]
    assert (repo.root / PEOPLE_YAML).read_bytes().endswith(b"# fmt would move this\n\n")


def test_validate_checks_the_files_it_is_given(repo: DirectoryRepo) -> None:
    assert failed(repo, "validate", "/nonexistent.yaml") == (
        "error: /nonexistent.yaml: no such file: check the path\n"
    )
    (repo.root / "notes.yaml").write_text("x: 1\n")
    assert failed(repo, "validate", "notes.yaml") == (
        "error: notes.yaml: outside the files ldifctl reads: validate checks the entry files "
        "in directory/, the policy files in policies/ and ldifctl.yaml\n"
    )
    (repo.root / "policies").mkdir()
    (repo.root / "policies" / "site.yaml").write_text("rules: {}\n")
    ok = run(repo, "validate", PEOPLE_YAML, "ldifctl.yaml", "policies/site.yaml")
    assert ok == (0, "", NO_MAIL_WARNING + "2 entries in directory: valid\n")


def test_diff_of_a_missing_file(repo: DirectoryRepo) -> None:
    assert failed(repo, "diff", "dump.ldif", "worktree") == (
        "error: dump.ldif: no such file or folder (nor a git revision of that name): check "
        "the path\n"
    )
    assert failed(repo, "diff", "HEAD", "old/dump") == (
        "error: old/dump: no such file or folder (nor a git revision of that name): check "
        "the path\n"
    )
    assert failed(repo, "plan", "--base", "nosuchrev").startswith(
        "error: unknown revision 'nosuchrev'"
    )


def test_diff_of_a_pipe_or_a_device_asks_for_a_file(repo: DirectoryRepo) -> None:
    """`ldifctl diff <(slapcat) …` names a pipe, read at most once (and a device may never
    end): refused before anything opens it, so a pipe with no writer hangs nothing."""
    os.mkfifo(repo.root / "dump.ldif")
    outside = repo.root.parent / "null.ldif"  # the caller's own link: followed
    outside.symlink_to("/dev/null")
    for name in ("dump.ldif", str(outside)):
        assert failed(repo, "diff", name, "worktree") == (
            f"error: {name}: not a file or folder (a pipe or a device): ldifctl reads an LDIF "
            "file more than once: save the dump to a file and name that (`slapcat > "
            "old.ldif`)\n"
        )
    # In the repo, a link is refused before it is followed (tests/attack/).
    (repo.root / "null.ldif").symlink_to("/dev/null")
    assert failed(repo, "diff", "null.ldif", "worktree") == (
        "error: null.ldif: a symbolic link, not an LDIF file: ldifctl never follows a link nor "
        "reads another repository's files; put the real file here, or remove it\n"
    )


# --- Stray files: every one at once, with the broken entry files.


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
def test_validate_reports_every_stray_file_with_the_broken_ones(
    repo: DirectoryRepo, in_git: bool
) -> None:
    if not in_git:
        shutil.rmtree(repo.root / ".git")
    repo.write_raw("directory/dc=net/dc=example/ou=b.yml", b"x")
    repo.write_raw("directory/dc=net/dc=example/ou=people/README", b"x")
    repo.write_raw("directory/dc=net/dc=example/ou=c.yaml", b"dn: [\n")
    assert failed(repo, "validate").splitlines() == [
        f"error: directory/dc=net/dc=example/ou=b.yml: {NOT_ENTRY}",
        f"error: directory/dc=net/dc=example/ou=people/README: {NOT_ENTRY}",
        "error: directory/dc=net/dc=example/ou=c.yaml:2: malformed YAML: did not find expected "
        "node content; fix the YAML syntax",
    ]


def test_plan_reports_every_stray_file(repo: DirectoryRepo) -> None:
    repo.write_raw("directory/dc=net/dc=example/ou=b.yml", b"x")
    repo.write_raw("directory/dc=net/dc=example/ou=people/README", b"x")
    assert failed(repo, "plan").splitlines() == [
        f"error: directory/dc=net/dc=example/ou=b.yml: {NOT_ENTRY}",
        f"error: directory/dc=net/dc=example/ou=people/README: {NOT_ENTRY}",
    ]


# --- Editors' leftovers are no entries, for every command, on disk and in a commit.


# `apply` reads the working tree as `diff` and `export` do; tests/test_apply_worktree.py
# holds it to the same.
def test_editor_leftovers_are_ignored_by_validate_fmt_plan_diff_and_export(
    repo: DirectoryRepo,
) -> None:
    leave_leftovers(repo)
    assert run(repo, "validate") == (0, "", NO_MAIL_WARNING + "2 entries in directory: valid\n")
    assert run(repo, "fmt", "--check")[0] == 0
    assert run(repo, "plan") == (0, "", "HEAD -> working tree: no changes\n")
    assert run(repo, "diff", "HEAD", "worktree")[:2] == (0, "")
    exported = run(repo, "export")[1]
    repo.commit("leftovers committed by `git add -A`")
    assert run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")[:2] == (0, "")
    assert run(repo, "export", "--rev", "HEAD")[1] == exported
    assert exported.count("dn: ") == 2

