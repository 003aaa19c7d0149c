"""The caches are keyed by ldifctl's code and by its dependencies' versions: any change
to either is a new key."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from repo_kit import DirectoryRepo, committed_repo

from ldifctl.cache import dependencies, entry_rows
from ldifctl.cache import states as state_cache
from ldifctl.cache.dependencies import DEPENDENCIES, installed, versions
from ldifctl.cache.keys import code_digest, source_digest
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.specs import WORKTREE

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture(autouse=True)
def fresh_digest() -> Iterator[None]:
    """Each test asks the digest anew, and leaves none of its own to the next."""
    code_digest.cache_clear()
    yield
    code_digest.cache_clear()


def _package(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "b.py").write_text("y = 2\n")
    for path in (root / "a.py", root / "sub" / "b.py"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # as a reproducible build's
    return root


def test_the_same_code_has_the_same_digest(tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "c.py").write_text("bytecode's folder, not code")
    (root / "notes.txt").write_text("not a module")
    again = _package(tmp_path / "again")
    assert source_digest(str(root), "1.0") == source_digest(str(again), "1.0")


def test_every_change_to_the_code_changes_the_digest(tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg")
    before = source_digest(str(root), "1.0")
    seen = {before, source_digest(str(root), "1.1")}  # a release, with all else equal
    (root / "a.py").write_text("x = 2\n")  # an edit of the same size: its time changes
    seen.add(source_digest(str(root), "1.0"))
    (root / "a.py").write_text("x = 22\n")
    os.utime(root / "a.py", ns=(1_000_000_000, 1_000_000_000))  # a size alone changes
    seen.add(source_digest(str(root), "1.0"))
    (root / "sub" / "b.py").rename(root / "sub" / "c.py")  # a module renamed
    seen.add(source_digest(str(root), "1.0"))
    (root / "d.py").write_text("")  # a module added
    seen.add(source_digest(str(root), "1.0"))
    assert len(seen) == 6


def test_ldifctl_is_keyed_by_its_own_modules_and_its_dependencies() -> None:
    import ldifctl

    code = source_digest(os.path.dirname(ldifctl.__file__), ldifctl.__version__)
    assert code_digest() == hashlib.sha256(f"{code}\0{versions()}".encode()).hexdigest()


# --- The dependencies.


def _normalised(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name is not None
    return re.sub(r"[-_.]+", "_", name[0]).lower()


def test_the_dependencies_are_pyprojects() -> None:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    assert sorted(DEPENDENCIES) == sorted(map(_normalised, project["dependencies"]))


def test_each_is_found_as_importlib_metadata_finds_it() -> None:
    """The plain reference: the version in each folder's name is the one importlib.metadata
    gives (which costs 30 times as much)."""
    found = installed(sys.path)
    folders = {name: os.path.basename(found[name]) for name in DEPENDENCIES}
    named = {name: f.removesuffix(".dist-info").split("-")[1] for name, f in folders.items()}
    assert named == {name: importlib.metadata.version(name) for name in DEPENDENCIES}


def _site(root: Path, *metadata: str) -> str:
    for name in metadata:
        (root / name).mkdir(parents=True)
        os.utime(root / name, ns=(1_000_000_000, 1_000_000_000))
    return str(root)


def test_every_change_to_a_dependency_changes_the_versions(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "pyyaml-6.0.4.dist-info", "typer-0.28.0.dist-info")
    before = versions([site])
    seen = {before}
    os.rename(f"{site}/pyyaml-6.0.4.dist-info", f"{site}/pyyaml-6.0.5.dist-info")  # upgraded
    seen.add(versions([site]))
    os.utime(f"{site}/pyyaml-6.0.5.dist-info", ns=(2_000_000_000, 2_000_000_000))  # rebuilt
    seen.add(versions([site]))
    os.rmdir(f"{site}/typer-0.28.0.dist-info")  # uninstalled
    seen.add(versions([site]))
    assert len(seen) == 4
    again = _site(tmp_path / "again", "pyyaml-6.0.4.dist-info", "typer-0.28.0.dist-info")
    assert versions([again]) == before  # where it lies does not count, only what it is


def test_the_first_on_the_path_counts_as_for_the_imports(tmp_path: Path) -> None:
    first = _site(tmp_path / "first", "PyYAML-6.0.dist-info", "pytest-9.2.0.dist-info")
    second = _site(tmp_path / "second", "pyyaml-6.0.4.dist-info", "python_ldap-3.4.0.egg-info")
    found = installed([str(tmp_path / "missing"), first, second])
    assert found == {"pyyaml": f"{first}/PyYAML-6.0.dist-info",
                     "python_ldap": f"{second}/python_ldap-3.4.0.egg-info"}


def test_a_folder_in_the_repository_root_is_never_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m ldifctl` puts the current directory first on the path: a pull request's
    `PyYAML-1.0.dist-info/` there would stand in for the PyYAML installed."""
    repo = _site(tmp_path / "repo", "PyYAML-1.0.dist-info")
    site = _site(tmp_path / "site", "pyyaml-6.0.4.dist-info")
    monkeypatch.chdir(repo)
    expected = {"pyyaml": f"{site}/pyyaml-6.0.4.dist-info"}
    assert installed(["", repo, site]) == expected
    assert installed([".", site]) == expected


def test_libyamls_version_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML built from source links the system's libyaml, which can change alone."""
    from yaml import _yaml

    assert yaml.__with_libyaml__  # ldifctl reads every entry file with the C loader
    before = code_digest()
    monkeypatch.setattr(_yaml, "get_version_string", lambda: "0.2.99")
    code_digest.cache_clear()
    assert code_digest() != before


def test_a_dependency_upgraded_leaves_the_old_cache_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entries parsed under the old PyYAML are parsed again under the new one, as the
    imports would see it: its metadata first on sys.path."""
    repo: DirectoryRepo = committed_repo(tmp_path / "repo")
    ws = open_workspace(repo.root)
    parsed: list[str] = []
    parse_rows = entry_rows.parse_rows

    def noting(ws: Any, state: Any, paths: list[str], *rest: Any) -> Any:
        parsed.extend(paths)
        return parse_rows(ws, state, paths, *rest)

    def load() -> list[str]:
        parsed.clear()
        state = state_cache.head_state(ws, WORKTREE)
        assert state is not None
        state_cache.load_state(ws, state, store=True)
        return sorted(parsed)

    monkeypatch.setattr(entry_rows, "parse_rows", noting)
    every_file = load()
    assert every_file and load() == []  # kept: nothing parsed again
    newer = _site(tmp_path / "site", "pyyaml-99.0.dist-info")
    monkeypatch.syspath_prepend(newer)
    code_digest.cache_clear()  # a new process
    assert "pyyaml-99.0.dist-info" in dependencies.versions()
    assert load() == every_file
