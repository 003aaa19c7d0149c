"""The untracked files remembered between runs (cache/untracked.py): used only while every
folder and git's index are as they were, so that no new file is ever missed."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from mail_kit import example_repo
from repo_kit import DirectoryRepo

from ldifctl.cache import files as cache_files
from ldifctl.cache import untracked
from ldifctl.repo import gitrepo
from ldifctl.repo import untracked as proof
from ldifctl.repo.readers import revision
from ldifctl.repo.workspace import Workspace, open_workspace

PEOPLE = "directory/dc=net/dc=example/ou=people"
NEW = f"{PEOPLE}/cn=new.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return example_repo(tmp_path)


def workspace(repo: DirectoryRepo, **environ: str) -> Workspace:
    return open_workspace(repo.root, {**os.environ, **environ})


def changed(ws: Workspace) -> set[str]:
    """What `validate` and `plan` take as changed, once git's clock has moved on (a
    folder changed in the tick the listing is made proves nothing: see settle)."""
    base = revision(ws, "HEAD")
    return untracked.start_changed_paths(ws, base.commit, None, base.prefix)()


def reference(ws: Workspace) -> set[str]:
    base = revision(ws, "HEAD")
    return gitrepo.changed_paths(ws.repo, base.commit, None, base.prefix)


def settle() -> None:
    """Let the filesystem's clock tick past the last change, so a listing made now is
    recorded (a change in the same tick as the listing leaves no proof)."""
    time.sleep(0.05)


def listed_twice(repo: DirectoryRepo) -> set[str] | None:
    """Scan (recording the listing), then say what the record answers."""
    ws = workspace(repo)
    settle()
    assert changed(ws) == reference(ws)
    return untracked.recorded(ws, "directory")


def test_a_listing_is_reused_while_nothing_changes(repo: DirectoryRepo) -> None:
    repo.write_raw(NEW, b"dn: cn=new\n")
    assert listed_twice(repo) == {"dc=net/dc=example/ou=people/cn=new.yaml"}
    ws = workspace(repo)
    assert changed(ws) == reference(ws)
    assert untracked.recorded(ws, "directory") is not None  # still: nothing changed


def test_the_names_are_read_only_when_a_folder_changed(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every entry file's name (5.6 MB at 300k files) is kept apart from the record: a run
    that finds every folder as recorded reads the record alone; an editor's save reads
    the names too, and keeps the listing."""
    repo.write_raw(NEW, b"dn: cn=new\n")
    assert listed_twice(repo) == {"dc=net/dc=example/ou=people/cn=new.yaml"}
    read: list[str] = []
    real = cache_files.read_marshalled

    def noting(path: Path, environ: Mapping[str, str], stamp: str) -> dict[str, Any]:
        read.append(path.name)
        return real(path, environ, stamp)

    monkeypatch.setattr(cache_files, "read_marshalled", noting)
    asked = listings(monkeypatch)
    ws = workspace(repo)
    found = changed(ws)
    assert (read, asked) == (["untracked.marshal"], [])
    assert found == reference(ws)
    saved(repo, f"{PEOPLE}/cn=central.yaml", b"dn: cn=central,ou=people\n")
    settle()
    read.clear()
    asked.clear()
    found = changed(workspace(repo))
    assert (read, asked) == (["untracked.marshal", "untracked.names.marshal"], [])
    assert found == reference(ws)


def test_names_kept_with_another_record_are_not_used(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped between writing the names and the record leaves names of other
    folders' statuses beside the record: git lists again, as with no names at all."""
    repo.write_raw(NEW, b"dn: cn=new\n")
    assert listed_twice(repo) == {"dc=net/dc=example/ou=people/cn=new.yaml"}
    folder = repo.root / ".git" / "ldifctl"
    older = (folder / "untracked.names.marshal").read_bytes()
    saved(repo, f"{PEOPLE}/cn=central.yaml", b"dn: cn=central,ou=people\n")
    assert listed_twice(repo) is not None  # the new statuses recorded, names and all
    (folder / "untracked.names.marshal").write_bytes(older)  # sealed, of the statuses before
    asked = listings(monkeypatch)
    saved(repo, f"{PEOPLE}/cn=central.yaml", b"dn: cn=central,ou=people\nsn: y\n")
    settle()
    ws = workspace(repo)
    found = changed(ws)
    assert asked == ["directory"]
    assert found == reference(ws)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.write_raw(NEW, b"dn: cn=new\n"),
        lambda r: r.write_raw(f"{PEOPLE}/sub/cn=deep.yaml", b"dn: cn=deep\n"),
        lambda r: (r.root / f"{PEOPLE}/cn=central.yaml").rename(r.root / NEW),
        lambda r: (r.root / f"{PEOPLE}/cn=central.yaml").unlink(),
        lambda r: r.git("rm", "-q", "--cached", f"{PEOPLE}/cn=central.yaml"),
        lambda r: (r.root / "directory/dc=net/.gitkeep").write_bytes(b""),
    ],
    ids=["new file", "new folder", "rename", "delete", "untracked in the index", "dot file"],
)
def test_any_change_to_a_folder_or_the_index_makes_git_list_again(
    repo: DirectoryRepo, change: Callable[[DirectoryRepo], object]
) -> None:
    assert listed_twice(repo) == set()
    change(repo)
    ws = workspace(repo)
    assert untracked.recorded(ws, "directory") is None
    assert changed(ws) == reference(ws)


