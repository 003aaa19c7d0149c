"""One entry file written: Entry -> its canonical YAML text, with the comments of the file
it replaces put back where they were."""

from __future__ import annotations

import base64
from collections.abc import Iterable

from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry
from ldifctl.repo.bounds import MAX_FILE_BYTES
from ldifctl.repo.entries.comments import Comments, EntryComment
from ldifctl.repo.entries.read import parse_entry
from ldifctl.repo.yamlio.scalars import quote


def render_entry(entry: Entry, schema: Schema, comments: Comments = ()) -> str:
    """The canonical file for `entry`, with `comments` placed back where they belong."""
    lines: list[str] = []
    rendered = set()
    for name, values in _in_order(entry, schema):
        lines += _render_attribute(name, values, schema, comments)
        rendered.add(name.lower())
    lines += [c.text for c in comments if c.attr not in rendered]
    return "\n".join(lines) + "\n"


def size_problem(
    entry: Entry, schema: Schema, old: bytes | None = None, where: str = ""
) -> str | None:
    """Why the entry's file would be refused when read back (over repo/bounds.py's
    MAX_FILE_BYTES), None when it fits. `old`: the file (at `where`) it replaces, whose
    comments the rewrite keeps (rewrite_entry): they count too. The file is rendered to
    be measured only when it could come near the limit: no byte of a value renders to
    more than four (`\\x01`), and no kept comment to more than its own bytes."""
    values = [v for vs in entry.attrs.values() for v in vs]
    bound = 4 * sum(map(len, values)) + 16 * len(values) + 8 * len(entry.dn)
    bound += sum(len(name) + 64 for name in entry.attrs)  # each name, as the schema spells it
    if bound + len(old or b"") <= MAX_FILE_BYTES:
        return None
    if old is None:
        return text_problem(render_entry(entry, schema))
    return text_problem(rewrite_entry(old, where, entry, schema))


def text_problem(text: str) -> str | None:
    """Why an entry file of this text would be refused when read back; None: it fits."""
    size = len(text.encode("utf-8"))
    if size <= MAX_FILE_BYTES:
        return None
    return (
        f"its entry file would hold {size:,} bytes, over the {MAX_FILE_BYTES:,} (16 MiB) "
        "that an entry file may hold: keep large data out of the directory"
    )


def rewrite_entry(old_data: bytes, where: str, new_entry: Entry, schema: Schema) -> str:
    """`new_entry` in canonical form, keeping every comment of the file it replaces."""
    old = parse_entry(old_data, where, None, schema)
    return render_entry(new_entry, schema, old.comments)


def _in_order(entry: Entry, schema: Schema) -> list[tuple[str, list[bytes]]]:
    """dn, objectClass, then the rest by name (case-insensitive); values sorted."""
    named = [(schema.canonical_name(n), v) for n, v in entry.attrs.items() if v]
    named.sort(key=lambda item: (item[0].lower() != "objectclass", item[0].lower(), item[0]))
    ordered = [(name, sorted(values, key=_value_order)) for name, values in named]
    return [("dn", [entry.dn.encode("utf-8")]), *ordered]


def _value_order(value: bytes) -> tuple[int, str, bytes]:
    try:
        return 0, value.decode("utf-8").casefold(), value
    except UnicodeDecodeError:
        return 1, "", value


def _render_attribute(
    name: str, values: list[bytes], schema: Schema, comments: Comments
) -> list[str]:
    normalise = schema.normaliser(name)
    keys = [normalise(v) for v in values]
    mine = [c for c in comments if c.attr == name.lower()]
    on_key = [c for c in mine if c.value is None or c.value not in keys]
    if len(values) == 1:
        notes = on_key + [c for c in mine if c.value is not None and c.value == keys[0]]
        return _with_notes(f"{name}: {render_value(values[0])}", notes, "")
    lines = _with_notes(f"{name}:", on_key, "")
    for value, key in zip(values, keys, strict=True):
        notes = [c for c in mine if c.value is not None and c.value == key]
        lines += _with_notes(f"  - {render_value(value)}", notes, "  ")
    return lines


def _with_notes(line: str, notes: Iterable[EntryComment], indent: str) -> list[str]:
    """Comments above the line, then the line with the trailing ones."""
    notes = list(notes)
    above = [indent + c.text for c in notes if not c.trailing]
    return [*above, " ".join([line, *(c.text for c in notes if c.trailing)])]


def render_value(value: bytes) -> str:
    try:
        return quote(value.decode("utf-8"))
    except UnicodeDecodeError:
        return "!!binary " + base64.b64encode(value).decode("ascii")
