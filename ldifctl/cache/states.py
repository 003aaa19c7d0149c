"""Parsed entries under `.git/ldifctl/`, so that `plan` can judge the whole head state
cheaply and `validate` parses only what it has not seen.

A parsed entry is stored under (path, content id): the blob id for a git blob,
`w:<blob id of the bytes on disk>` for a working-tree file (head_tree.py), in files
stamped with the digest of ldifctl's code (its dependencies' versions too) and of
ldifctl.yaml (keys.py: the schema decides how a file parses). Entries are stored as rows
(entry_rows.py) with `marshal` (plain values only, nothing is executed on load), in
files sealed with an HMAC (files.py): only sealed bytes are ever unmarshalled, and only
entries of the expected shape are used (shapes.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ldifctl import bulk
from ldifctl.cache import entry_rows, untracked
from ldifctl.cache.entry_rows import Checks, Fresh, Packed
from ldifctl.cache.head_tree import HeadTree
from ldifctl.model import dn as dnmod
from ldifctl.model.dn import DnKey
from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Snapshot, same_entry_error
from ldifctl.repo import tree
from ldifctl.repo.readers import FolderReader, GitTreeReader, TreeReader, revision
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.load import load
from ldifctl.sources.specs import reader_for


@dataclass
class CachedState:
    """The whole head state as the policies need it (an EntrySet): entries and DN keys."""

    label: str
    schema: Schema
    keys: list[DnKey]
    entries: list[Entry]
    names: set[str]  # every attribute name the entries use
    unsaved: Callable[[], None] | None = None  # writes the entries parsed for this state
    found: list[Finding] = field(default_factory=list)  # what `each` found, every entry

    def listed(self) -> tuple[list[DnKey], list[Entry]]:
        return self.keys, self.entries

    @property
    def pairs(self) -> Iterator[tuple[DnKey, Entry]]:
        return zip(self.keys, self.entries, strict=True)

    def save(self) -> None:
        """Store the newly parsed entries (a no-op when all came from the cache, or once
        stored: the rows it holds are let go)."""
        if self.unsaved is not None:
            self.unsaved()
            self.unsaved = None


def load_state(
    ws: Workspace, state: HeadTree, each: Checks | None = None, store: bool = False
) -> CachedState:
    """The whole state: cached entries as they are, only files not cached yet parsed.
    `each` (checks of one entry alone) runs on every entry, in the process that parsed it.
    With `store`, the rows of the files parsed are stored before the entries are made of
    them (a read-only clone goes on without): the rows and their marshalled copy are no
    longer held beside 100k entries, 40 MB of a cold load's peak. Otherwise the state's
    `save` stores them when its caller chooses (beside other work, say)."""
    with bulk.paused_gc():
        loaded = _load_state(ws, state, each, store)
    # The parsed DNs of the files just parsed are not asked again once their keys are
    # made: the parse cache let go of (17 MB for the 55k that the parent parses at 100k).
    dnmod.parse.cache_clear()
    return loaded


def _load_state(ws: Workspace, state: HeadTree, each: Checks | None, store: bool) -> CachedState:
    known, ids = entry_rows.read_rows(ws), state.files()
    tree.refuse_not_regular(state, ids)  # even where an entry of the same bytes is cached
    keys = {path: f"{path}\0{content}" for path, content in ids.items()}
    missing = {path for path, key in keys.items() if key not in known}
    # Errors as tree.load reports them: every one, file by file, other files' first.
    paths, errors = tree.entry_files(state, state.present(missing)) if missing else ([], [])
    fresh, stored = entry_rows.parse_rows(ws, state, paths, keys, each)
    wanted = sorted(p for p in ids if p.endswith(".yaml"))
    rows: dict[str, Packed] = {}  # what the second process did not store
    for path in wanted:
        parsed = fresh.get(path)
        if keys[path] not in stored and not isinstance(parsed, str):
            rows[keys[path]] = parsed[0] if parsed else known[keys[path]]

    def save() -> None:
        entry_rows.write_rows(ws, rows, 0)
        if not stored:
            entry_rows.drop_part(ws, 1)

    if store and missing:
        with contextlib.suppress(OSError):  # a read-only clone is still judged
            save()
        rows.clear()
    loaded = _Loaded(each, state.where(""))
    for path in wanted:
        parsed = fresh.get(path)
        if isinstance(parsed, str):
            errors.append(parsed)
        else:
            error = loaded.add(path, parsed or (known[keys[path]], None))
            errors += [error] if error else []
    tree.raise_collected(errors)
    saving = save if missing and not store else None
    return CachedState(
        state.label, ws.schema, loaded.keys, loaded.entries, loaded.names, saving, loaded.found
    )


@dataclass
class _Loaded:
    """The state's entries gathered file by file, in path order."""

    each: Checks | None
    folder: str  # what the paths are relative to, in messages (`directory/`)
    keys: list[DnKey] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    found: list[Finding] = field(default_factory=list)
    seen: dict[DnKey, Entry] = field(default_factory=dict)

    def add(self, path: str, fresh: Fresh) -> str | None:
        """Take the entry of `path` (its row, and what `each` found); or the error of a
        second entry of one DN."""
        dn_key, entry = entry_rows.unpack(fresh[0], path, self.folder)
        other = self.seen.setdefault(dn_key, entry)
        if other is not entry:
            return str(same_entry_error(entry, other))
        self.keys.append(dn_key)
        self.entries.append(entry)
        self.names.update(entry.attrs)  # while the entry is fresh in memory
        if self.each is not None:
            found = entry_rows.found_in(fresh)
            self.found += self.each(entry) if found is None else found
        return None


def load_whole(ws: Workspace, spec: str) -> Snapshot:
    """A whole state by its name, as every command reads one: the working tree as git
    holds it, so a file git reports unchanged is read as its committed blob even where a
    checkout rewrote it (repo/checkout_rewrites.py): `apply` after a merge sends what the
    pull request's plan showed."""
    return load_snapshot(ws, spec)[0]


def load_snapshot(ws: Workspace, spec: str) -> tuple[Snapshot, Callable[[], None] | None]:
    """A state of this repo (the working tree, or a revision) through the entry cache: only
    files not cached yet are parsed. Also returns what stores those (None: nothing new)."""
    reader = reader_for(ws, spec)
    state = _as_head_tree(ws, reader)
    if state is None:
        return load(ws, spec), None
    cached = load_state(ws, state)
    return Snapshot.keyed(cached.label, ws.schema, cached.pairs, cached.names), cached.unsaved


def whole_snapshot(ws: Workspace, state: HeadTree) -> Snapshot:
    """The whole of a state the caches know (see `load_state`), as a snapshot."""
    cached = load_state(ws, state)
    return Snapshot.keyed(cached.label, ws.schema, cached.pairs, cached.names)


def head_state(ws: Workspace, spec: str) -> HeadTree | None:
    """A state of this repo as the caches know it; None for what they do not cache."""
    return _as_head_tree(ws, reader_for(ws, spec))


def _as_head_tree(ws: Workspace, reader: TreeReader | None) -> HeadTree | None:
    if isinstance(reader, GitTreeReader):
        return HeadTree(reader, reader, set())
    if not isinstance(reader, FolderReader) or reader.root.resolve() != ws.directory.resolve():
        return None  # an LDIF file, another folder: nothing to cache
    try:
        base = revision(ws, "HEAD")
    except LdifctlError:
        return None  # no commit yet, or the directory is outside git
    changed = untracked.start_changed_paths(ws, base.commit, None, base.prefix, base.learn)()
    return HeadTree(base, reader, changed)
