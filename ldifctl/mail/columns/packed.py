"""Many short texts stored as one, for the address index (address_index.py) that the
cache loads on every edit: 100k texts as one string and one array of offsets load in a
few ms, where a list of 100k string objects takes ten times as long and as much memory
again. Changes are kept beside the packed texts and folded in only when stored.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

# The entries of an address: one (its number, the usual case) or more.
Holders = int | list[int]


class Lines:
    """Text i is `text[starts[i]:starts[i + 1]]`, or `changed[i]` when replaced or added
    since packing."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.text, self.starts = _pack(list(texts))
        self.size = len(self.starts) - 1
        self.changed: dict[int, str] = {}

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> str:
        found = self.changed.get(i)
        if found is not None:
            return found
        return self.text[self.starts[i] : self.starts[i + 1]]

    def __setitem__(self, i: int, text: str) -> None:
        self.changed[i] = text

    def append(self, text: str) -> None:
        self.changed[self.size] = text
        self.size += 1

    def as_data(self) -> tuple[str, bytes]:
        if self.changed:
            self.text, self.starts = _pack([self[i] for i in range(self.size)])
            self.changed = {}
        return self.text, self.starts.tobytes()

    @classmethod
    def from_data(cls, data: Any) -> Lines:
        text, starts = data
        lines = cls()
        lines.text, lines.starts = text, array(_OFFSET, starts)
        lines.size = len(lines.starts) - 1
        return lines


_OFFSET = "I"  # 4 bytes: a text of 100k entries' addresses is a few MB


def _pack(texts: list[str]) -> tuple[str, array[int]]:
    starts, at = array(_OFFSET, [0]), 0
    for text in texts:
        at += len(text)
        starts.append(at)
    return "".join(texts), starts


class Keyed:
    """Sorted keys (addresses) and the entries of each; looked up by bisection."""

    def __init__(self, pairs: Iterable[tuple[str, int]] = ()) -> None:
        self.keys, self.holders = _grouped(pairs)
        self.changed: dict[str, list[int]] = {}

    def get(self, key: str) -> list[int]:
        found = self.changed.get(key)
        if found is not None:
            return found
        i = bisect_left(self.keys, key)
        if i == len(self.holders) or self.keys[i] != key:
            return []
        held = self.holders[i]
        return [held] if isinstance(held, int) else held

    def add(self, key: str, entry: int) -> None:
        self.changed[key] = [*self.get(key), entry]

    def drop(self, key: str, entry: int) -> None:
        self.changed[key] = [e for e in self.get(key) if e != entry]

    def as_data(self) -> tuple[Any, list[Holders]]:
        if self.changed:
            pairs = [(self.keys[i], e) for i in range(len(self.holders)) for e in self._at(i)]
            kept = [(k, e) for k, e in pairs if k not in self.changed]
            fresh = [(k, e) for k, held in self.changed.items() for e in held]
            self.keys, self.holders = _grouped(kept + fresh)
            self.changed = {}
        return self.keys.as_data(), self.holders

    def _at(self, i: int) -> list[int]:
        held = self.holders[i]
        return [held] if isinstance(held, int) else held

    @classmethod
    def from_data(cls, data: Any) -> Keyed:
        keys, holders = data
        keyed = cls()
        keyed.keys, keyed.holders = Lines.from_data(keys), holders
        return keyed


def _grouped(pairs: Iterable[tuple[str, int]]) -> tuple[Lines, list[Holders]]:
    """Keys, sorted once (inserting them one by one is quadratic), and their entries.
    Sorted by key alone, in C; only keys held by more than one entry take a loop."""
    unique = set(pairs)
    keys = [key for key, _ in unique]
    entries = [entry for _, entry in unique]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    keys, entries = list(map(keys.__getitem__, order)), list(map(entries.__getitem__, order))
    if len(set(keys)) == len(keys):  # one entry each: the usual case
        return Lines(keys), list(entries)
    groups: dict[str, list[int]] = defaultdict(list)
    for key, entry in zip(keys, entries, strict=True):
        groups[key].append(entry)
    found = map(groups.__getitem__, groups)  # in key order: keys came sorted
    holders: list[Holders] = [h[0] if len(h) == 1 else sorted(h) for h in found]
    return Lines(groups), holders
