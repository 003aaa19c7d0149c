"""`drift --write` never overwrites nor removes an entry file that holds edits no commit
has, unless `--force`: git keeps no copy of them, so they would be lost for good.

Only the files it would write or remove count: an uncommitted edit elsewhere (a comment, an
entry the server agrees with) is not its business. The files are those `git status` names,
as apply's warning finds them (repo/uncommitted.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo.uncommitted import SHOWN, uncommitted
from ldifctl.repo.workspace import Workspace


def refuse_overwrite(ws: Workspace, paths: Iterable[Path], force: bool) -> None:
    """Refuse, naming them, if any of `paths` (to be written or removed) holds edits no
    commit has."""
    if force:
        return  # nor ask git: --force overwrites whatever the files hold
    touched = {ws.display(path) for path in paths}
    files = [file for file in uncommitted(ws) if file.path in touched]
    if not files:
        return
    named = [f"{file.path} ({file.state})" for file in files[:SHOWN]]
    more = [f"and {len(files) - SHOWN} more"] if len(files) > SHOWN else []
    advice = ("nothing was written: commit these files, or stash them (git stash), then run "
              "drift --write again; or rerun with --force to overwrite them")
    raise LdifctlError("\n".join([
        "drift --write would overwrite edits that no commit holds:", *named, *more, advice,
    ]))
