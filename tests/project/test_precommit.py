"""Any directory repo can use ldifctl's hooks: `pre-commit try-repo` against a sample repo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, base_entries

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One pre-commit cache for the module: the hook environment is built once."""
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit"))}


def try_repo(
    repo: DirectoryRepo, hook: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
    )


def test_validate_hook_passes_good_data_and_fails_bad_data(
    tmp_path: Path, hook_home: dict[str, str]
) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    repo.git("add", "-A")
    good = try_repo(repo, "ldifctl-validate", hook_home)
    assert good.returncode == 0, good.stdout + good.stderr

    repo.write("ou=people,dc=example,dc=net", "dn: ou=people,dc=example,dc=net\nou: a\nou: b\n")
    repo.git("add", "-A")
    bad = try_repo(repo, "ldifctl-validate", hook_home)
    assert bad.returncode == 1
    assert (
        "error: directory/dc=net/dc=example/ou=people.yaml:3: duplicate key 'ou' "
        "(first at line 2): merge the values into one list"
    ) in bad.stdout


def test_fmt_hook_rewrites_non_canonical_files(tmp_path: Path, hook_home: dict[str, str]) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    path = repo.write(
        "ou=people,dc=example,dc=net",
        "ou: people\ndn: ou=people,dc=example,dc=net\nobjectClass: organizationalUnit\n",
    )
    repo.git("add", "-A")
    first = try_repo(repo, "ldifctl-fmt", hook_home)
    assert first.returncode == 1, first.stdout
    assert path.read_text() == (
        "dn: ou=people,dc=example,dc=net\nobjectClass: organizationalUnit\nou: people\n"
    )
    repo.git("add", "-A")
    assert try_repo(repo, "ldifctl-fmt", hook_home).returncode == 0


def test_validate_hook_says_which_file_behind_an_error_is_not_staged(
    tmp_path: Path, hook_home: dict[str, str]
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
    done = subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), "ldifctl-validate"],
        cwd=repo.root, env=hook_home, capture_output=True, text=True,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    draft = "directory/dc=net/dc=example/ou=draft.yaml"
    assert (
        f"error: {draft}:2: malformed YAML: did not find expected node content; fix the YAML "
        f"syntax\nnote: {draft} is untracked, not staged: the hook checks the files on disk, "
        "this one too, though the commit will not hold it; `git add` it, or move it out of "
        "directory/\n"
    ) in done.stdout
    assert "ou=staged.yaml is" not in done.stdout
