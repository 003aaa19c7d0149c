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
from itertools import accumulate
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
            texts = self.packed()
            texts += [""] * (self.size - len(texts))
            for i, text in self.changed.items():
                texts[i] = text
            self.text, self.starts = _pack(texts)
            self.changed = {}
        return self.text, self.starts.tobytes()

    def packed(self) -> list[str]:
        """The texts as packed (changes left out), cut in one pass."""
        text, starts = self.text, self.starts
        return list(map(text.__getitem__, map(slice, starts, starts[1:])))

    @classmethod
    def from_data(cls, data: Any) -> Lines:
        text, starts = data
        lines = cls()
        lines.text, lines.starts = text, array(_OFFSET, starts)
        lines.size = len(lines.starts) - 1
        return lines


_OFFSET = "I"  # 4 bytes: a text of 100k entries' addresses is a few MB


def _pack(texts: list[str]) -> tuple[str, array[int]]:
    return "".join(texts), array(_OFFSET, accumulate(map(len, texts), initial=0))


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
            self.keys, self.holders = self._merged()
            self.changed = {}
        return self.keys.as_data(), self.holders

    def _merged(self) -> tuple[Lines, list[Holders]]:
        """The packed keys with the changes folded in: the few changed keys are found by
        bisection and replaced, dropped or inserted where they sort; the 100k others are
        cut from the text once and never compared (sorting all again took 1 s)."""
        keys, holders = self.keys.packed(), list(self.holders)
        gone: list[int] = []  # dropped at the end; in key order, each before the next key
        for key in sorted(self.changed):
            held = sorted(set(self.changed[key]))
            i = bisect_left(keys, key)
            if i < len(keys) and keys[i] == key:
                if held:
                    holders[i] = held[0] if len(held) == 1 else held
                else:
                    gone.append(i)
            elif held:  # a new key (few are: each insertion moves the rest)
                keys.insert(i, key)
                holders.insert(i, held[0] if len(held) == 1 else held)
        for i in reversed(gone):
            del keys[i], holders[i]
        return Lines(keys), holders

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
