"""A directory repo on disk: its settings, its schema, its git repository and its sources."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Schema
from ldifctl.repo import gitrepo
from ldifctl.repo.settings import secrets
from ldifctl.repo.settings.config import Config, load_config

CONFIG_NAME = "ldifctl.yaml"


@dataclass
class Workspace:
    root: Path
    config: Config
    schema: Schema
    environ: Mapping[str, str] = field(default_factory=dict)
    _repo: gitrepo.GitRepo | None = None

    @property
    def repo(self) -> gitrepo.GitRepo:
        if self._repo is None:
            self._repo = gitrepo.open_repo(self.root)
        return self._repo

    @property
    def directory(self) -> Path:
        return self.config.directory_path

    def display(self, path: Path) -> str:
        """A path as the user sees it: relative to the repo root when inside it."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)

    def git_prefix(self, path: Path) -> str:
        """`path` relative to the git work tree, as git names it. Below the repo root no
        link is followed: git names the link itself, which readers then refuse."""
        top = Path(str(self.repo.working_tree_dir)).resolve()
        inside = path.relative_to(self.root) if path.is_relative_to(self.root) else None
        try:
            if inside is not None:
                return (self.root.resolve().relative_to(top) / inside).as_posix()
            return path.resolve().relative_to(top).as_posix()
        except ValueError:
            raise LdifctlError(f"{path} is outside the git repository at {top}") from None


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds ldifctl.yaml."""
    for folder in (start, *start.parents):
        if holds_settings(folder):
            return folder
    raise LdifctlError(
        f"{start}: no {CONFIG_NAME} here or in any parent folder: run ldifctl from the "
        f"directory repo, or create {CONFIG_NAME} (see README)"
    )


def holds_settings(folder: Path) -> bool:
    """Is there an ldifctl.yaml in `folder` that is no folder? Told by `lstat`: a link
    there (a pull request's, to a file of the runner or to nothing) makes this the repo,
    and reading it refuses it in the same words whatever it points to."""
    try:
        return not stat.S_ISDIR(os.lstat(folder / CONFIG_NAME).st_mode)
    except OSError:
        return False


def open_workspace(
    start: Path | None = None, environ: Mapping[str, str] | None = None
) -> Workspace:
    env = dict(secrets.environment() if environ is None else environ)
    root = find_root((start or Path.cwd()).resolve())
    config = load_config(root, env)
    return Workspace(root, config, config.schema(), env)
