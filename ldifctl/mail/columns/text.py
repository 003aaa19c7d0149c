"""One attribute of every entry as one text, for the rules that judge all entries at once.

Joining 100k entries' values visits each value object, and that visit (a cache miss, as
a rule) is what costs. The claims, the tables' results and `address-syntax` read the
same few columns, so each column is joined once and the rest are string operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import chain, compress, repeat

from ldifctl.model.snapshot import Values


@dataclass
class ColumnText:
    """`counts[i]` is how many values entry i holds; `blob` is every value, entry after
    entry, one per line; `lines` are the same values lower-cased, or None when some value
    is not ASCII or holds a newline (those need reading value by value)."""

    counts: list[int]
    blob: bytes
    lines: list[str] | None
    text: str  # the lines joined ("" when `lines` is None)

    @classmethod
    def of(cls, column: list[Values]) -> ColumnText:
        counts = list(map(len, column))
        blob = b"\n".join(chain.from_iterable(column))
        total = sum(counts)
        if not blob.isascii() or blob.count(b"\n") != max(total - 1, 0):
            return cls(counts, blob, None, "")
        text = blob.decode().lower()
        return cls(counts, blob, text.split("\n") if total else [], text)

    @cached_property
    def holders(self) -> list[bool]:
        """Does entry i hold a value?"""
        return list(map(bool, self.counts))

    @cached_property
    def single(self) -> bool:
        """Does every entry hold at most one value?"""
        return max(self.counts, default=0) <= 1

    def picked(self, flags: list[bool] | None) -> list[str]:
        """The lines of the entries flagged (every line for None)."""
        if self.lines is None:
            raise ValueError("the values are not plain lines")
        if flags is None or flags == self.holders:  # lists of bools compare in C
            return self.lines
        if self.single:  # a line per holder: no need to repeat flags value by value
            return list(compress(self.lines, compress(flags, self.holders)))
        return list(compress(self.lines, chain.from_iterable(map(repeat, flags, self.counts))))
