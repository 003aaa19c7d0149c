"""`load_state(store=True)` (cache/states.py) stores the rows of the files it parsed
before it makes the entries of them, so that a cold load does not hold the rows and their
marshalled copy beside 100k entries; and what it stores answers as a later save would."""

from __future__ import annotations

import errno
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from repo_kit import PEOPLE, SUFFIX, DirectoryRepo

from ldifctl import bulk
from ldifctl.cache import entry_rows
from ldifctl.cache import files as cache_files
from ldifctl.cache import states as state_cache
from ldifctl.cache.keys import folder
from ldifctl.model.errors import LdifctlError
from ldifctl.model.snapshot import Entry
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

    def first_noting(packed: entry_rows.Packed, path: str, folder: str = "") -> object:
        if not seen_then:
            seen_then.append(stored_paths(ws))
        return unpack(packed, path, folder)

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


def loaded_entries(ws: Workspace) -> list[Entry]:
    state = state_cache.head_state(ws, WORKTREE)
    assert state is not None
    return state_cache.load_state(ws, state, store=True).entries


def test_the_second_process_stores_its_rows_and_sends_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the pipe go only what the checks found; the rows are read back from the
    part the second process stored, and the state is what one process loads."""
    whole = loaded_entries(open_workspace(repo_of(tmp_path / "one", 9).root))
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)
    monkeypatch.setattr(entry_rows, "ROWS_PER_FIELD", 2)  # a part in several fields
    sent: list[tuple[str, Any]] = []
    side_by_side = bulk.side_by_side

    def noting(*args: Any, **kwargs: Any) -> Any:
        mine, theirs = side_by_side(*args, **kwargs)
        sent.extend(theirs)
        return mine, theirs

    monkeypatch.setattr(bulk, "side_by_side", noting)
    ws = open_workspace(repo_of(tmp_path / "two", 9).root)
    assert loaded_entries(ws) == whole
    assert sent and all(fresh[0] is None for _, fresh in sent)
    assert len(entry_rows.read_rows(ws, (1,))) == len(sent)
    assert stored_paths(ws) == entry_files(DirectoryRepo(ws.root))


def test_rows_the_part_lacks_are_parsed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run stored its own part 1 between the second process's write and the
    parent's read: the rows it lacks are parsed by the parent, and stored in part 0."""
    whole = loaded_entries(open_workspace(repo_of(tmp_path / "one", 9).root))
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)
    read_rows, asked = entry_rows.read_rows, []

    def replaced(ws: Workspace, parts: Any = (0, 1)) -> dict[str, entry_rows.Packed]:
        asked.append(tuple(parts))
        return {} if tuple(parts) == (1,) else read_rows(ws, parts)

    monkeypatch.setattr(entry_rows, "read_rows", replaced)
    ws = open_workspace(repo_of(tmp_path / "two", 9).root)
    assert loaded_entries(ws) == whole
    assert (1,) in asked
    monkeypatch.setattr(entry_rows, "read_rows", read_rows)
    assert stored_paths(ws) == entry_files(DirectoryRepo(ws.root))


def test_rows_that_cannot_be_stored_are_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cache (no key to seal it): the second process sends its rows through the pipe."""
    whole = loaded_entries(open_workspace(repo_of(tmp_path / "one", 9).root))
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)
    keyless = {"HOME": str(tmp_path / "none"), "XDG_STATE_HOME": "/proc/no-state"}
    ws = open_workspace(repo_of(tmp_path / "two", 9).root, keyless)
    assert loaded_entries(ws) == whole
    assert entry_rows.read_rows(ws) == {}


def test_a_part_whose_writing_fails_midway_is_sent_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process parses each field's files as it writes the field: a disk that
    fills after two of them leaves no part 1: every row of its half is sent, and stored
    by the parent."""
    whole = loaded_entries(open_workspace(repo_of(tmp_path / "one", 9).root))
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)
    monkeypatch.setattr(entry_rows, "ROWS_PER_FIELD", 2)
    write_sealed, log = cache_files.write_sealed, tmp_path / "written"  # by either process

    def filling(path: Path, key: bytes, parts: Iterable[bytes]) -> None:
        def until_full() -> Iterator[bytes]:
            for n, part in enumerate(parts):  # the stamp, then each field's length and data
                if n == 5 and path.name == entry_rows.PARTS[1]:
                    raise OSError(errno.ENOSPC, "No space left on device")
                with log.open("a") as noted:
                    noted.write(f"{path.name}\n")
                yield part

        write_sealed(path, key, until_full())

    monkeypatch.setattr(cache_files, "write_sealed", filling)
    ws = open_workspace(repo_of(tmp_path / "two", 9).root)
    assert loaded_entries(ws) == whole
    # Two fields of rows had gone out when the disk filled.
    assert log.read_text().split().count(entry_rows.PARTS[1]) == 5
    assert not (folder(ws) / entry_rows.PARTS[1]).exists()
    assert stored_paths(ws) == entry_files(DirectoryRepo(ws.root))  # all of them in part 0


@pytest.mark.parametrize("warm", [False, True])
def test_an_entry_names_its_file_by_the_listings_own_text(tmp_path: Path, warm: bool) -> None:
    """Its path is the very text the state's listing holds (see Origin), cold or warm,
    and its name in messages is what it ever was."""
    repo = repo_of(tmp_path / "repo", 3)
    ws = open_workspace(repo.root)
    if warm:
        loaded_entries(ws)
    state = state_cache.head_state(ws, WORKTREE)
    assert state is not None
    entries = state_cache.load_state(ws, state, store=True).entries
    own = {path: path for path in state.files()}  # a key looked up gives its own object
    assert sorted(e.origin.where for e in entries if e.origin) == [
        f"directory/{path}" for path in entry_files(repo)
    ]
    assert all(e.origin and e.origin.path is own[e.origin.path] for e in entries)