def test_a_file_in_a_folder_that_was_empty_is_found(repo: DirectoryRepo) -> None:
    """git lists no empty folder, so only the walk of every folder knows it is there;
    a file put in it later changes that folder alone."""
    (repo.root / PEOPLE / "empty" / "deeper").mkdir(parents=True)
    assert listed_twice(repo) == set()
    repo.write_raw(f"{PEOPLE}/empty/deeper/cn=late.yaml", b"dn: cn=late\n")
    ws = workspace(repo)
    assert "dc=net/dc=example/ou=people/empty/deeper/cn=late.yaml" in changed(ws)
    assert changed(ws) == reference(ws)


def test_folders_unchanged_since_the_last_record_are_not_read_again(
    repo: DirectoryRepo,
) -> None:
    """After `git add` (the index changed, no folder did) the folders are taken from the
    last record, the empty ones below them too."""
    (repo.root / PEOPLE / "empty" / "deeper").mkdir(parents=True)
    assert listed_twice(repo) == set()
    repo.write_raw(f"{PEOPLE}/cn=new.yaml", b"dn: cn=new\n")
    repo.git("add", "-A")
    assert listed_twice(repo) == set()  # recorded again, the folders from the last record
    repo.write_raw(f"{PEOPLE}/empty/deeper/cn=late.yaml", b"dn: cn=late\n")
    ws = workspace(repo)
    assert untracked.recorded(ws, "directory") is None
    assert "dc=net/dc=example/ou=people/empty/deeper/cn=late.yaml" in changed(ws)


def test_a_hook_with_its_own_index_lists_afresh(repo: DirectoryRepo) -> None:
    """git gives a commit hook GIT_INDEX_FILE: git then lists against another index."""
    assert listed_twice(repo) == set()
    index = str(repo.root / ".git" / "index")
    assert untracked.recorded(workspace(repo, GIT_INDEX_FILE=index), "directory") is None
    assert untracked.recorded(workspace(repo, GIT_SSL_CAINFO="/x"), "directory") == set()


def test_a_folder_changed_in_the_tick_of_the_listing_proves_nothing(repo: DirectoryRepo) -> None:
    folders = [os.lstat(d) for d, _, _ in os.walk(repo.root / "directory")]
    stamp, device = max(max(s.st_mtime_ns, s.st_ctime_ns) for s in folders), folders[0].st_dev
    assert proof.folder_statuses(str(repo.root), "directory", stamp, device, {}) is None
    later = proof.folder_statuses(str(repo.root), "directory", stamp + 1, device, {})
    assert later is not None and len(later) == len(folders)
    assert proof.folder_statuses(str(repo.root), "directory", stamp + 1, device + 1, {}) is None


def saved(repo: DirectoryRepo, path: str, text: bytes) -> None:
    """An editor's save: a new file written beside, then renamed over the old one (the
    folder changes, its names do not)."""
    target = repo.root / path
    beside = target.with_name(f".{target.name}.swp")
    beside.write_bytes(text)
    beside.rename(target)


def listings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders git is asked to list the untracked files of, call by call."""
    asked: list[str] = []
    real = gitrepo.start_others

    def counted(repo: gitrepo.GitRepo, prefix: str) -> Callable[[], set[str]]:
        asked.append(prefix)
        return real(repo, prefix)

    monkeypatch.setattr(gitrepo, "start_others", counted)
    return asked


def test_an_editors_save_keeps_the_listing(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder changed, its names did not: git is not asked again, and the answer is
    still git's own (the saved file differs from HEAD, the new untracked one is listed)."""
    repo.write_raw(NEW, b"dn: cn=new\n")
    assert listed_twice(repo) == {"dc=net/dc=example/ou=people/cn=new.yaml"}
    asked = listings(monkeypatch)
    saved(repo, f"{PEOPLE}/cn=central.yaml", b"dn: cn=central,ou=people\n")
    saved(repo, NEW, b"dn: cn=new\nsn: x\n")
    settle()
    ws = workspace(repo)
    found = changed(ws)
    assert asked == []
    assert found == reference(ws) == {
        "dc=net/dc=example/ou=people/cn=central.yaml", "dc=net/dc=example/ou=people/cn=new.yaml"}
    assert untracked.recorded(ws, "directory") is not None  # the new statuses recorded


