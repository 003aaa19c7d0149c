"""What each cache file must hold, checked before anything in it is used.

A sealed file was written by ldifctl under the right key, yet it is still checked: a file
of the right stamp but another shape (a bug, another build, a leaked key) is ignored and
rebuilt rather than crashing a command or judging with half a state. The entries of 100k
files are checked column by column (`map` over C types, no Python loop per value).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from operator import itemgetter
from typing import Any, TypeGuard

_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _only(items: Iterable[Any], *types: type) -> bool:
    return set(map(type, items)) <= set(types)


def _pairs(items: list[Any], first: type, *second: type) -> bool:
    """Every item a 2-tuple of (`first`, one of `second`; any type when none is given)."""
    if not _only(items, tuple) or not set(map(len, items)) <= {2}:
        return False
    return _only(map(_FIRST, items), first) and (not second or _only(map(_SECOND, items), *second))


def _flat(rows: list[Any]) -> list[Any] | None:
    """The items of rows that must be tuples (None when one is not)."""
    return list(chain.from_iterable(rows)) if _only(rows, tuple) else None


def packed_entries(entries: object) -> TypeGuard[dict[str, Any]]:
    """{path and content id: (dn, ((name, (value, ...)), ...), line, ((name, line), ...),
    DN key)}, as state_cache packs them."""
    if type(entries) is not dict or not _only(entries, str):
        return False
    packed = list(entries.values())
    if not _only(packed, tuple) or not set(map(len, packed)) <= {5}:
        return False
    if not packed:
        return True
    dns, attrs, first_lines, lines, keys = (list(column) for column in zip(*packed, strict=True))
    line_pairs = _flat(lines)
    return (
        _only(dns, str)
        and _only(first_lines, int, type(None))
        and _attributes(attrs)
        and line_pairs is not None
        and _pairs(line_pairs, str, int)
        and _dn_keys(keys)
    )


def _attributes(attrs: list[Any]) -> bool:
    pairs = _flat(attrs)
    if pairs is None or not _pairs(pairs, str, tuple):
        return False
    return _only(chain.from_iterable(map(_SECOND, pairs)), bytes)


def _dn_keys(keys: list[Any]) -> bool:
    rdns = _flat(keys)
    values = _flat(rdns) if rdns is not None else None
    if values is None or not _pairs(values, str):
        return False
    try:  # a key is looked up in dicts: every part must hash
        set(map(hash, keys))
    except TypeError:
        return False
    return True


def finding_rows(rows: object) -> bool:
    """[[where, rule, severity, dn, message], ...]."""
    if type(rows) is not list or not _only(rows, list) or not set(map(len, rows)) <= {5}:
        return False
    return _only(chain.from_iterable(rows), str)


def renders_by_file(files: object) -> TypeGuard[dict[str, Any]]:
    """{path and content id: (rendering, DN key as text)}."""
    return type(files) is dict and _only(files, str) and _pairs(list(files.values()), bytes, str)


def renders_of_state(renders: object) -> bool:
    """{rendering: path}, or None (two files for one DN)."""
    if renders is None:
        return True
    return type(renders) is dict and _only(renders, bytes) and _only(renders.values(), str)
