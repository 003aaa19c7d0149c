"""Loading a state by its name (sources/specs.py): a tree's entry files, an LDIF file,
or the server, each as one Snapshot."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ldifctl.model.errors import LdifctlError
from ldifctl.model.snapshot import Snapshot
from ldifctl.repo import files as repo_files
from ldifctl.repo import tree
from ldifctl.repo.checkout_rewrites import refuse_rewritten
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.specs import LDIF_FILE, SERVER, reader_for

if TYPE_CHECKING:
    from ldifctl.model.dn import DnKey
    from ldifctl.model.findings import Finding
    from ldifctl.model.snapshot import Entry
    from ldifctl.sources.ldif_reader import Changed


def load(ws: Workspace, spec: str) -> Snapshot:
    if spec == SERVER:
        from ldifctl.sources.server import read_server  # python-ldap's client: only now

        return read_server(ws)
    reader = reader_for(ws, spec)
    if reader is None:
        return load_ldif_file(ws, Path(spec))
    return tree.load(reader, ws.schema)


def load_ldif_file(ws: Workspace, path: Path) -> Snapshot:
    from ldifctl.sources.ldif_reader import load_ldif

    return load_ldif(_read(ws, path), str(path), ws.schema)


def load_changed(
    ws: Workspace,
    old: str,
    new: str,
    check: Callable[[DnKey, Entry], list[Finding]] | None = None,
) -> Changed | None:
    """Two LDIF files, as the diff between them needs them (sources/ldif_reader.py); None
    when either is not an LDIF file. `check` runs on each new entry as it is read."""
    if SERVER in (old, new) or reader_for(ws, old) or reader_for(ws, new):
        return None
    from ldifctl.sources import ldif_reader

    old_path, new_path = Path(old), Path(new)
    return ldif_reader.load_changed(
        (lambda: _read(ws, old_path), str(old_path)),
        (lambda: _read(ws, new_path), str(new_path)),
        ws.schema,
        check,
    )


def _read(ws: Workspace, path: Path) -> bytes:
    """An LDIF file's bytes. One in the repository may come from a pull request: it is
    read as the repository's own files are, never through a link (one to
    /proc/self/environ would have its text quoted in the errors: repo/files.py `inside`)."""
    try:
        inside = repo_files.inside(ws.root, path, LDIF_FILE)
        if inside is None:
            return path.read_bytes()
        # Inside the repo, the dump a pull request committed is what is read, or nothing.
        relative = Path(os.path.abspath(inside)).relative_to(ws.root).as_posix()
        refuse_rewritten(ws.root, [relative], lambda _: str(path), "LDIF file")
        return repo_files.read_regular(str(inside), str(path), LDIF_FILE, limit=None)
    except OSError as err:
        raise LdifctlError(f"{path}: cannot read ({err.strerror}): check the path") from None
