"""Files found by name in a commit (`git_trees.list_named`) are exactly what git's recursive
listing holds of them, whether the folder is listed or the files are named: links,
submodules, folders named like files, tabs in names, missing files. A real git repo."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from repo_kit import git_runs

from ldifctl.repo import git_trees, gitrepo, readers

BIG = "d/ou=Mail"  # more files wanted from it than NAMED_PER_FOLDER: the folder is listed


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[gitrepo.GitRepo, str]:
    root = tmp_path / "repo"
    big = root / BIG
    (big / "uid=folder.yaml").mkdir(parents=True)  # a folder named like an entry file
    (big / "uid=folder.yaml" / "uid=inner.yaml").write_text("inner\n")
    for i in range(git_trees.NAMED_PER_FOLDER + 4):
        (big / f"uid=u{i}.yaml").write_text(f"u{i}\n")
    (big / "uid=tab\tuid=u1.yaml").write_text("tab\n")  # ends like another file's path
    os.symlink("uid=u0.yaml", big / "uid=link.yaml")
    (big / "uid=exec.yaml").write_text("x\n")
    (big / "uid=exec.yaml").chmod(0o755)
    (root / "d" / "small.yaml").write_text("small\n")
    (root / "d" / "[glob]*.yaml").write_text("glob\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    blob = _git(root, "hash-object", "-w", str(root / "d" / "small.yaml"))
    # A submodule's entry (mode 160000) without a checkout, as a clone holds it.
    _git(root, "update-index", "--add", "--cacheinfo", f"160000,{blob},{BIG}/uid=sub.yaml")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    return gitrepo.GitRepo(str(root), str(root / ".git")), _git(root, "rev-parse", "HEAD")


def test_named_files_as_the_recursive_listing_holds_them(repo: tuple[gitrepo.GitRepo, str]) -> None:
    git, commit = repo
    many = [f"{BIG}/uid=u{i}.yaml" for i in range(git_trees.NAMED_PER_FOLDER + 4)]
    odd = ["uid=folder.yaml", "uid=tab\tuid=u1.yaml", "uid=link.yaml", "uid=exec.yaml",
           "uid=sub.yaml", "uid=missing.yaml", "uid=folder.yaml/uid=inner.yaml"]
    wanted = [*many, *(f"{BIG}/{name}" for name in odd), "d/small.yaml", "d/[glob]*.yaml",
              "d/missing.yaml", "d/ou=Mail"]
    whole = git_trees.list_tree(git, commit, "d")
    found = git_trees.list_named(git, commit, wanted)
    assert found.files == {p: b for p, b in whole.files.items() if p in wanted}
    assert found.others == {p: o for p, o in whole.others.items() if p in wanted}
    assert set(found.files) == {*many, f"{BIG}/uid=tab\tuid=u1.yaml", f"{BIG}/uid=exec.yaml",
                                f"{BIG}/uid=folder.yaml/uid=inner.yaml", "d/small.yaml",
                                "d/[glob]*.yaml"}
    assert {p: mode for p, (mode, _) in found.others.items()} == {
        f"{BIG}/uid=link.yaml": "120000", f"{BIG}/uid=sub.yaml": "160000"}


def test_a_folder_listed_holds_only_what_is_asked(repo: tuple[gitrepo.GitRepo, str]) -> None:
    git, commit = repo
    wanted = [f"{BIG}/uid=u{i}.yaml" for i in range(git_trees.NAMED_PER_FOLDER + 1)]
    found = git_trees.list_named(git, commit, wanted)
    assert sorted(found.files) == sorted(wanted) and not found.others


def test_a_folder_listed_once_answers_the_next_ask(
    repo: tuple[gitrepo.GitRepo, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One edit's run asks of the same big folder several times: git lists it once."""
    git, commit = repo
    whole = git_trees.list_tree(git, commit, "d")
    folders: git_trees.Folders = {}
    git_trees.list_named(git, commit, [f"{BIG}/uid=u{i}.yaml" for i in range(9)], folders)
    runs = git_runs(monkeypatch)
    later = [f"{BIG}/{name}" for name in ("uid=u0.yaml", "uid=link.yaml", "uid=missing.yaml",
                                          "uid=folder.yaml", "uid=sub.yaml", "uid=exec.yaml")]
    found = git_trees.list_named(git, commit, later, folders)
    assert runs == []
    assert found.files == {p: b for p, b in whole.files.items() if p in later}
    assert found.others == {p: o for p, o in whole.others.items() if p in later}
    assert set(found.files) == {f"{BIG}/uid=u0.yaml", f"{BIG}/uid=exec.yaml"}
    # Another folder, a few names: asked of git by name, the big one still not listed again.
    git_trees.list_named(git, commit, ["d/small.yaml", f"{BIG}/uid=u1.yaml"], folders)
    assert [args[:1] for args in runs] == [("ls-tree",)] and "d/small.yaml" in runs[0]


def test_a_diff_tells_the_base_what_it_holds_at_the_changed_paths(
    repo: tuple[gitrepo.GitRepo, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git diff --raw` names the old side of each changed path: a commit's reader learns
    from it and reads the change's own files from the commit without listing a folder,
    as a reader that lists them does."""
    git, commit = repo
    root = Path(git.working_tree_dir)
    big = root / BIG
    (big / "uid=u1.yaml").write_text("u1 changed\n")
    (big / "uid=u2.yaml").unlink()
    (big / "uid=new.yaml").write_text("new\n")
    _git(root, "add", f"{BIG}/uid=new.yaml")  # in the index, not in the commit
    (big / "uid=u3.yaml").unlink()
    os.symlink("uid=u0.yaml", big / "uid=u3.yaml")  # a file become a link
    (big / "uid=u4.yaml").chmod(0o755)
    (big / "uid=link.yaml").unlink()
    (big / "uid=link.yaml").write_text("a link become a file\n")
    learner = readers.GitTreeReader(git, commit, "d", "HEAD")
    changed = gitrepo.start_diff(git, commit, None, "d", learner.learn)()
    assert learner.present(set()) == []  # `d` itself asked of git once, before counting
    wanted = {f"ou=Mail/uid={n}.yaml" for n in ("u1", "u2", "new", "u3", "u4", "link", "sub")}
    assert changed == wanted  # (the submodule's folder is not there: deleted)
    runs = git_runs(monkeypatch)
    present = sorted(learner.present(wanted))
    assert runs == []
    lister = readers.GitTreeReader(git, commit, "d", "HEAD")
    assert present == sorted(p for p in wanted if p in lister.files())
    assert learner.not_regular(present) == lister.not_regular(present)
    regular = [p for p in present if p not in learner.not_regular(present)]
    assert learner.read(regular) == lister.read(regular)
    assert "ou=Mail/uid=new.yaml" not in present and "ou=Mail/uid=link.yaml" in present
