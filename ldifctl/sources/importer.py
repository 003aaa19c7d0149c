"""`import`: write `directory/` from another state (an LDIF file, or the server).

Nothing is written until every entry has passed the checks of an entry file and every
file's place has been looked at (its folders checked or made, a link there refused), so
a refused import leaves no file behind. Then two processes (bulk.split_map) each work out
and write the files of half the entries: the folders exist by then, so neither makes
one, and a child that fails has its half written again by the parent. At 100k entries
the checks and the texts took 10 of the 21 s an import took in one process, writing the
files 5; on two cores it takes about two thirds of the time, for the pages of the entries
that the forked child touches and so copies (~190 MB more at the peak).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ldifctl import bulk
from ldifctl.model import dn as dnmod
from ldifctl.model import entry_paths
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import ATTRIBUTE_NAME, Schema, is_secret
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.repo.entries.build import RawAttr, RawValue, build_entry
from ldifctl.repo.entries.render import render_entry, rewrite_entry, size_problem
from ldifctl.repo.files import RepoWriter
from ldifctl.repo.workspace import Workspace
from ldifctl.sources import secret_names, site_types


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    outside_base: list[str] = field(default_factory=list)
    secret_named: list[str] = field(default_factory=list)  # masked DNs, skipped
    dropped_secrets: int = 0
    removed: list[Path] = field(default_factory=list)
    unknown_types: list[site_types.UnknownType] = field(default_factory=list)


def _without_secrets(entry: Entry, schema: Schema) -> tuple[Entry, int]:
    """The entry without secrets, and 1 if it held any."""
    kept = {k: v for k, v in entry.attrs.items() if not is_secret(k, schema)}
    return Entry(entry.dn, kept, entry.origin), int(len(kept) < len(entry.attrs))


def import_snapshot(ws: Workspace, snapshot: Snapshot, prune: bool = False) -> ImportResult:
    result, bases = ImportResult(), [ws.schema.dn_key(b) for b in ws.config.base_dns]
    entries, named_by_secret = [], secret_names.finder(ws.schema)
    filled: set[int] = set()  # the bases some entry is below
    for original in snapshot:
        key = ws.schema.dn_key(original.dn)
        if named_by_secret(original.dn, key):
            result.secret_named.append(secret_names.masked(original.dn, ws.schema))
            continue
        within = [i for i, b in enumerate(bases) if dnmod.is_within(key, b)]
        if not within:
            result.outside_base.append(original.dn)
            continue
        filled.update(within)
        entry, dropped = _without_secrets(original, ws.schema)
        result.dropped_secrets += dropped
        entries.append(entry)
    if not entries:
        raise _nothing_below(ws, snapshot)
    if prune:
        _refuse_emptied_bases(ws, snapshot, filled)
    relpaths = _refuse_unreadable(entries, ws.schema)
    writer = RepoWriter(ws.root)  # never writes through a link the repo holds
    paths = list(map(ws.directory.joinpath, relpaths))
    # Every place is looked at before any write, and nothing made until all is checked.
    olds = [writer.read(path, make=False) for path in paths]
    _refuse_too_big(ws, entries, paths, olds)
    for path in paths:
        writer.prepare(path)
    work = list(zip(paths, entries, olds, strict=True))
    wrote = bulk.split_map(lambda chunk: [_write(ws, writer, *each) for each in chunk], work)
    result.written = [path for path, written in zip(paths, wrote, strict=True) if written]
    result.unchanged = len(paths) - len(result.written)
    if prune:
        result.removed = _prune(ws.directory, set(paths))
    result.unknown_types = site_types.sweep(entries, ws.schema)
    return result


def _nothing_below(ws: Workspace, snapshot: Snapshot) -> LdifctlError:
    """A dump with no entry to import is refused, as an empty server read is: `ldapsearch`
    prints nothing (and exits 10 or 32, easily missed in a pipe) for a base held by
    another server or missing, and imported with --prune such a file would remove every
    entry file."""
    bases = ", ".join(ws.config.base_dns)
    return LdifctlError(
        f"{snapshot.label} holds no entry below {bases} ({len(snapshot)} outside it or "
        "named by a secret): nothing imported; check that the dump is whole (ldapsearch "
        "prints nothing for a base that is missing or referred to another server) and base_dn"
    )


def _refuse_emptied_bases(ws: Workspace, snapshot: Snapshot, filled: set[int]) -> None:
    """--prune never empties a base the source holds nothing of while the repo holds its
    files: one `ldapsearch -b` per base, one of them referred elsewhere, gives such a dump
    (that base's output is empty), and the files are the only copy in the repo."""
    for i, base in enumerate(ws.config.base_dns):
        place = ws.directory / entry_paths.to_relpath(base)
        if i not in filled and (place.exists() or place.with_suffix("").is_dir()):
            raise LdifctlError(
                f"{snapshot.label} holds no entry below {base}, and {ws.display(place)} "
                "is there: --prune would remove every file below it; nothing imported; "
                "check that the dump is whole (ldapsearch prints nothing for a base that is "
                "missing or referred to another server), or remove those files yourself"
            )


def _refuse_unreadable(entries: list[Entry], schema: Schema) -> list[str]:
    """Import never writes a file that reading it back refuses: every entry goes through
    the checks of an entry file first, and nothing is written unless all pass. Returns
    the path of each entry's file (below `directory/`), worked out by the checks on two
    cores: made again here, they took 0.5 s of one core at 100k entries."""
    found = bulk.split_map(lambda chunk: [_file_problem(e, schema) for e in chunk], entries)
    _refuse(entries, [problem for problem, _ in found])
    return [relpath for _, relpath in found]


def _file_problem(entry: Entry, schema: Schema) -> tuple[str | None, str]:
    """What reading the entry's file would refuse (None: nothing), and the file's path."""
    if (too_long := entry_paths.path_problem(entry.dn)) is not None:
        return too_long, ""
    for name in entry.attrs:
        if not ATTRIBUTE_NAME.fullmatch(name):
            return f"{name!r} is not an LDAP attribute name: rename it", ""
    raw = [RawAttr("dn", 0, [RawValue(entry.dn, 0)], is_list=False)]
    raw += [RawAttr(n, 0, [RawValue(v, 0) for v in vs], True) for n, vs in entry.attrs.items()]
    relpath = entry_paths.to_relpath(entry.dn)
    try:
        build_entry(raw, "", entry_paths.from_relpath(relpath), schema)
    except LdifctlError as err:
        # It names a file not written yet (`:0: `): the entry's source says where instead.
        return str(err).partition(": ")[2], relpath
    return None, relpath


def _refuse_too_big(
    ws: Workspace, entries: list[Entry], paths: list[Path], olds: list[bytes | None]
) -> None:
    """No file is written that is too big to read back, counting the comments a rewrite
    keeps of the file it replaces. Mostly a sum of lengths (0.14 s at 100k entries):
    not worth a fork. Each file is named by its path below the root as it stands
    (`ws.display` resolves it: eight `stat` calls a file)."""
    work = zip(entries, paths, olds, strict=True)
    root = ws.root
    _refuse(entries, [
        size_problem(e, ws.schema, old, p.relative_to(root).as_posix()) for e, p, old in work
    ])


def _refuse(entries: list[Entry], found: list[str | None]) -> None:
    problems = [f"{e.where()}: {p}" for e, p in zip(entries, found, strict=True) if p]
    if problems:
        raise LdifctlError("\n".join([*problems, "nothing was written: fix the source first"]))


def _write(ws: Workspace, writer: RepoWriter, path: Path, entry: Entry, old: bytes | None) -> bool:
    """Write the entry's file (an existing one keeps its comments and order); False when
    it already says just that. Its folders were made beforehand (RepoWriter.prepare):
    two processes writing files side by side never make a folder."""
    if old is None:
        text = render_entry(entry, ws.schema)
    else:
        text = rewrite_entry(old, ws.display(path), entry, ws.schema)
        if text.encode("utf-8") == old:
            return False
    writer.write(path, text)
    return True


def _prune(directory: Path, wanted: set[Path]) -> list[Path]:
    removed = sorted(p for p in directory.rglob("*.yaml") if p not in wanted)
    for path in removed:
        path.unlink()
    return removed
