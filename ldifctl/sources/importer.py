"""`import`: write `directory/` from another state (an LDIF file; later the server)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ldifctl.model import dn as dnmod
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import ATTRIBUTE_NAME, Schema, is_secret
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.repo.entries.build import RawAttr, RawValue, build_entry
from ldifctl.repo.entries.render import render_entry, rewrite_entry
from ldifctl.repo.files import RepoWriter
from ldifctl.repo.workspace import Workspace


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    outside_base: list[str] = field(default_factory=list)
    dropped_secrets: int = 0
    removed: list[Path] = field(default_factory=list)


def _without_secrets(entry: Entry, schema: Schema) -> tuple[Entry, int]:
    """The entry without secrets, and 1 if it held any."""
    kept = {k: v for k, v in entry.attrs.items() if not is_secret(k, schema)}
    return Entry(entry.dn, kept, entry.origin), int(len(kept) < len(entry.attrs))


def import_snapshot(ws: Workspace, snapshot: Snapshot, prune: bool = False) -> ImportResult:
    result, bases = ImportResult(), [ws.schema.dn_key(b) for b in ws.config.base_dns]
    entries = []
    for original in snapshot:
        if not any(dnmod.is_within(ws.schema.dn_key(original.dn), b) for b in bases):
            result.outside_base.append(original.dn)
            continue
        entry, dropped = _without_secrets(original, ws.schema)
        result.dropped_secrets += dropped
        entries.append(entry)
    _refuse_unreadable(entries, ws.schema)
    wanted: set[Path] = set()
    writer = RepoWriter(ws.root)  # never writes through a link the repo holds
    for entry in entries:
        path = ws.directory / dnmod.to_relpath(entry.dn)
        wanted.add(path)
        _write(ws, writer, path, entry, result)
    if prune:
        result.removed = _prune(ws.directory, wanted)
    return result


def _refuse_unreadable(entries: list[Entry], schema: Schema) -> None:
    """Import never writes a file that reading it back refuses: every entry goes through
    the checks of an entry file first, and nothing is written unless all pass."""
    problems = [f"{e.where()}: {problem}" for e in entries if (problem := _file_problem(e, schema))]
    if problems:
        raise LdifctlError("\n".join([*problems, "nothing was written: fix the source first"]))


def _file_problem(entry: Entry, schema: Schema) -> str | None:
    """What reading the entry's file would refuse, or None."""
    if (too_long := dnmod.path_problem(entry.dn)) is not None:
        return too_long
    for name in entry.attrs:
        if not ATTRIBUTE_NAME.fullmatch(name):
            return f"{name!r} is not an LDAP attribute name: rename it"
    raw = [RawAttr("dn", 0, [RawValue(entry.dn, 0)], is_list=False)]
    raw += [RawAttr(n, 0, [RawValue(v, 0) for v in vs], True) for n, vs in entry.attrs.items()]
    try:
        build_entry(raw, "", dnmod.from_relpath(dnmod.to_relpath(entry.dn)), schema)
    except LdifctlError as err:
        # It names a file not written yet (`:0: `): the entry's source says where instead.
        return str(err).partition(": ")[2]
    return None


def _write(
    ws: Workspace, writer: RepoWriter, path: Path, entry: Entry, result: ImportResult
) -> None:
    old = writer.read(path)
    if old is not None:
        text = rewrite_entry(old, ws.display(path), entry, ws.schema)
        if text.encode("utf-8") == old:
            result.unchanged += 1
            return
    else:
        text = render_entry(entry, ws.schema)
    writer.write(path, text)
    result.written.append(path)


def _prune(directory: Path, wanted: set[Path]) -> list[Path]:
    removed = sorted(p for p in directory.rglob("*.yaml") if p not in wanted)
    for path in removed:
        path.unlink()
    return removed