@pytest.mark.parametrize(
    "change",
    [
        lambda r: ((r.root / NEW).unlink(), (r.root / NEW).mkdir(),
                   r.write_raw(f"{NEW}/cn=in.yaml", b"dn: cn=in\n")),
        lambda r: ((r.root / NEW).unlink(), (r.root / NEW).mkdir()),
        lambda r: (r.root / f"{PEOPLE}/cn=central.yaml").rename(r.root / NEW),
        lambda r: r.git("add", NEW),
    ],
    ids=["file to folder", "file to empty folder", "renamed over another", "staged"],
)
def test_other_names_or_another_index_make_git_list_again(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch, change: Callable[[DirectoryRepo], object]
) -> None:
    repo.write_raw(NEW, b"dn: cn=new\n")
    assert listed_twice(repo) == {"dc=net/dc=example/ou=people/cn=new.yaml"}
    asked = listings(monkeypatch)
    change(repo)
    settle()
    ws = workspace(repo)
    found = changed(ws)
    assert asked == ["directory"]
    assert found == reference(ws)


def test_names_read_before_a_change_git_saw_are_not_kept(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file added after the names were read, before git lists: git lists it, the
    names lack it. Kept, they would match again once it is deleted, and the listing
    would name a file that is gone; so they are not kept, and git lists again."""
    real = gitrepo.start_others

    def meanwhile(git: gitrepo.GitRepo, prefix: str) -> Callable[[], set[str]]:
        repo.write_raw(f"{PEOPLE}/cn=meanwhile.yaml", b"dn: cn=meanwhile\n")
        return real(git, prefix)

    monkeypatch.setattr(gitrepo, "start_others", meanwhile)
    settle()
    assert "dc=net/dc=example/ou=people/cn=meanwhile.yaml" in changed(workspace(repo))
    monkeypatch.undo()
    asked = listings(monkeypatch)
    (repo.root / PEOPLE / "cn=meanwhile.yaml").unlink()
    saved(repo, f"{PEOPLE}/cn=central.yaml", b"dn: cn=central,ou=people\n")
    settle()
    ws = workspace(repo)
    found = changed(ws)
    assert asked == ["directory"]
    assert found == reference(ws) == {"dc=net/dc=example/ou=people/cn=central.yaml"}


def test_random_edits_are_seen_as_git_sees_them(repo: DirectoryRepo) -> None:
    """Any sequence of adds, deletes, renames, new folders and index changes: the answer
    is git's own, and the record answers whenever nothing changed."""
    rng = random.Random(13)
    used = 0
    for step in range(24):
        _random_change(repo, rng, step)
        settle()
        ws = workspace(repo)
        assert changed(ws) == reference(ws), step
        again = workspace(repo)
        used += untracked.recorded(again, "directory") is not None
        assert changed(again) == reference(again), step
    assert used == 24  # every second run in a row answered from the record


def _random_change(repo: DirectoryRepo, rng: random.Random, step: int) -> None:
    folder = repo.root / PEOPLE
    files = sorted(f for f in folder.rglob("*.yaml") if f.is_file())
    kind = rng.choice(["add", "deep", "empty", "delete", "rename", "stage", "unstage", "edit",
                       "save", "swap"])
    target = rng.choice(files)
    if kind == "add":
        repo.write_raw(f"{PEOPLE}/cn=n{step}.yaml", b"dn: cn=x\n")
    elif kind == "deep":
        repo.write_raw(f"{PEOPLE}/d{step % 3}/cn=n{step}.yaml", b"dn: cn=x\n")
    elif kind == "empty":
        (folder / f"e{step % 2}" / "f").mkdir(parents=True, exist_ok=True)
    elif kind == "delete":
        target.unlink()
    elif kind == "rename":
        target.rename(folder / f"cn=r{step}.yaml")
    elif kind == "stage":
        repo.git("add", "-A")
    elif kind == "unstage":
        repo.git("reset", "-q")
    elif kind == "save":
        saved(repo, str(target.relative_to(repo.root)), target.read_bytes() + b"sn: saved\n")
    elif kind == "swap":  # a file replaced by a folder of its name, holding a file
        target.unlink()
        repo.write_raw(f"{target.relative_to(repo.root)}/cn=s{step}.yaml", b"dn: cn=x\n")
    else:
        target.write_text(target.read_text() + "description: edited\n")
