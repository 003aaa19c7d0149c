"""The entry cache's rows, and how a cold load makes them: each process its own half.

A parsed entry is stored as a row of plain values (`Packed`: its DN, attributes, lines
and DN key) under its path and content id (states.py), in two sealed files: part 0 holds
what the loading process parsed or found cached, part 1 what the second process parsed.

A cold `validate` of 100k files parses them on two cores (bulk.py). The second process
turns each entry into its row at once (its DN key worked out where its DN was just
parsed, the checks of the entry alone run there too) and stores its rows as part 1
itself; the parent reads them back from that part and only rebuilds its entries from
them: no Entry is pickled, no row is packed again to be stored, and the parent stores
only its own half. Only where they cannot be stored (no key, a read-only clone) are the
rows sent through the pipe. A warm load parses few files in one process and stores all
rows as part 0 (part 1 goes).

Each part is written ROWS_PER_FIELD rows at a time (fields.py), so that no process
holds its rows twice over, marshalled, at the end of its work; the second process parses
the files of each field as it writes it, and holds a sixth of its rows at the end. Each
process takes every other file: sorted paths come in runs of one kind, and a cut in the
middle gave one process 60k mailboxes and the other 40k smaller entries.

Entries of a kind have one layout: the same attributes in the same order on the same
lines. A row holds its entry's values alone, beside its layout (the names and the line
of each), and every row of a layout holds the same layout object: marshal writes it once
per file and reads it back as one object, and an entry rebuilt from its row shares its
map of attribute lines with every entry of the layout. At 100k entries (8 layouts) this
took the rows in memory from 199 MB to 120 MB, their file from 43 MB to 31 MB, and
reading it from 0.77 s to 0.44 s: a pair per attribute and the lines of each entry were
most of the objects a row was made of.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple
from itertools import islice
from typing import Any, TypeVar, cast

from ldifctl import bulk
from ldifctl.cache import shapes as cache_shapes
from ldifctl.cache.fields import read_fields, write_fields
from ldifctl.cache.keys import folder, stamp
from ldifctl.model.dn import DnKey
from ldifctl.model.findings import Finding
from ldifctl.model.snapshot import Entry, Origin
from ldifctl.repo import tree
from ldifctl.repo.readers import TreeReader
from ldifctl.repo.workspace import Workspace

PARTS = ("entries.marshal", "entries-1.marshal")
ROWS_PER_FIELD = 8192
# The attribute names of an entry in order, and the line of each (shared: see above).
Layout = tuple[tuple[str, ...], tuple[tuple[str, int], ...]]
# An entry as stored: DN, layout, the values of each attribute, line of `dn:`, DN key.
Packed = tuple[str, Layout, tuple[tuple[bytes, ...], ...], int | None, DnKey]
# A parsed entry as its process sends it (marshalled): its row, and what the checks found
# as tuples of a Finding's fields (None: not run).
Fresh = tuple[Packed, tuple[tuple[Any, ...], ...] | None]
# What the second process sends of one: None for a row it stored (part 1) itself.
Sent = tuple[Packed | None, tuple[tuple[Any, ...], ...] | None]
Checks = Callable[[Entry], list[Finding]]


def parse_rows(
    ws: Workspace, reader: TreeReader, paths: list[str], keys: dict[str, str], each: Checks | None
) -> tuple[dict[str, Fresh | str], set[str]]:
    """Each file's row (or its error), and the keys of the rows stored already (part 1,
    by the second process); `keys` names each path's row."""
    shape = _packer(ws, each)
    if len(paths) < bulk.MIN_SPLIT:
        return dict(tree.parse_chunk(reader, ws.schema, paths, shape)), set()
    # Every other file each: halves cut in the middle took 2.6 s against 1.7 s at 100k
    # (sorted paths come in runs of one kind). The second process also stores its rows
    # as it goes, ~12% more work than parsing them: one file in SPARED of its share is
    # parsed here, or the first waited 0.23 s for it at 100k.
    second, spared = _shares(paths[1::2])

    def second_half() -> list[tuple[str, Sent | str]]:
        sent: list[tuple[str, Sent | str]] = []  # a row stored is not sent too

        def parsed() -> Iterator[dict[str, Packed]]:
            for start in range(0, len(second), ROWS_PER_FIELD):
                some = second[start : start + ROWS_PER_FIELD]
                found = tree.parse_chunk(reader, ws.schema, some, shape)
                sent.extend((p, f if isinstance(f, str) else (None, f[1])) for p, f in found)
                yield {keys[p]: f[0] for p, f in found if not isinstance(f, str)}

        with contextlib.suppress(OSError):  # a read-only clone is still validated
            if _write_part(ws, 1, parsed()):
                return sent
        # Not stored (no key, no room): every row goes through the pipe, parsed again
        # if the writing had begun.
        return list(tree.parse_chunk(reader, ws.schema, second, shape))

    first = lambda: tree.parse_chunk(reader, ws.schema, paths[::2] + spared, shape)  # noqa: E731
    mine, theirs = bulk.side_by_side(first, second_half, size=len(paths), plain=True)
    return _completed(ws, reader, shape, keys, dict(mine), theirs)


SPARED = 16


