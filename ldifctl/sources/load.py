"""Loading a state by its name (sources/specs.py): a tree's entry files, an LDIF file,
or the server, each as one Snapshot."""

from __future__ import annotations

from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.model.snapshot import Snapshot
from ldifctl.repo import tree
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.specs import SERVER, reader_for


def load(ws: Workspace, spec: str) -> Snapshot:
    if spec == SERVER:
        from ldifctl.sources.server import read_server  # python-ldap's client: only now

        return read_server(ws)
    reader = reader_for(ws, spec)
    if reader is None:
        return load_ldif_file(ws, Path(spec))
    return tree.load(reader, ws.schema)


def load_ldif_file(ws: Workspace, path: Path) -> Snapshot:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise LdifctlError(f"{path}: cannot read ({err.strerror}): check the path") from None
    from ldifctl.sources.ldif_reader import load_ldif

    return load_ldif(data, str(path), ws.schema)
