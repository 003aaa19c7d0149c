"""What each cache file must hold, checked before anything in it is used.

A sealed file was written by ldifctl under the cache's key (files.py) and stamped with
this very code, so it holds what this code wrote. Its shape is checked all the same, down
to the fields of each entry: a file of another shape (a bug, a leaked key) is ignored and
rebuilt rather than crashing a command. The values inside an entry (names, bytes) are
vouched for by the seal alone: checking their types too cost as much as unmarshalling
the file, for nothing a holder of the key could not forge well-formed anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from operator import itemgetter
from typing import Any, TypeGuard

_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _only(items: Iterable[Any], *types: type) -> bool:
    """Every item of one of `types` (`map` over C types: no Python loop per item)."""
    return set(map(type, items)) <= set(types)


def _sized(items: list[Any], size: int) -> bool:
    return _only(items, tuple) and set(map(len, items)) <= {size}


def packed_entries(entries: object) -> TypeGuard[dict[str, Any]]:
    """{path and content id: (dn, layout, values, line, DN key)}, each a tuple where
    entry_rows.py packs one, a layout (names, lines of names) for each of its values."""
    if type(entries) is not dict or not _only(entries, str):
        return False
    packed = list(entries.values())
    if not packed:
        return True
    if not _sized(packed, 5):
        return False
    dns, layouts, values, first_lines, keys = zip(*packed, strict=True)
    if not (
        _only(dns, str)
        and _only(first_lines, int, type(None))
        and _only(chain(layouts, values, keys), tuple)
    ):
        return False
    distinct = list(dict(zip(map(id, layouts), layouts, strict=True)).values())  # shared
    return all(map(_layout, distinct)) and list(map(len, values)) == list(
        map(len, map(_FIRST, layouts))
    )


def _layout(layout: tuple[Any, ...]) -> bool:
    """(names, lines): the attribute names, and (name, line) pairs."""
    if len(layout) != 2 or not _only(layout, tuple):
        return False
    names, lines = layout
    return _only(names, str) and _sized(list(lines), 2)


def finding_rows(rows: object) -> bool:
    """[[where, rule, severity, dn, message], ...]."""
    if type(rows) is not list or not _only(rows, list) or not set(map(len, rows)) <= {5}:
        return False
    return _only(chain.from_iterable(rows), str)


def renders_by_file(files: object) -> TypeGuard[dict[str, Any]]:
    """{path and content id: (rendering, DN key as text)}."""
    if type(files) is not dict or not _only(files, str):
        return False
    stored = list(files.values())
    return _sized(stored, 2) and _only(map(_FIRST, stored), bytes) and _only(
        map(_SECOND, stored), str
    )


def renders_of_state(renders: object) -> bool:
    """{rendering: path}, or None (two files for one DN)."""
    if renders is None:
        return True
    return type(renders) is dict and _only(renders, bytes) and _only(renders.values(), str)


_PRIOR_INDEX = {
    "names": list, "owned": tuple, "claimers": tuple, "senders": tuple, "hosting": list,
    "edges": dict, "loops": list, "delimiter": str, "local": bool, "routed": bool,
}


def prior_judgement(data: dict[str, Any]) -> bool:
    """{base, changed {path: id}, findings, index, contents}: a judged state (judged.py),
    its address index the fields it is made of (mail/columns/address_index.py,
    packed.py), the blob ids of its files a text of as many equal widths as it names."""
    if not {"base", "changed", "findings", "index", "contents"} <= data.keys():
        return False
    changed, index = data["changed"], data["index"]
    return (
        type(data["base"]) is str
        and type(changed) is dict
        and _only(chain(changed, changed.values()), str)
        and finding_rows(data["findings"])
        and type(index) is dict
        and index.keys() == _PRIOR_INDEX.keys()
        and all(type(index[k]) is t for k, t in _PRIOR_INDEX.items())
        and _only(index["names"], str)
        and type(data["contents"]) is str
        and len(data["contents"]) % max(len(index["names"]), 1) == 0
        and _packed(index["owned"], len(index["names"]))
        and all(_keyed(index[k]) for k in ("claimers", "senders"))
    )


def _packed(lines: tuple[Any, ...], count: int | None = None) -> bool:
    """(text, offsets): `count` texts (any number when None), offsets as 4-byte numbers."""
    if len(lines) != 2 or type(lines[0]) is not str or type(lines[1]) is not bytes:
        return False
    size, rest = divmod(len(lines[1]), 4)
    return rest == 0 and size >= 1 and (count is None or size == count + 1)


def _keyed(keyed: tuple[Any, ...]) -> bool:
    """((keys packed), [entry number, or list of them, per key])."""
    if len(keyed) != 2 or type(keyed[0]) is not tuple or type(keyed[1]) is not list:
        return False
    keys, holders = keyed
    return _packed(keys, len(holders)) and _only(holders, int, list)


def untracked_record(data: dict[str, Any]) -> bool:
    """{"listed": [path, ...], "folders": {path: status}, "files": {path: status or
    None}}, a status a tuple (untracked.py)."""
    listed, folders, files = data.get("listed"), data.get("folders"), data.get("files")
    if type(listed) is not list or type(folders) is not dict or type(files) is not dict:
        return False
    statuses = [*folders.values(), *(s for s in files.values() if s is not None)]
    return _only(listed, str) and _only(statuses, tuple)


def untracked_names(data: dict[str, Any]) -> bool:
    """{"folders": {path: status}, "names": {path: names}} (untracked.py)."""
    folders, names = data.get("folders"), data.get("names")
    return (type(folders) is dict and _only(folders.values(), tuple)
            and type(names) is dict and _only(names.values(), str))
