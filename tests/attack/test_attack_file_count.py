"""git compresses a pull request's trees as it does its files: a million entry files of
one blob are 3 MB to push, and `plan` of them took 38 s and 1.4 GB; ten million would
have taken minutes and 14 GB before any verdict. So a state holds at most
MAX_ENTRY_FILES entry files (repo/bounds.py), counted as it is listed, and no git
command's output is held past MAX_OUTPUT (repo/gitrepo.py): a listing of more files is
refused as it is read. The bounds are lowered here: a test cannot push millions of files
in the time CI gives it, and the code counts against whatever they are."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, committed_repo, run

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import bounds, gitrepo

PEOPLE = "directory/dc=net/dc=example/ou=people"
# committed_repo's two entries (the suffix and ou=people), and three people.
FILES = 5


def person(name: str) -> bytes:
    dn = f"cn={name},ou=people,dc=example,dc=net"
    return f"dn: {dn}\nobjectClass: [person]\ncn: {name}\nsn: s\n".encode()


def too_many(where: str, count: int, what: str = "files") -> str:
    return (
        f"error: {where}: {count:,} {what}, over the {bounds.MAX_ENTRY_FILES:,} entry files "
        "ldifctl reads in one state (each takes ~1.5 kB and ~40 µs to judge): remove files, "
        "or split the directory into repos by base_dn\n"
    )


@pytest.fixture
def many(tmp_path: Path) -> DirectoryRepo:
    repo = committed_repo(tmp_path / "repo")
    for n in range(FILES - 2):
        repo.write_raw(f"{PEOPLE}/cn=x{n}.yaml", person(f"x{n}"))
    repo.commit("three people")
    return repo


def test_a_revision_of_more_entry_files_than_a_state_holds_is_refused(
    many: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_ENTRY_FILES", FILES - 1)
    assert run(many, "validate") == (1, "", too_many("HEAD:directory", FILES))
    assert run(many, "plan", "--base", "HEAD~", "--head", "HEAD") == (
        1, "", too_many("HEAD:directory", FILES)
    )


def test_a_change_of_more_files_than_a_state_holds_is_refused_unlisted(
    many: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan judges a change by its files, and lists the head only when it must."""
    monkeypatch.setattr(bounds, "MAX_ENTRY_FILES", FILES - 3)
    assert run(many, "plan", "--base", "HEAD~", "--head", "HEAD") == (
        1, "", too_many("HEAD:directory", FILES - 2, "files changed")
    )


def test_a_working_tree_of_more_entry_files_than_a_state_holds_is_refused(
    many: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted with the files not committed, and on a folder outside git."""
    monkeypatch.setattr(bounds, "MAX_ENTRY_FILES", FILES)
    assert run(many, "validate")[0] == 0
    many.write_raw(f"{PEOPLE}/cn=new.yaml", person("new"))
    assert run(many, "validate") == (1, "", too_many("directory", FILES + 1))
    assert run(many, "diff", "directory", "directory") == (1, "", too_many("directory", FILES + 1))


def test_a_state_at_the_bound_is_judged(
    many: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_ENTRY_FILES", FILES)
    code, out, err = run(many, "plan", "--base", "HEAD~", "--head", "HEAD")
    assert (code, out.count("changetype: add")) == (0, FILES - 2)
    assert err.startswith("HEAD~ -> HEAD: 3 add (sha256:")


def test_git_output_past_its_bound_is_refused_before_it_is_held(
    many: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = gitrepo.open_repo(many.root)
    args = ("ls-tree", "-r", "-z", "HEAD")
    whole = subprocess.run(["git", *args], cwd=many.root, capture_output=True, check=True)
    monkeypatch.setattr(gitrepo, "MAX_OUTPUT", len(whole.stdout))
    monkeypatch.setattr(gitrepo, "_CHUNK", 7)  # read in many pieces, joined as they came
    assert gitrepo.run(repo, *args) == whole.stdout
    monkeypatch.setattr(gitrepo, "MAX_OUTPUT", len(whole.stdout) - 1)
    with pytest.raises(LdifctlError) as caught:
        gitrepo.run(repo, *args)
    assert str(caught.value) == (
        f"git ls-tree -r -z HEAD printed over 0 MiB: that is more files than ldifctl reads "
        f"in one state (at most {bounds.MAX_ENTRY_FILES:,} entry files): remove files, "
        "or split the directory into repos by base_dn"
    )


def test_git_errors_of_any_length_are_read_beside_its_output(many: DirectoryRepo) -> None:
    """stderr is read on a thread as stdout is read: 300 kB of errors, more than a pipe
    holds, would block git (and ldifctl waiting on its stdout) otherwise."""
    repo = gitrepo.open_repo(many.root)
    names = [f"missing{n}" for n in range(5000)]
    with pytest.raises(LdifctlError) as caught:
        gitrepo.run(repo, "ls-files", "--error-unmatch", "--", *names)
    lines = str(caught.value).splitlines()
    assert len(lines) == 5001  # the first error on the line that names the command
    assert lines[0] == (f"git ls-files --error-unmatch -- {' '.join(names)} failed: error: "
                        "pathspec 'missing0' did not match any file(s) known to git")
    assert lines[-2:] == [
        "error: pathspec 'missing4999' did not match any file(s) known to git",
        "Did you forget to 'git add'?",
    ]
