"""`import` on two cores (sources/importer.py): the checks of each entry and the text of
each file are worked out by two processes, and the files are written only once every
entry has passed and every file's place was looked at. Held here to the same import run
in one process, on a tree small enough to read (the split is forced below 4,000)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, base_entries, committed_repo, run

from ldifctl import bulk
from ldifctl.model import entry_paths

PEOPLE = "ou=people,dc=example,dc=net"
FOLDER = "directory/dc=net/dc=example/ou=people"


def person(i: int, sn: str = "Doe") -> str:
    return (
        f"dn: cn=p{i},{PEOPLE}\nobjectClass: inetOrgPerson\ncn: p{i}\nsn: {sn}\n"
        f"mail: p{i}@example.net\n"
    )


BASE = (
    "dn: dc=example,dc=net\nobjectClass: dcObject\nobjectClass: organization\n"
    "dc: example\no: Example\n\n"
    f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n\n"
)


def dump(people: Iterable[str]) -> str:
    return BASE + "".join(f"{p}\n" for p in people)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every fork this process makes, counted (a child's own count dies with it)."""
    made: list[int] = []
    real = os.fork

    def counted() -> int:
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    return made


def repo_with_files(root: Path) -> DirectoryRepo:
    """The base, three people already in files: one as the dump has it, one with a
    comment and another surname, one the dump does not have."""
    repo = committed_repo(root, base_entries())
    repo.write(f"cn=p0,{PEOPLE}", person(0).replace("dn: ", "# kept by hand\ndn: ", 1))
    repo.write(f"cn=p1,{PEOPLE}", person(1, "Roe"))
    repo.write(f"cn=gone,{PEOPLE}", person(99).replace("p99", "gone"))
    return repo


def files(repo: DirectoryRepo) -> dict[str, bytes]:
    directory = repo.root / "directory"
    found = (p for p in directory.rglob("*.yaml") if not p.is_symlink())
    return {str(p.relative_to(directory)): p.read_bytes() for p in found}


def imported(repo: DirectoryRepo, text: str, *args: str) -> tuple[int, str, str]:
    source = repo.root.parent / f"{repo.root.name}.ldif"
    source.write_text(text)
    return run(repo, "import", "--from-ldif", str(source), *args)


def test_two_cores_write_what_one_core_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    text = dump(person(i) for i in range(40))
    monkeypatch.setattr(bulk, "MIN_SPLIT", 10**9)
    one = repo_with_files(tmp_path / "one")
    alone = imported(one, text, "--prune")
    assert forks == []
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)
    two = repo_with_files(tmp_path / "two")
    assert imported(two, text, "--prune") == alone
    assert len(forks) == 3  # the LDIF file read, the checks, the texts
    assert files(two) == files(one)
    assert alone[:2] == (0, "")
    # p1 … p39 and the two base entries (as the dump spells them); p0 says what the dump
    # says, its comment kept: unchanged
    assert alone[2].endswith("41 files written, 1 unchanged, 1 removed in directory\n")
    assert files(two)["dc=net/dc=example/ou=people/cn=p0.yaml"].startswith(b"# kept by hand\n")


def test_a_refused_entry_in_the_second_half_is_named_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)
    repo = repo_with_files(tmp_path / "repo")
    before = files(repo)
    # An RDN too long for a file name: the LDIF reader takes it, import's checks do not
    # (what an entry file refuses in names and values the reader refuses itself).
    bad = person(38).replace("dn: cn=p38", "dn: cn=" + "x" * 300)
    code, out, err = imported(repo, dump([*(person(i) for i in range(38)), bad, person(39)]))
    assert forks  # the checks ran on two cores
    source = tmp_path / "repo.ldif"
    line = 1 + BASE.count("\n") + 38 * (person(0).count("\n") + 1)
    assert (code, out, err) == (
        1,
        "",
        f"error: {source}:{line}: {entry_paths.path_problem('cn=' + 'x' * 300)}\n"
        "error: nothing was written: fix the source first\n",
    )
    assert files(repo) == before


def test_a_link_where_a_late_file_goes_is_refused_before_any_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)
    repo = repo_with_files(tmp_path / "repo")
    before = files(repo)
    target = tmp_path / "created-by-import.yaml"
    (repo.root / FOLDER / "cn=p39.yaml").symlink_to(target)  # dangling: a write creates it
    code, out, err = imported(repo, dump(person(i) for i in range(40)))
    assert (code, out, err) == (
        1,
        "",
        f"error: {FOLDER}/cn=p39.yaml: a symbolic link, not an entry file: ldifctl never "
        "follows a link nor reads another repository's files; put the real file here, or "
        "remove it\n",
    )
    assert not os.path.lexists(target)
    assert files(repo) == before  # p2 … p38 were not written before the link was met


def test_the_files_written_are_not_executable_so_git_keeps_them_as_plain_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file is created as `open()` creates one (0o666 less the umask): earlier, an
    import gave the files it made 0o755, which git then committed as executables."""
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)
    repo = repo_with_files(tmp_path / "repo")
    umask = os.umask(0o022)
    try:
        code, _, _ = imported(repo, dump(person(i) for i in range(40)))
    finally:
        os.umask(umask)
    assert code == 0
    made = [p for p in (repo.root / FOLDER).glob("*.yaml") if p.name != "cn=gone.yaml"]
    assert len(made) == 40
    assert {stat.S_IMODE(p.stat().st_mode) for p in made} == {0o644}
    repo.git("add", "-A")
    staged = repo.git("ls-files", "--stage", "--", FOLDER).splitlines()
    assert {line.split()[0] for line in staged} == {"100644"}
