"""Many short texts stored as one, for the address index (address_index.py) that the
cache loads on every edit: 100k texts as one string and one array of offsets load in a
few ms, where a list of 100k string objects takes ten times as long and as much memory
again. Changes are kept beside the packed texts and folded in only when stored.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate, chain, compress, count, islice
from operator import eq, itemgetter, ne
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

    The pairs are sorted as they come, by key then entry, and a pair given twice is
    dropped where it lies beside itself. They come in entry order, and a directory's
    addresses mostly follow its entries' names (`uid=jdoe`, `jdoe@example.org`): sorting
    takes runs already in order as they are, 12 ms for 190k claims at 100k entries. Made
    unique first in a set, they came out scrambled and the sort took 0.2 s. Only keys
    held by more than one entry take a loop."""
    ordered = sorted(pairs)
    if any(map(eq, ordered, islice(ordered, 1, None))):  # a pair given twice
        ordered = list(dict.fromkeys(ordered))
    keys = list(map(itemgetter(0), ordered))
    entries = list(map(itemgetter(1), ordered))
    del ordered
    firsts = list(compress(count(), map(ne, keys, chain((None,), keys))))  # of each key
    if len(firsts) == len(keys):  # one entry each: the usual case
        return Lines(keys), entries
    ends = [*firsts[1:], len(keys)]
    holders: list[Holders] = [entries[a] if b - a == 1 else entries[a:b] for a, b in zip(
        firsts, ends, strict=True)]
    return Lines(map(keys.__getitem__, firsts)), holders
