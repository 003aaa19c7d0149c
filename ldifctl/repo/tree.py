"""The entry files of one tree parsed into a snapshot: which files are entries, every
broken one reported at once, the parsing shared by two cores for a big tree."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from ldifctl import bulk
from ldifctl.model import dn as dnmod
from ldifctl.model import entry_paths
from ldifctl.model.errors import LdifctlError, printable
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Origin, Snapshot
from ldifctl.repo import files as repo_files
from ldifctl.repo.entry_names import hidden
from ldifctl.repo.readers import TreeReader

R = TypeVar("R")

# Past this many broken files the rest of the list is noise.
MAX_REPORTED_ERRORS = 20


def entry_files(reader: TreeReader, found: Iterable[str]) -> tuple[list[str], list[str]]:
    """The entry files among `found`, sorted, and an error for each other file that is no
    dot file or editor leftover (a `.yml` typo would otherwise be ignored). A link or a
    submodule among them is refused at once (what it points to is never read)."""
    paths = sorted(p for p in found if not hidden(p))
    refuse_unnamable(reader, paths)
    refuse_not_regular(reader, paths)
    stray = [
        f"{reader.where(p)}: not an entry file: entry files end in .yaml (rename it, or "
        "move it out of the directory)"
        for p in paths
        if not p.endswith(".yaml")
    ]
    return [p for p in paths if p.endswith(".yaml")], stray


def refuse_unnamable(reader: TreeReader, paths: list[str]) -> None:
    """An error naming every path that is not UTF-8 (its bytes held as surrogates, as
    the disk and git give them): it cannot name a DN; and every one that holds a control
    character, which ldifctl writes `%0A` in a file name (model/dn.py), so that no line
    break of a pull request's file name reaches a message. Each is shown escaped
    (`caf\\xe9`, `\\n`)."""
    undecodable = [p for p in paths if not p.isascii() and not repo_files.is_utf8(p)]
    # One pass in C over all the names, a third of the regular expression's time.
    controls = [] if "".join(paths).isprintable() else [p for p in paths if _CONTROL.search(p)]
    raise_collected([
        *(f"{printable(reader.where(p))}: the name is not UTF-8: rename it in "
          "UTF-8 (each folder and file name is an RDN of the entry's DN, and DNs are UTF-8)"
          for p in undecodable),
        *(f"{printable(reader.where(p))}: the name holds a control character "
          "(shown escaped): rename it, writing each as ldifctl does, `%` and its hex code "
          "(a line break `%0A`)"
          for p in controls if p not in undecodable),
    ])


# What model/dn.py escapes in a file name and never writes as it is.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def refuse_not_regular(reader: TreeReader, paths: Iterable[str]) -> None:
    """An error naming every link or submodule among `paths` (what it points to is never
    read, let alone shown)."""
    odd = reader.not_regular(paths)
    refusals = [str(repo_files.refusal(reader.where(p), odd[p])) for p in sorted(odd)]
    raise_collected(refusals, repo_files.NotRegularError)


def load(reader: TreeReader, schema: Schema, only: set[str] | None = None) -> Snapshot:
    """Parse every entry file (or just `only`) into a snapshot; report every broken file."""
    paths, stray = entry_files(reader, reader.files() if only is None else reader.present(only))
    return load_files(reader, schema, paths, stray)


def load_files(
    reader: TreeReader, schema: Schema, paths: list[str], stray: Iterable[str] = ()
) -> Snapshot:
    """Parse these entry files, known to be there (`load` finds out which are); `stray`
    are errors about other files, reported with the parse errors."""
    snapshot, errors = Snapshot(reader.label, schema), list(stray)
    with bulk.paused_gc():
        for _, parsed in parse_files(reader, schema, paths):
            if isinstance(parsed, str):
                errors.append(parsed)
                continue
            try:
                snapshot.add(parsed)
            except LdifctlError as err:
                errors.append(str(err))
    raise_collected(errors)
    return snapshot


def parse_files(
    reader: TreeReader, schema: Schema, paths: list[str]
) -> list[tuple[str, Entry | str]]:
    """Each file with its entry, or its error message (in the order the reader reads).

    A big tree is parsed on two cores: a forked child parses the second half and sends
    it ROWS_PER_PART files at a time, each entry as a plain row (`_row`), marshalled as
    it is made (bulk.side_by_side_parts). Its half sent whole, as pickled entries, was
    held twice over by the child as it ended: `export` of 100k entries peaked there, at
    305 MB over both processes."""
    if len(paths) < bulk.MIN_SPLIT:  # one process: no rows made
        return parse_chunk(reader, schema, paths, _as_parsed)
    half = len(paths) // 2

    def there() -> Iterator[list[tuple[str, _Row | str]]]:
        for start in range(half, len(paths), ROWS_PER_PART):
            yield parse_chunk(reader, schema, paths[start : start + ROWS_PER_PART], _row)

    first = lambda: parse_chunk(reader, schema, paths[:half], _as_parsed)  # noqa: E731
    mine, theirs = bulk.side_by_side_parts(first, there, size=len(paths))
    return mine + [
        (path, _entry(found) if isinstance(found, tuple) else found)
        for part in theirs
        for path, found in part
    ]


def parse_chunk(
    reader: TreeReader, schema: Schema, paths: Sequence[str], shape: Callable[[Entry], R]
) -> list[tuple[str, R | str]]:
    """Each file with `shape(its entry)`, or its error message: `shape` runs in the
    process that parsed the entry, so only what it returns need go to another."""
    from ldifctl.repo.entries.read import parse_entry

    out: list[tuple[str, R | str]] = []
    # Each process reads its own files, READ_AT_ONCE at a time: read whole, the 50k files
    # of a process's half were held (~15 MB) until its last one was parsed, as the other
    # process held its own (a git reader starts a `cat-file` per read).
    for start in range(0, len(paths), READ_AT_ONCE):
        for path, data in reader.read(list(paths[start : start + READ_AT_ONCE])).items():
            try:
                expected = _expected_dn(reader, path)
                entry = parse_entry(data, reader.where(path), expected, schema).entry
                out.append((path, shape(entry)))
            except LdifctlError as err:
                out.append((path, str(err)))
    return out


READ_AT_ONCE = 8192
ROWS_PER_PART = 4096  # files the second process parses into one part it sends

# An entry as the second process sends it: DN, attributes, and its Origin's fields (a
# path of None: it had none).
_Row = tuple[str, dict[str, tuple[bytes, ...]], "str | None", "int | None", dict[str, int], str]


def _as_parsed(entry: Entry) -> Entry:
    return entry


def _row(entry: Entry) -> _Row:
    origin = entry.origin
    if origin is None:
        return entry.dn, dict(entry.attrs), None, None, {}, ""
    lines = dict(origin.attribute_lines)
    return entry.dn, dict(entry.attrs), origin.path, origin.line, lines, origin.folder


def _entry(row: _Row) -> Entry:
    dn, attrs, path, line, lines, folder = row
    return Entry(dn, attrs, None if path is None else Origin(path, line, lines, folder))


def _expected_dn(reader: TreeReader, path: str) -> str:
    try:
        return entry_paths.from_relpath(path)
    except entry_paths.NameTooLong as err:
        raise LdifctlError(f"{reader.where(path)}: {err}") from None
    except dnmod.DnError as err:
        raise LdifctlError(
            f"{reader.where(path)}: the path does not name a DN ({err}): each folder and the "
            "file name must be one RDN such as `ou=people` or `cn=john.yaml`"
        ) from None


def raise_collected(errors: list[str], error: type[LdifctlError] = LdifctlError) -> None:
    if not errors:
        return
    shown = errors[:MAX_REPORTED_ERRORS]
    more = len(errors) - len(shown)
    raise error("\n".join(shown + ([f"... and {more} more"] if more else [])))
