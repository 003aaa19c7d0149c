"""The common entry file read in one pass: canonical text -> Entry, no detour.

Nearly every file of a big tree is in the canonical layout `fmt` writes (render.py), its
scalars plain or 'single-quoted'. The general reader (read.py's `read_fast` or libyaml,
then build.py's checks) makes a `RawAttr` and a `RawValue` per line and reads each
scalar on its own through a cache that 100k mostly distinct values only thrash. Here one
regex pass in C does the per-character work for the whole file: anchored at each line's
start, it matches a line only if the line is canonical *and* every scalar is one that
reads back as written (the rules of yamlio/scalars.py's `_plain_reads_back` and its
single quotes, spelt out as character classes), and yields its parts; a file is read
here only if every line matched. The loop over the lines only sorts them into
attributes, and each attribute's values become bytes in one `map`.

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
# Possessive (`*+`): each has one way to match, and a plain `*` over a group keeps
# backtracking state per repetition (8M `''` in one value, within the file size bound,
# ran `validate` out of 1 GiB).
_PLAIN = (
    rf"(?![-?:,\[\]{{}}#&*!|>'\"%@`])[^\x00-\x20\x7f]{_PLAIN_CHAR}*+"
    rf"(?:(?::(?=[^\x00-\x20\x7f])| (?=[^\x00-\x1f\x7f#])){_PLAIN_CHAR}*+)*+"
)
_QUOTED = r"'[^\x00-\x1f\x7f']*+(?:''[^\x00-\x1f\x7f']*+)*+'"
_NAME = ATTRIBUTE_NAME.pattern
# `  - item`, `name: scalar`, or `name:` (a list follows); each line's parts as groups.
_SCALAR = rf"{_PLAIN}|{_QUOTED}"
# Matched from a line's start only: a line that is not canonical matches nowhere (not
# even a canonical tail of it), and the count of matches falls short of the lines'.
_LINES = re.compile(rf"(?m)^(?:  - ({_SCALAR})\n|({_NAME}):(?: ({_SCALAR}))?\n)")

# The few lists of object classes a tree uses, each held once (read only, as every value).
_CLASS_LISTS: dict[Values, Values] = {}


def read_entry(text: str, where: str, expected_dn: str, schema: Schema) -> Entry | None:
    """The entry of a canonical file whose DN is `expected_dn` (what its path says), or
    None: the general reader must read it (it may be fine, or say what is wrong)."""
    # One pass: every line matched from its start to its end, or the count falls short
    # (checking the layout first in a pass of its own was a third of the time).
    rows = _LINES.findall(text)
    if len(rows) != text.count("\n") or not rows or text[-1] != "\n" or not _is_printable(text):
        return None
    _, name, scalar = rows[0]
    if name != "dn" or not scalar or _text(scalar) != expected_dn:
        return None  # the general reader compares another DN under LDAP rules
    attrs: dict[str, Values] = {}
    lines: dict[str, int] = {}  # by the name in lower case: a second spelling is caught
    texts: list[str] = []  # the values of the attribute being read
    canonical, low, listing = "", "", False
    for number, (item, name, scalar) in enumerate(rows[1:], 2):
        if not name:
            if not listing:
                return None  # an item under a key that holds a scalar
            texts.append(_text(item))
            continue
        if low and not _put(attrs, canonical, low, texts, schema):
            return None
        canonical, low = _named(name, schema)
        if low in lines or low in ("", "dn"):
            return None  # a second spelling, a key the general reader must judge
        lines[low] = number
        listing, texts = not scalar, [_text(scalar)] if scalar else []
    if low and not _put(attrs, canonical, low, texts, schema):
        return None
    return Entry(expected_dn, attrs, Origin(where, 1, lines))


def _put(attrs: dict[str, Values], canonical: str, low: str, texts: list[str],
         schema: Schema) -> bool:
    """Take an attribute's values; False for what the general reader must judge: no
    value, an empty one (its syntax decides), two that are equal."""
    if not texts or "" in texts:
        return False
    values = tuple(map(str.encode, texts))
    if len(values) > 1 and len(set(map(schema.normaliser(canonical), values))) < len(values):
        return False
    if low == "objectclass":
        if len(_CLASS_LISTS) >= MAX_NAMED:  # nor one of a million lists of classes
            _CLASS_LISTS.clear()
        values = _CLASS_LISTS.setdefault(values, values)
    attrs[canonical] = values
    return True


def _is_printable(text: str) -> bool:
    """Every character printable but the line ends (ASCII ones the regex checked)."""
    return text.isascii() or text.replace("\n", " ").isprintable()


def _text(scalar: str) -> str:
    """What a plain or 'single-quoted' scalar says."""
    return scalar if scalar[0] != "'" else scalar[1:-1].replace("''", "'")


def _named(name: str, schema: Schema) -> tuple[str, str]:
    """The schema's spelling of a key as written, and its lower case (one string for
    100k entries' line maps); '' for what the general reader must judge (a `dn` key
    again, a numeric OID it does not know). Kept per key for the last schema asked."""
    if not _NAMED_BY or _NAMED_BY[0] is not schema:
        _NAMED_BY[:] = [schema]
        _NAMED.clear()
    found = _NAMED.get(name)
    if found is None:
        if len(_NAMED) >= MAX_NAMED:  # a hostile tree of a million names is not kept
            _NAMED.clear()
        canonical = _canonical(name, schema)
        found = _NAMED[name] = (canonical, sys.intern(canonical.lower()))
    return found


_NAMED_BY: list[Schema] = []  # the schema _NAMED holds the answers of
_NAMED: dict[str, tuple[str, str]] = {}
MAX_NAMED = 65536


def _canonical(name: str, schema: Schema) -> str:
    """The schema's spelling; '' for what the general reader must judge (a `dn` key
    again, a numeric OID it does not know)."""
    if name.lower() == "dn":
        return ""
    canonical = schema.canonical_name(name)
    return "" if canonical[0].isdigit() and not schema.knows(canonical) else canonical