def _shares(paths: list[str]) -> tuple[list[str], list[str]]:
    """The second process's files, and those of its share the first parses instead."""
    return (
        [p for i, p in enumerate(paths) if i % SPARED != SPARED - 1],
        paths[SPARED - 1 :: SPARED],
    )


def _completed(
    ws: Workspace,
    reader: TreeReader,
    shape: Callable[[Entry], Fresh],
    keys: dict[str, str],
    rows: dict[str, Fresh | str],
    theirs: list[tuple[str, Sent | str]],
) -> tuple[dict[str, Fresh | str], set[str]]:
    """`rows` with the second process's: those it sent, and those it stored, read back
    from part 1. Sent through the pipe, its 20 MB were held by both processes at once as
    the second ended: the peak of a cold load. A row the part lacks (another run stored
    its own part 1 meanwhile) is parsed here."""
    sent_rows = [(p, f) for p, f in theirs if isinstance(f, str) or f[0] is not None]
    rows.update(cast("list[tuple[str, Fresh | str]]", sent_rows))
    kept = [(p, f[1]) for p, f in theirs if not isinstance(f, str) and f[0] is None]
    part = read_rows(ws, (1,)) if kept else {}
    stored, lacking = set(), []
    for path, found in kept:
        row = part.get(keys[path])
        if row is None:
            lacking.append(path)
        else:
            rows[path] = (row, found)
            stored.add(keys[path])
    rows.update(tree.parse_chunk(reader, ws.schema, lacking, shape))
    return rows, stored


def _packer(ws: Workspace, each: Checks | None) -> Callable[[Entry], Fresh]:
    def packed(entry: Entry) -> Fresh:
        found = None if each is None else tuple(map(astuple, each(entry)))
        return pack(ws.schema.dn_key(entry.dn), entry), found

    return packed


def found_in(fresh: Fresh) -> list[Finding] | None:
    """What the checks found, as sent (None: they did not run)."""
    return None if fresh[1] is None else [Finding(*f) for f in fresh[1]]


def pack(dn_key: DnKey, entry: Entry) -> Packed:
    origin = entry.origin or Origin(entry.dn)
    layout = (tuple(entry.attrs), tuple(origin.attribute_lines.items()))
    shared = _SHARED.get(layout)
    if shared is None:
        shared = _SHARED[layout] = _bounded(_SHARED, layout)
    return (entry.dn, shared, tuple(entry.attrs.values()), origin.line, dn_key)


def unpack(packed: Packed, path: str, folder: str = "") -> tuple[DnKey, Entry]:
    """The entry of a row, read from `folder` + `path` (see Origin)."""
    dn, (names, lines), values, line, dn_key = packed
    attribute_lines = _LINES.get(lines)
    if attribute_lines is None:
        attribute_lines = _LINES[lines] = _bounded(_LINES, dict(lines))
    origin = Origin(path, line, attribute_lines, folder)
    return dn_key, Entry(dn, dict(zip(names, values, strict=True)), origin)


# One layout object per layout for the rows this process packs, and one map of attribute
# to line for the entries it unpacks (Origin only reads it), not one per entry.
_SHARED: dict[Layout, Layout] = {}
_LINES: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
MAX_LAYOUTS = 65536
_T = TypeVar("_T")


def _bounded(table: dict[Any, Any], new: _T) -> _T:
    """`new`, after making room for it: a hostile tree of 100k layouts is not kept."""
    if len(table) >= MAX_LAYOUTS:
        table.clear()
    return new


def read_rows(ws: Workspace, parts: Iterable[int] = (0, 1)) -> dict[str, Packed]:
    """Every row stored in these parts (a part that is not sealed or not of the shape is
    left out)."""
    rows: dict[str, Packed] = {}
    for part in parts:
        data = read_fields(folder(ws) / PARTS[part], ws.environ, stamp(ws))
        fields = data.get("entries", {})
        if type(fields) is dict and all(map(cache_shapes.packed_entries, fields.values())):
            for some in fields.values():
                rows.update(some)
    return rows


def write_rows(ws: Workspace, rows: dict[str, Packed], part: int) -> bool:
    """Store the rows as part `part` (False: nothing stored, see `write_fields`)."""
    items = iter(rows.items())
    return _write_part(ws, part, iter(lambda: dict(islice(items, ROWS_PER_FIELD)), {}))


def _write_part(ws: Workspace, part: int, rows: Iterable[dict[str, Packed]]) -> bool:
    """Store a part, a field of rows at a time as each is made (ROWS_PER_FIELD rows,
    say): marshalled whole, the rows of a process's half at 100k entries were held twice
    over beside them (22 MB more at the end of its work); and the second process parses
    each field's files as it is written, holding a sixth of its rows at the end of its
    work, when the parent holds all of its own."""
    fields = ((("entries", str(n)), chunk) for n, chunk in enumerate(rows))
    return write_fields(folder(ws) / PARTS[part], ws.environ, stamp(ws), fields)


def drop_part(ws: Workspace, part: int) -> None:
    """Drop a part whose rows the other holds now."""
    with contextlib.suppress(FileNotFoundError):
        (folder(ws) / PARTS[part]).unlink()
