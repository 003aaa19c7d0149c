"""ldifctl as a user installs it: the built wheel into a brand-new venv (no system site
packages, so a dependency the wheel does not declare is missing there too), then the
installed `ldifctl` runs on a copy of the worked example."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ldifctl import __version__

ROOT = Path(__file__).resolve().parents[2]


def check_dist() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_dist", ROOT / "scripts/check_dist.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel and sdist `python -m build` makes of this tree, once per session."""
    dist = check_dist()
    wheel, sdist = dist.build(tmp_path_factory.mktemp("dist"))
    assert dist.problems(wheel, sdist) == []
    return wheel, sdist


def test_a_wheel_without_a_schema_file_or_the_script_is_found_out(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    wheel, sdist = built
    broken = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as whole, zipfile.ZipFile(broken, "w") as part:
        for item in whole.infolist():
            if not item.filename.endswith(("postfix-book.ldif", "entry_points.txt")):
                part.writestr(item, whole.read(item))
    assert check_dist().problems(broken, sdist) == [
        f"{wheel.name} lacks ldifctl/schema_files/postfix-book.ldif",
        f"{wheel.name} has no `ldifctl` console script",
    ]


@pytest.fixture(scope="session")
def installed(
    built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The `ldifctl` of a fresh venv that holds the built wheel."""
    wheel, _ = built
    venv = tmp_path_factory.mktemp("install") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet",
                           str(wheel)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    yield venv / "bin" / "ldifctl"


def test_the_installed_wheel_says_its_version(installed: Path) -> None:
    done = subprocess.run([str(installed), "--version"], capture_output=True, text=True,
                          check=True)
    assert done.stdout == f"ldifctl {__version__}\n"


def test_the_installed_wheel_validates_the_example(installed: Path, tmp_path: Path) -> None:
    for name in ("directory", "policies"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "ldifctl.yaml", tmp_path)
    done = subprocess.run([str(installed), "validate"], cwd=tmp_path, capture_output=True,
                          text=True, check=False)
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    assert re.fullmatch(r"\d+ entries in directory: valid\n", done.stderr), done.stderr


def test_the_version_lives_in_one_place() -> None:
    """pyproject.toml reads it from ldifctl/__init__.py; the changelog has that release."""
    text = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in text
    assert 'version = {attr = "ldifctl.__version__"}' in text
    assert f"\n## {__version__} — " in (ROOT / "CHANGELOG.md").read_text()
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert f"rev: v{__version__}" in hooks
