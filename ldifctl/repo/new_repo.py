"""`ldifctl init`: the files of a new directory repo, from a deployed Postfix or a starter.

Nothing is overwritten: every file is checked first, and one that exists stops the whole
init before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import gitrepo, starters
from ldifctl.repo.files import RepoWriter
from ldifctl.repo.postfix.adopt import adopt
from ldifctl.repo.postfix.deployed import read_deployed
from ldifctl.repo.settings.fields import CONFIG_FILE


@dataclass(frozen=True)
class NewRepo:
    files: dict[str, str]  # path relative to the root -> text, in the order written
    warnings: tuple[str, ...] = ()


def new_repo(root: Path, from_postfix: Path | None, setup: str) -> NewRepo:
    """What init writes, not written yet."""
    warnings: tuple[str, ...] = ()
    if from_postfix is None:
        settings = starters.ldifctl_yaml(setup)
    else:
        adopted = adopt(read_deployed(from_postfix), from_postfix, root)
        settings, warnings = adopted.text, adopted.warnings
    files = {
        CONFIG_FILE: settings,
        "policies/mail.yaml": starters.POLICIES,
        ".pre-commit-config.yaml": starters.pre_commit_config(),
        ".gitignore": starters.GITIGNORE,
    }
    top = _work_tree(root)
    if top is not None and top != root.resolve():
        # pre-commit runs every hook at the top of the work tree, matching paths from
        # there: `^directory/` would match nothing, and the hooks would pass every commit.
        del files[".pre-commit-config.yaml"]
        warnings += (
            f"not written: .pre-commit-config.yaml: {root} is inside the git repository "
            f"{top}, and pre-commit runs hooks from its top, where these would check no "
            f"file; give the directory repo a git repository of its own, or add hooks to "
            f"{top / '.pre-commit-config.yaml'} that run `ldifctl validate` in this folder",
        )
    return NewRepo(files, warnings)


def _work_tree(root: Path) -> Path | None:
    """The top of the git work tree `root` is in (None: it is in none)."""
    try:
        return Path(gitrepo.open_repo(root).working_tree_dir).resolve()
    except LdifctlError:
        return None


def write_new_repo(root: Path, repo: NewRepo) -> None:
    """Write every file, or none when any of them (or `directory/`) is already there."""
    taken = [name for name in repo.files if os.path.lexists(root / name)]
    if taken:
        raise LdifctlError(f"{root}: {', '.join(taken)} already there: ldifctl init never "
                           "overwrites a file; run it in an empty folder or a fresh git "
                           "repository, or move them away")
    writer = RepoWriter(root)
    for name, text in repo.files.items():
        writer.write(root / name, text)


def next_commands(root: Path) -> list[str]:
    """What to run next: read the directory into files, and commit them."""
    git = "" if _work_tree(root) is not None else "git init && "  # never one inside another
    return [
        "LDIFCTL_BIND_DN=<dn> LDIFCTL_BIND_PASSWORD_FILE=<file> ldifctl import --from-server",
        f'{git}git add -A && git commit -m "The directory as ldifctl read it"',
    ]
