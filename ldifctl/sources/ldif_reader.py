"""Reading content LDIF (`ldapsearch -LLL`, `slapcat`) into a snapshot.

The records come from ldif_records.py (one pass, python-ldap's semantics, line numbers
kept); ldif_entries.py makes each an Entry.

Two LDIF files are mostly the same records: `load_changed` compares the records' text
first and turns into entries only what differs, besides the whole new state that the
checks judge (see its docstring for why that is the same diff).

A big file is read on two cores (`_read`), and what can be done of one entry alone is
done where it is read: its DN key, and the checks of the entry on its own (policy/
structure.py's `keyed_checks`), so that neither runs again over the whole state on one
core. The forked reader sends its entries a part at a time (bulk.side_by_side_parts):
it never holds its whole half, made and marshalled, at once. Value lists few entries
differ in (objectClass) are one shared tuple (ldif_entries.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ldifctl import bulk
from ldifctl.model.dn import DnKey
from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Origin, Snapshot
from ldifctl.sources.ldif_entries import NO_LINES, Entries, EntryChecks, unchecked
from ldifctl.sources.ldif_records import OldFile, halves, records


def load_ldif(data: bytes, where: str, schema: Schema) -> Snapshot:
    """Entries of a content LDIF file; operational and ignored attributes are dropped."""
    entries = Snapshot(where, schema)
    with bulk.paused_gc():  # 100k entries, no cycles: a collector pass would find nothing
        _read(data, where, schema, {}, lambda key, entry, _: entries.add(entry, key))
    return entries


# An entry as a forked child sends it (marshalled): its line, DN, attributes and DN key,
# and the number of the old file's record of the same text (-1: none). A part of the
# rows comes with what the checks found of them, and with the error that ended the read.
_Row = tuple[int, str, dict[str, tuple[bytes, ...]], DnKey, int]
_Part = tuple[list[_Row], list[tuple[str, str, str, str, str]], str | None]
_ROWS_PER_PART = 4096  # ~1.5 MB of entries: what the child holds at once


def _read(
    data: bytes,
    where: str,
    schema: Schema,
    olds: Mapping[bytes, int],
    take: Callable[[DnKey, Entry, int], None],
    check: EntryChecks = unchecked,
) -> list[Finding]:
    """`take` each record's entry, in order, with its DN key and the number `olds` gives
    its text (-1: none); what `check` found of the entries.

    A big file is read on two cores: a forked child reads its second half into rows,
    sent a part at a time (bulk.side_by_side_parts), while this process reads and takes
    the first. The child works out each entry's DN key and checks it too: that work is
    split as the reading is. A child that fails on a record sends the rows before it and
    the error, taken and raised after them: the error reported is the one a read from the
    start meets first, whoever finds it.
    """
    entries, split = Entries(where, schema, check), halves(data, where)
    if split is None:
        for record in records(data, where):
            take(*entries.keyed(record), olds.get(record.text, -1))
        return entries.found
    first, second, size = split

    def here() -> None:
        for record in first:
            take(*entries.keyed(record), olds.get(record.text, -1))

    def there() -> Iterator[_Part]:
        rows: list[_Row] = []
        theirs = Entries(where, schema, check)
        try:
            for r in second:
                key, entry = theirs.keyed(r)
                rows.append((r.line, r.dn, entry.attrs, key, olds.get(r.text, -1)))  # type: ignore[arg-type]
                if len(rows) == _ROWS_PER_PART:
                    yield rows, _plain(theirs.found), None
                    rows, theirs.found = [], []
                    schema.forget_dn_keys()  # sent: kept, they would grow the child ~40 MB
        except LdifctlError as err:
            yield rows, _plain(theirs.found), str(err)
            return
        yield rows, _plain(theirs.found), None

    _, parts = bulk.side_by_side_parts(here, there, size=size)
    found = entries.found
    for rows, theirs, error in parts:
        for line, dn, attrs, key, old in rows:
            take(key, Entry(dn, attrs, Origin(where, line, NO_LINES)), old)
        found += [_finding(*f) for f in theirs]
        if error is not None:
            raise LdifctlError(error)
    return found


def _plain(findings: list[Finding]) -> list[tuple[str, str, str, str, str]]:
    return [(f.where, f.rule, f.severity, f.dn, f.message) for f in findings]


def _finding(where: str, rule: str, severity: str, dn: str, message: str) -> Finding:
    return Finding(where, rule, "warning" if severity == "warning" else "error", dn, message)


@dataclass(frozen=True)
class Changed:
    """Two LDIF files as the diff needs them: the entries whose records differ, each side,
    and the whole new state (which the checks judge)."""

    old: Snapshot
    new: Snapshot
    whole_new: Snapshot
    # Each unchanged entry's line in the old file, by its key (see `as_old`).
    old_lines: Mapping[DnKey, int] = field(default_factory=dict)
    old_label: str = ""
    # What the checks of each entry alone found of the whole new state, as it was read
    # (None: they have not run).
    checked: list[Finding] | None = None

    def as_old(self, entries: list[Entry]) -> list[Entry]:
        """Unchanged entries of the new state as a whole read of the old file gives them:
        the same entries (the same text), at their lines of the old file."""
        if not self.old_lines:
            return entries
        key, lines, where = self.whole_new.schema.dn_key, self.old_lines, self.old_label
        return [
            Entry(e.dn, e.attrs, Origin(where, lines[k], NO_LINES)) if k in lines else e
            for e in entries
            for k in (key(e.dn),)
        ]


# A file to read, maybe more than once (only while it is needed is it held), and its name.
Source = tuple[Callable[[], bytes], str]


def load_changed(
    old: Source, new: Source, schema: Schema, check: EntryChecks | None = None
) -> Changed:
    """`check`: the checks of each entry alone, run on the new file's entries as each is
    read (their findings are `Changed.checked`)."""
    with bulk.paused_gc():
        return _load_changed(old, new, schema, check)


def _load_changed(old: Source, new: Source, schema: Schema, check: EntryChecks | None) -> Changed:
    """A record of the same text in both files is the same entry, unchanged: the diff has
    nothing to say about it (it is neither added, removed nor renamed, and no other
    entry's change depends on it), so only the other records enter the two snapshots
    diffed. Every new record is read (the checks judge the whole new state); the old
    file's unchanged records are never parsed. Where the old file holds a record twice,
    or a second spelling of an unchanged entry's DN, the whole read is done instead: it
    reports that error exactly. Of the raw text, only the old file's records are held
    throughout, with the line of each: the few that differ are parsed from them after,
    and the line of each unchanged one noted (routing cites the old state's entries at
    their old lines)."""
    old_file = OldFile(old[0](), old[1])
    old_texts = old_file.texts
    unchanged_old = {text: i for i, text in enumerate(old_texts)}
    if len(unchanged_old) < len(old_texts):
        return _whole(old, new, schema)
    whole, changed = Snapshot(new[1], schema), Snapshot(new[1], schema)
    same: dict[bytes, DnKey] = {}  # the old file's objects: the new file's text is let go

    def take(key: DnKey, entry: Entry, found: int) -> None:
        whole.add(entry, key)
        if found < 0:
            changed.add(entry, key)
        else:
            same[old_texts[found]] = key

    checked = _read(new[0](), new[1], schema, unchanged_old, take, check or unchecked)
    unchanged_old.clear()  # what is left of the old texts is what `same` holds
    reader, gone, lines = Entries(old[1], schema), Snapshot(old[1], schema), dict[bytes, int]()
    for record in old_file.records(skip=same, noted=lines):
        if record.text in same:  # a first record after `version:`, parsed all the same
            lines[record.text] = record.line
            continue
        entry = reader.entry(record)
        key = schema.dn_key(entry.dn)
        if whole.get(key) is not None and changed.get(key) is None:
            return _whole(old, new, schema)
        gone.add(entry)
    old_lines = {key: lines[text] for text, key in same.items()}
    return Changed(gone, changed, whole, old_lines, old[1], checked if check else None)


def _whole(old: Source, new: Source, schema: Schema) -> Changed:
    both = load_ldif(new[0](), new[1], schema)
    return Changed(load_ldif(old[0](), old[1], schema), both, both)
