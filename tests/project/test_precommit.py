"""Any directory repo can use ldifctl's hooks: a repo's `.pre-commit-config.yaml` names
them by `repo:` and `rev:`, and `pre-commit run` runs them in a sample repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, base_entries

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


@dataclass(frozen=True)
class Hooks:
    config: Path  # a `.pre-commit-config.yaml` naming ldifctl's hooks
    env: dict[str, str]


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    """ldifctl's hooks from a commit of this checkout as it stands (changes not committed
    too, as `try-repo` takes them), in one pre-commit cache for the module: the hook's
    environment, ldifctl and its dependencies installed, is built once. (`try-repo` makes
    a new cache at each call: ~10 s each.)"""
    shadow = tmp_path_factory.mktemp("ldifctl-hooks")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        if os.path.lexists(ROOT / name):  # a file deleted and not yet committed is gone
            (shadow / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, shadow / name, follow_symlinks=False)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "ldifctl as tested"]):
        subprocess.run([*git, *args], cwd=shadow, check=True)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=shadow, capture_output=True,
                         text=True, check=True).stdout.strip()
    home = tmp_path_factory.mktemp("pre-commit")
    config = home / "config.yaml"
    config.write_text(
        f"repos:\n  - repo: {shadow}\n    rev: {rev}\n"
        "    hooks: [{id: ldifctl-validate}, {id: ldifctl-fmt}]\n"
    )
    return Hooks(config, {**os.environ, "PRE_COMMIT_HOME": str(home)})


def run_hook(
    repo: DirectoryRepo, hook: str, hooks: Hooks, *options: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PRE_COMMIT, "run", "--config", str(hooks.config), hook, *options],
        cwd=repo.root, env=hooks.env, capture_output=True, text=True,
    )


def test_validate_hook_passes_good_data_and_fails_bad_data(
    tmp_path: Path, hooks: Hooks
) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    repo.git("add", "-A")
    good = run_hook(repo, "ldifctl-validate", hooks, "--all-files")
    assert good.returncode == 0, good.stdout + good.stderr

    repo.write("ou=people,dc=example,dc=net", "dn: ou=people,dc=example,dc=net\nou: a\nou: b\n")
    repo.git("add", "-A")
    bad = run_hook(repo, "ldifctl-validate", hooks, "--all-files")
    assert bad.returncode == 1
    assert (
        "error: directory/dc=net/dc=example/ou=people.yaml:3: duplicate key 'ou' "
        "(first at line 2): merge the values into one list"
    ) in bad.stdout


def test_fmt_hook_rewrites_non_canonical_files(tmp_path: Path, hooks: Hooks) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    path = repo.write(
        "ou=people,dc=example,dc=net",
        "ou: people\ndn: ou=people,dc=example,dc=net\nobjectClass: organizationalUnit\n",
    )
    repo.git("add", "-A")
    first = run_hook(repo, "ldifctl-fmt", hooks, "--all-files")
    assert first.returncode == 1, first.stdout
    assert path.read_text() == (
        "dn: ou=people,dc=example,dc=net\nobjectClass: organizationalUnit\nou: people\n"
    )
    repo.git("add", "-A")
    assert run_hook(repo, "ldifctl-fmt", hooks, "--all-files").returncode == 0


def test_validate_hook_says_which_file_behind_an_error_is_not_staged(
    tmp_path: Path, hooks: Hooks
) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    repo.commit("base")
    repo.write(
        "ou=staged,dc=example,dc=net",
        "dn: ou=staged,dc=example,dc=net\nobjectClass: organizationalUnit\nou: staged\n",
    )
    repo.git("add", "-A")
    # Left over from other work: on disk, so validate reads it, but not in the commit.
    repo.write_raw("directory/dc=net/dc=example/ou=draft.yaml", b"dn: [\n")
    done = run_hook(repo, "ldifctl-validate", hooks)
    assert done.returncode == 1, done.stdout + done.stderr
    draft = "directory/dc=net/dc=example/ou=draft.yaml"
    assert (
        f"error: {draft}:2: malformed YAML: did not find expected node content; fix the YAML "
        f"syntax\nnote: {draft} is untracked, not staged: the hook checks the files on disk, "
        "this one too, though the commit will not hold it; `git add` it, or move it out of "
        "directory/\n"
    ) in done.stdout
    assert "ou=staged.yaml is" not in done.stdout
