"""`load_state(store=True)` (cache/states.py) stores the rows of the files it parsed
before it makes the entries of them, so that a cold load does not hold the rows and their
marshalled copy beside 100k entries; and what it stores answers as a later save would."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_kit import PEOPLE, SUFFIX, DirectoryRepo

from ldifctl import bulk
from ldifctl.cache import entry_rows
from ldifctl.cache import states as state_cache
from ldifctl.model.errors import LdifctlError
from ldifctl.repo.workspace import Workspace, open_workspace
from ldifctl.sources.specs import WORKTREE

PEOPLE_DN = "ou=people,dc=example,dc=net"


def person(cn: str, dn: str | None = None) -> str:
    return f"dn: {dn or f'cn={cn},{PEOPLE_DN}'}\nobjectClass: person\ncn: {cn}\nsn: P\n"


def repo_of(root: Path, people: int) -> DirectoryRepo:
    repo = DirectoryRepo(root)
    repo.populate({"dc=example,dc=net": SUFFIX, PEOPLE_DN: PEOPLE})
    repo.populate({f"cn=p{i},{PEOPLE_DN}": person(f"p{i}") for i in range(people)})
    repo.commit("base")
    return repo


def stored_paths(ws: Workspace) -> list[str]:
    return sorted(key.split("\0")[0] for key in entry_rows.read_rows(ws))


def entry_files(repo: DirectoryRepo) -> list[str]:
    directory = repo.root / "directory"
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*.yaml"))


@pytest.mark.parametrize("split", [False, True])
def test_every_row_is_stored_before_an_entry_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2 if split else 10**6)
    repo = repo_of(tmp_path / "repo", 6)
    ws = open_workspace(repo.root)
    seen_then: list[list[str]] = []
    unpack = entry_rows.unpack

    def first_noting(packed: entry_rows.Packed, where: str) -> object:
        if not seen_then:
            seen_then.append(stored_paths(ws))
        return unpack(packed, where)

    monkeypatch.setattr(entry_rows, "unpack", first_noting)
    state = state_cache.head_state(ws, WORKTREE)
    assert state is not None
    loaded = state_cache.load_state(ws, state, store=True)
    assert seen_then == [entry_files(repo)]
    assert loaded.unsaved is None  # nothing left for a caller to store
    assert len(loaded.entries) == len(entry_files(repo))


def test_rows_are_stored_even_when_two_files_name_one_entry(tmp_path: Path) -> None:
    """Each file parsed is stored, though the state is refused: the next load parses
    none of them again, and is refused the same way."""
    repo = repo_of(tmp_path / "repo", 3)
    repo.write_raw("directory/dc=net/dc=example/ou=people/CN=P1.yaml",
                   person("p1", f"CN=P1,{PEOPLE_DN}").encode())
    ws = open_workspace(repo.root)
    state = state_cache.head_state(ws, WORKTREE)
    assert state is not None
    with pytest.raises(LdifctlError) as first:
        state_cache.load_state(ws, state, store=True)
    assert stored_paths(ws) == entry_files(repo)
    again = state_cache.head_state(ws, WORKTREE)
    assert again is not None
    with pytest.raises(LdifctlError) as second:
        state_cache.load_state(ws, again, store=True)
    assert str(second.value) == str(first.value)
    assert "same entry" in str(first.value)


def test_without_store_the_rows_wait_for_save(tmp_path: Path) -> None:
    repo = repo_of(tmp_path / "repo", 3)
    ws = open_workspace(repo.root)
    state = state_cache.head_state(ws, WORKTREE)
    assert state is not None
    loaded = state_cache.load_state(ws, state)
    assert stored_paths(ws) == []
    loaded.save()
    assert stored_paths(ws) == entry_files(repo)
