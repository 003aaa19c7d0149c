"""Any directory repo can use ldifctl's hooks: `pre-commit try-repo` against a sample repo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, base_entries

ROOT = Path(__file__).resolve().parent.parent
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
