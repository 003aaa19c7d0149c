"""`import`: write `directory/` from another state (an LDIF file; later the server)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ldifctl import dn as dnmod
from ldifctl.entry_file import render_entry, rewrite_entry
from ldifctl.model import Entry, Snapshot
from ldifctl.repo_files import RepoWriter
from ldifctl.workspace import Workspace

# Secrets never enter the repo, even when the source holds them.
NEVER_WRITTEN = frozenset({"userpassword"})


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    outside_base: list[str] = field(default_factory=list)
    dropped_secrets: int = 0
    removed: list[Path] = field(default_factory=list)


def _without_secrets(entry: Entry) -> tuple[Entry, int]:
    kept = {k: v for k, v in entry.attrs.items() if k.lower() not in NEVER_WRITTEN}
    return Entry(entry.dn, kept, entry.origin), len(entry.attrs) - len(kept)


def import_snapshot(ws: Workspace, snapshot: Snapshot, prune: bool = False) -> ImportResult:
    result, bases = ImportResult(), [ws.schema.dn_key(b) for b in ws.config.base_dns]
    wanted: set[Path] = set()
    writer = RepoWriter(ws.root)  # never writes through a link the repo holds
    for original in snapshot:
        if not any(dnmod.is_within(ws.schema.dn_key(original.dn), b) for b in bases):
            result.outside_base.append(original.dn)
            continue
        entry, dropped = _without_secrets(original)
        result.dropped_secrets += dropped
        path = ws.directory / dnmod.to_relpath(entry.dn)
        wanted.add(path)
        _write(ws, writer, path, entry, result)
    if prune:
        result.removed = _prune(ws.directory, wanted)
    return result


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
