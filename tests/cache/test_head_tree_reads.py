"""The head state reads the files git reports unchanged from the working tree, each
kept only if it hashes to its blob id; any other is read from git, so what a cold load
parses (and caches under that id) is the blob itself, whatever lies on disk now."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest
from repo_kit import PEOPLE, SUFFIX, DirectoryRepo

from ldifctl.cache import head_tree
from ldifctl.cache import states as state_cache
from ldifctl.cache.head_tree import HeadTree
from ldifctl.repo import files as repo_files
from ldifctl.repo import git_blobs, gitrepo
from ldifctl.repo.bounds import StateBytes
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.specs import WORKTREE

PEOPLE_DN = "ou=people,dc=example,dc=net"
ANN = "dc=net/dc=example/ou=people/cn=ann.yaml"
BOB = "dc=net/dc=example/ou=people/cn=bob.yaml"


def person(cn: str) -> str:
    return f"dn: cn={cn},{PEOPLE_DN}\nobjectClass: person\ncn: {cn}\nsn: P\n"


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate({"dc=example,dc=net": SUFFIX, PEOPLE_DN: PEOPLE})
    repo.populate({f"cn={cn},{PEOPLE_DN}": person(cn) for cn in ("ann", "bob")})
    repo.commit("base")
    return repo


def head(repo: DirectoryRepo) -> HeadTree:
    """The working tree's state, listed as a cold load lists it (the blob ids known)."""
    state = state_cache.head_state(open_workspace(repo.root), WORKTREE)
    assert state is not None
    assert set(state.files()) >= {ANN, BOB}
    return state


@pytest.fixture
def from_git(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The blob ids each `git cat-file` was asked for (git still answers them)."""
    asked: list[list[str]] = []
    read_blobs = git_blobs.read_blobs

    def noted(
        repo: gitrepo.GitRepo, blob_ids: object, budget: StateBytes | None = None
    ) -> dict[str, bytes]:
        ids = list(blob_ids)  # type: ignore[call-overload]
        asked.append(ids)
        return read_blobs(repo, ids, budget)

    monkeypatch.setattr(git_blobs, "read_blobs", noted)
    return asked


def blob_of(repo: DirectoryRepo, relpath: str) -> str:
    return repo.git("rev-parse", f"HEAD:directory/{relpath}").strip()


def test_a_clean_tree_is_read_from_disk_without_git(
    repo: DirectoryRepo, from_git: list[list[str]]
) -> None:
    state = head(repo)
    read = state.read([ANN, BOB])
    assert read == {ANN: person("ann").encode(), BOB: person("bob").encode()}
    assert from_git == []


def test_a_file_edited_after_git_looked_is_read_as_its_blob(
    repo: DirectoryRepo, from_git: list[list[str]]
) -> None:
    state = head(repo)  # git has reported every file unchanged
    (repo.root / "directory" / ANN).write_text(person("ann").replace("sn: P", "sn: Edited"))
    assert state.read([ANN, BOB]) == {ANN: person("ann").encode(), BOB: person("bob").encode()}
    assert from_git == [[blob_of(repo, ANN)]]  # bob's bytes on disk are his blob


def test_a_link_put_in_a_files_place_is_not_followed(
    repo: DirectoryRepo, from_git: list[list[str]], tmp_path: Path
) -> None:
    state = head(repo)
    outside = tmp_path / "outside.yaml"
    outside.write_text(person("ann"))  # the very bytes of the blob, behind a link
    path = repo.root / "directory" / ANN
    path.unlink()
    path.symlink_to(outside)
    assert state.read([ANN]) == {ANN: person("ann").encode()}
    assert from_git == [[blob_of(repo, ANN)]]


def test_a_fifo_put_in_a_files_place_is_not_waited_on(
    repo: DirectoryRepo, from_git: list[list[str]]
) -> None:
    state = head(repo)
    path = repo.root / "directory" / ANN
    path.unlink()
    os.mkfifo(path)  # no writer will ever come: opening it to read would wait for one
    read: list[dict[str, bytes]] = []
    reader = threading.Thread(target=lambda: read.append(state.read([ANN])), daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive()
    assert read == [{ANN: person("ann").encode()}]
    assert from_git == [[blob_of(repo, ANN)]]


def test_a_checkout_filter_leaves_the_parse_to_the_blob(
    repo: DirectoryRepo, from_git: list[list[str]]
) -> None:
    """With core.autocrlf the working tree holds CRLF lines git reports unchanged: the
    state is what the commit holds, LF lines."""
    repo.git("config", "core.autocrlf", "true")
    for relpath in (ANN, BOB):
        (repo.root / "directory" / relpath).unlink()
    repo.git("checkout", "--", ".")
    assert (repo.root / "directory" / ANN).read_bytes() == person("ann").replace(
        "\n", "\r\n"
    ).encode()
    state = head(repo)
    assert state.changed == set()
    assert state.read([ANN, BOB]) == {ANN: person("ann").encode(), BOB: person("bob").encode()}
    assert sorted(from_git[0]) == sorted([blob_of(repo, ANN), blob_of(repo, BOB)])


def test_a_tree_whose_files_are_not_their_blobs_is_read_from_git_after_a_few(
    repo: DirectoryRepo, from_git: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past BLOB_TRIES files of which none was its blob, no more are read twice."""
    repo.git("config", "core.autocrlf", "true")
    for relpath in (ANN, BOB):
        (repo.root / "directory" / relpath).unlink()
    repo.git("checkout", "--", ".")
    monkeypatch.setattr(head_tree, "BLOB_TRIES", 1)
    read_on_disk: list[str] = []
    read_regular = repo_files.read_regular

    def noted(
        path: str, where: str, what: str = "an entry file", budget: StateBytes | None = None
    ) -> bytes:
        read_on_disk.append(where)
        return read_regular(path, where, what, budget=budget)

    monkeypatch.setattr(repo_files, "read_regular", noted)
    state = head(repo)
    assert state.read([ANN, BOB]) == {ANN: person("ann").encode(), BOB: person("bob").encode()}
    assert read_on_disk == [ANN]
    assert sorted(from_git[0]) == sorted([blob_of(repo, ANN), blob_of(repo, BOB)])


@pytest.mark.parametrize("object_format", ["sha1", "sha256"])
def test_a_blob_is_known_by_its_id_in_either_object_format(
    tmp_path: Path, object_format: str
) -> None:
    subprocess.run(["git", "init", "-q", f"--object-format={object_format}", str(tmp_path)],
                   check=True)
    for data in (b"", b"dn: cn=a\n", os.urandom(70000)):
        (tmp_path / "f").write_bytes(data)
        blob = subprocess.run(["git", "hash-object", "f"], cwd=tmp_path, check=True,
                              capture_output=True, text=True).stdout.strip()
        assert len(blob) == (40 if object_format == "sha1" else 64)
        assert git_blobs.is_blob(data, blob)
        assert not git_blobs.is_blob(data + b"\n", blob)
