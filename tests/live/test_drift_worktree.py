"""Only what ldifctl made is removed: `prune_stale` takes a temporary work tree of
`drift --write --branch` away only when ldifctl's owner file names a run of this repo, host,
boot and PID namespace that has ended, and the tree is unlocked and clean. Everything else
stays, named in one line with how to remove it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ldifctl.live import drift_worktree

# A run killed outright (SIGKILL) inside `temporary`: its tree is left as a power cut
# would leave it.
KILLED = """\
import os, signal, sys
from ldifctl.live import drift_worktree
with drift_worktree.temporary(sys.argv[1], "HEAD") as tree:
    print(tree, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder, for this test and the runs it starts."""
    (folder := tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    top = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    git(top, "commit", "-q", "--allow-empty", "-m", "init")
    return top


def git(top: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=top, check=True, capture_output=True,
                          text=True).stdout


def trees(top: Path) -> list[Path]:
    """The work trees besides the repo's own, as git lists them."""
    listed = git(top, "worktree", "list", "--porcelain").splitlines()
    return [Path(line[9:]) for line in listed if line.startswith("worktree ")][1:]


def killed_run(top: Path) -> Path:
    done = subprocess.run([sys.executable, "-c", KILLED, str(top)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == -9, done.stderr
    return Path(done.stdout.strip())


def edit_owner(tree: Path, **changes: str) -> None:
    """Both copies of the owner record, as another host's or container's run wrote them."""
    admin = Path(git(tree, "rev-parse", "--absolute-git-dir").strip())
    for path in (tree.parent / "owner", admin / "ldifctl-drift-owner"):
        path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def prune(top: Path) -> list[str]:
    return drift_worktree.prune_stale(str(top))


def kept(tree: Path, reason: str) -> str:
    return (f"note: left the work tree {tree} in place: {reason}; once nothing needs it: "
            f"git worktree remove --force {tree}")


def test_a_users_look_alike_work_tree_is_left_as_it_is(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported defect: a folder named ldifctl-drift-*, holding a user's work tree with
    uncommitted work and a file of its own, went whole. Nowhere is it ours: it stays."""
    folder = tmp_path / "x" / "wt" / "ldifctl-drift-notes"
    folder.mkdir(parents=True)
    (folder / "TODO.txt").write_text("notes\n")
    git(repo, "worktree", "add", "-q", str(folder / "tree"), "-b", "feature")
    (folder / "tree" / "uncommitted.txt").write_text("wip\n")

    for temporary in (tmp_path / "tmp", folder.parent):  # elsewhere; in the temporary folder
        monkeypatch.setattr(tempfile, "tempdir", str(temporary))
        notes = prune(repo)
        assert sorted(p.name for p in folder.iterdir()) == ["TODO.txt", "tree"]
        assert (folder / "tree" / "uncommitted.txt").read_text() == "wip\n"
        assert trees(repo) == [folder / "tree"]
    # Where ldifctl's would be, it is named, not removed.
    assert notes == [kept(folder / "tree", "it has no owner file and its folder holds other "
                          "files")]


def test_the_tree_of_a_run_that_was_killed_is_removed(tmp: Path, repo: Path) -> None:
    tree = killed_run(repo)
    assert tree.parent.parent == tmp and trees(repo) == [tree]
    assert prune(repo) == []
    assert trees(repo) == [] and not tree.parent.exists()
    assert not (repo / ".git" / "worktrees").exists() or not any(
        (repo / ".git" / "worktrees").iterdir())


def test_a_running_ldifctls_tree_is_kept(tmp: Path, repo: Path) -> None:
    with drift_worktree.temporary(str(repo), "HEAD") as tree:
        assert prune(repo) == [kept(tree, "the ldifctl run that made it is still going "
                                    f"(pid {os.getpid()})")]
        assert trees(repo) == [tree] and (tree / ".git").exists()
    assert trees(repo) == [] and not tree.parent.exists()  # its own run removes it


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"host": "other.host"}, "it was made on host other.host, whose processes cannot be "
                                 "seen from here"),
        ({"pidns": "pid:[1]"}, "it was made in another container or boot, whose processes "
                               "cannot be seen"),
        ({"boot": "another-boot"}, "it was made in another container or boot, whose processes "
                                   "cannot be seen"),
        ({"gitdir": "/elsewhere/.git"}, "it was made by a run in another repository "
                                        "(/elsewhere/.git)"),
        ({"token": "0" * 32}, None),  # the two copies disagree
    ],
    ids=["another-host", "another-container", "another-boot", "another-repo", "token"],
)
def test_a_tree_whose_owner_cannot_be_seen_to_have_ended_is_kept(
    tmp: Path, repo: Path, changes: dict[str, str], reason: str | None
) -> None:
    tree = killed_run(repo)
    if reason is None:
        (tree.parent / "owner").write_text(
            json.dumps({**json.loads((tree.parent / "owner").read_text()), **changes}))
        reason = "its owner file is unreadable or does not match .git/worktrees"
    else:
        edit_owner(tree, **changes)
    assert prune(repo) == [kept(tree, reason)]
    assert trees(repo) == [tree] and (tree.parent / "owner").exists()


def test_a_locked_tree_is_kept(tmp: Path, repo: Path) -> None:
    tree = killed_run(repo)
    git(repo, "worktree", "lock", "--reason", "on a stick", str(tree))
    assert prune(repo) == [
        f"note: left the work tree {tree} in place: it is locked; once nothing needs it: "
        f"git worktree unlock {tree} && git worktree remove --force {tree}"
    ]
    assert trees(repo) == [tree]


@pytest.mark.parametrize("change", ["untracked", "modified", "ignored"])
def test_a_tree_with_changes_is_kept(tmp: Path, repo: Path, change: str) -> None:
    (repo / "file").write_text("committed\n")
    (repo / ".gitignore").write_text("*.log\n")
    git(repo, "add", "file", ".gitignore")
    git(repo, "commit", "-q", "-m", "a file")
    tree = killed_run(repo)
    name = {"untracked": "new.txt", "modified": "file", "ignored": "debug.log"}[change]
    (tree / name).write_text("work\n")
    assert prune(repo) == [kept(tree, "it has uncommitted changes (git status)")]
    assert (tree / name).read_text() == "work\n"


def test_a_link_named_like_ours_is_not_ours(tmp_path: Path, tmp: Path, repo: Path) -> None:
    """A genuine leftover, moved away by its user and linked back: what the link points to
    is not in the temporary folder."""
    tree = killed_run(repo)
    moved = tmp_path / "kept" / tree.parent.name
    moved.parent.mkdir()
    tree.parent.rename(moved)
    tree.parent.symlink_to(moved)
    assert prune(repo) == []
    assert trees(repo) == [tree] and sorted(p.name for p in moved.iterdir()) == ["owner", "tree"]


def old_tree(repo: Path, tmp: Path, name: str) -> Path:
    """An older ldifctl's leftover: no owner file, the branch checked out."""
    tree = tmp / f"ldifctl-drift-{name}" / "tree"
    git(repo, "worktree", "add", "-q", "-b", name, str(tree))
    return tree


def test_an_older_ldifctls_tree_goes_only_when_nothing_else_is_there(
    tmp: Path, repo: Path
) -> None:
    bare, crowded, changed = (old_tree(repo, tmp, name) for name in ("a", "b", "c"))
    (crowded.parent / "notes.txt").write_text("mine\n")
    (changed / "draft.txt").write_text("mine\n")
    assert prune(repo) == [
        kept(crowded, "it has no owner file and its folder holds other files"),
        kept(changed, "it has uncommitted changes (git status)"),
    ]
    assert sorted(trees(repo)) == [crowded, changed] and not bare.parent.exists()
    assert (crowded.parent / "notes.txt").exists() and (changed / "draft.txt").exists()
    assert git(repo, "branch", "--list", "a") == "  a\n"  # its branch is deleted by hand


def test_a_tree_whose_folder_went_is_forgotten_only_when_it_was_ours(
    tmp: Path, repo: Path
) -> None:
    """A temporary folder emptied at boot: .git/worktrees still names the trees."""
    ours, older = killed_run(repo), old_tree(repo, tmp, "a")
    for tree in (ours, older):
        (tree / ".git").unlink()
        (tree.parent / "owner").unlink(missing_ok=True)
        tree.rmdir()
        tree.parent.rmdir()
    assert prune(repo) == [kept(older, "its folder is gone and no ldifctl run is named as "
                                "its owner")]
    assert trees(repo) == [older]


def test_a_folder_that_gained_a_file_keeps_it(tmp: Path, repo: Path) -> None:
    tree = killed_run(repo)
    (tree.parent / "notes.txt").write_text("mine\n")
    assert prune(repo) == [
        f"note: removed the stale work tree {tree}; its folder holds other files: left"
    ]
    assert trees(repo) == [] and os.listdir(tree.parent) == ["notes.txt"]
