"""The common entry file read in one pass: canonical text -> Entry, no detour.

Nearly every file of a big tree is in the canonical layout `fmt` writes (render.py), its
scalars plain or 'single-quoted'. The general reader (read.py's `read_fast` or libyaml,
then build.py's checks) makes a `RawAttr` and a `RawValue` per line and reads each
scalar on its own through a cache that 100k mostly distinct values only thrash. Here two
regex passes in C do the per-character work for the whole file: one checks that every
line is canonical *and* every scalar is one that reads back as written (the rules of
yamlio/scalars.py's `_plain_reads_back` and its single quotes, spelt out as character
classes), the other yields each line's parts; the loop over the lines only sorts them
into attributes, and each attribute's values become bytes in one `map`.

It vouches only for files it reads exactly as the general reader does, and never says
what is wrong: anything else (a double-quoted or binary scalar, a character that is not
printable, an empty value, a DN other than the one the path names, a second spelling,
two equal values) gives None, and the general reader reads the file and reports its
errors. That reader is the reference: a property test holds the two to the same Entry
on generated files (tests/repo/test_canonical_entries.py).
"""

from __future__ import annotations

import re
import sys

from ldifctl.model.schema import ATTRIBUTE_NAME, Schema
from ldifctl.model.snapshot import Entry, Origin, Values

# A plain scalar that libyaml reads back as written: no indicator first, no `: ` or ` #`
# inside, no space or colon last. Controls are refused here; other characters that are
# not printable by `_is_printable` below.
_PLAIN_CHAR = r"[^\x00-\x20\x7f:]"  # runs of these are matched fast, by one C loop
_PLAIN = (
    rf"(?![-?:,\[\]{{}}#&*!|>'\"%@`])[^\x00-\x20\x7f]{_PLAIN_CHAR}*"
    rf"(?:(?::(?=[^\x00-\x20\x7f])| (?=[^\x00-\x1f\x7f#])){_PLAIN_CHAR}*)*"
)
_QUOTED = r"'[^\x00-\x1f\x7f']*(?:''[^\x00-\x1f\x7f']*)*'"
_NAME = ATTRIBUTE_NAME.pattern
# `  - item`, `name: scalar`, or `name:` (a list follows); each line's parts as groups.
_SCALAR = rf"{_PLAIN}|{_QUOTED}"
_LINE = re.compile(rf"  - ({_SCALAR})\n|({_NAME}):(?: ({_SCALAR}))?\n")
_LAYOUT = re.compile(rf"(?:  - (?:{_SCALAR})\n|{_NAME}:(?: (?:{_SCALAR}))?\n)+")

# The few lists of object classes a tree uses, each held once (read only, as every value).
_CLASS_LISTS: dict[Values, Values] = {}

# A key as written: (name, line of the key, its scalars' texts, is a list).
_Field = tuple[str, int, list[str], bool]


def read_entry(text: str, where: str, expected_dn: str, schema: Schema) -> Entry | None:
    """The entry of a canonical file whose DN is `expected_dn` (what its path says), or
    None: the general reader must read it (it may be fine, or say what is wrong)."""
    fields = _fields(text)
    if not fields or fields[0][0] != "dn" or fields[0][3] or fields[0][2] != [expected_dn]:
        return None  # the general reader compares another DN under LDAP rules
    attrs: dict[str, Values] = {}
    lines: dict[str, int] = {}  # by the name in lower case: a second spelling is caught
    for name, line, texts, _ in fields[1:]:
        canonical = _canonical(name, schema)
        low = sys.intern(canonical.lower())  # one string for 100k entries' line maps
        if low in lines or low in ("", "dn") or "" in texts:
            return None  # a second spelling, or an empty value (its syntax decides)
        values = tuple(map(str.encode, texts))
        if len(values) > 1 and len(set(map(schema.normaliser(canonical), values))) < len(values):
            return None
        if low == "objectclass":
            values = _CLASS_LISTS.setdefault(values, values)
        attrs[canonical] = values
        lines[low] = line
    return Entry(expected_dn, attrs, Origin(where, fields[0][1], lines))


def _fields(text: str) -> list[_Field] | None:
    """The keys of the file in order, or None when it is not all canonical and printable."""
    if _LAYOUT.fullmatch(text) is None or not _is_printable(text):
        return None
    fields: list[_Field] = []
    for number, (item, name, scalar) in enumerate(_LINE.findall(text), 1):
        if name:
            fields.append((name, number, [_text(scalar)] if scalar else [], not scalar))
        elif fields and fields[-1][3]:
            fields[-1][2].append(_text(item))
        else:
            return None  # an item under a key that holds a scalar
    return None if any(not texts for _, _, texts, _ in fields) else fields


def _is_printable(text: str) -> bool:
    """Every character printable but the line ends (ASCII ones the regex checked)."""
    return text.isascii() or text.replace("\n", " ").isprintable()


def _text(scalar: str) -> str:
    """What a plain or 'single-quoted' scalar says."""
    return scalar if scalar[0] != "'" else scalar[1:-1].replace("''", "'")


def _canonical(name: str, schema: Schema) -> str:
    """The schema's spelling; '' for what the general reader must judge (a `dn` key
    again, a numeric OID it does not know)."""
    if name.lower() == "dn":
        return ""
    canonical = schema.canonical_name(name)
    return "" if canonical[0].isdigit() and not schema.knows(canonical) else canonical
