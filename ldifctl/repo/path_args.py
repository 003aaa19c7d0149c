"""Files named on the command line (`fmt FILES`, `validate FILES`): each one is checked, and
one that names nothing ldifctl reads is an error, never skipped in silence."""

from __future__ import annotations

import os
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import files as repo_files
from ldifctl.repo.entry_names import hidden
from ldifctl.repo.workspace import CONFIG_NAME, Workspace


def entry_files(ws: Workspace, given: list[Path]) -> list[Path]:
    """Entry files of `directory/`, for `fmt`."""
    folder = ws.display(ws.directory)
    return _checked(given, [ws.directory], f"fmt rewrites the entry files in {folder}/")


def checked_files(ws: Workspace, given: list[Path]) -> list[Path]:
    """Files `validate` checks: entry files, policy files, ldifctl.yaml."""
    what = (
        f"validate checks the entry files in {ws.display(ws.directory)}/, the policy files "
        f"in {ws.display(ws.config.policies_path)}/ and {CONFIG_NAME}"
    )
    config = (ws.root / CONFIG_NAME).resolve()
    return _checked(given, [ws.directory, ws.config.policies_path], what, config)


def _checked(
    given: list[Path], folders: list[Path], what: str, also: Path | None = None
) -> list[Path]:
    problems = [f"{path}: {why}" for path in given if (why := _problem(path, folders, what, also))]
    if problems:
        raise LdifctlError("\n".join(problems))
    return given


def _problem(path: Path, folders: list[Path], what: str, also: Path | None) -> str | None:
    if (kind := repo_files.disk_kind(str(path))) is not None:
        return repo_files.refused_because(kind)  # never resolved, let alone followed
    if not path.exists():
        return "no such file: check the path"
    if path.is_dir():
        return "a folder, not a file: name files, or none for all of them"
    real = path.resolve()
    if real != Path(os.path.abspath(path)):
        return None  # a link on the way: refused where it is read, naming the link
    if real == also:
        return None
    inside = [real.relative_to(f) for f in map(Path.resolve, folders) if real.is_relative_to(f)]
    if not inside:
        return f"outside the files ldifctl reads: {what}"
    if hidden(inside[0].as_posix()):
        return "a dot file or an editor's leftover, which ldifctl ignores: name the file itself"
    if path.suffix != ".yaml":
        return "does not end in .yaml: ldifctl reads no other files here"
    return None
