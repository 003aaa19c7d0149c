"""pyproject.toml as setuptools reads it when `scripts/setup.sh` installs the project."""

from __future__ import annotations

import warnings
from pathlib import Path

from setuptools.config.pyprojecttoml import apply_configuration
from setuptools.dist import Distribution

ROOT = Path(__file__).resolve().parents[2]


def test_the_project_metadata_is_read_without_deprecation_warnings() -> None:
    """setup.sh printed three blocks of "`project.license` as a TOML table is deprecated"."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dist = apply_configuration(Distribution(), str(ROOT / "pyproject.toml"))
    assert dist.metadata.license_expression == "MIT"
    assert dist.metadata.license_files == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
