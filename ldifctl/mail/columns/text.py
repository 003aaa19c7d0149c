"""One attribute of every entry as one text, for the rules that judge all entries at once.

Joining 100k entries' values visits each value object, and that visit (a cache miss, as
a rule) is what costs. The claims, the tables' results and `address-syntax` read the
same few columns, so each column is joined once per tree (`column_text`) and the rest are
string operations: `all_plain` judges a whole column of addresses in one regex match,
as `is_plain` (mail/address_syntax.py) judges one value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, compress, repeat

from ldifctl.mail.address_syntax import PLAIN
from ldifctl.mail.tree import Tree
from ldifctl.model.snapshot import Values

# Lines of plain addresses (`is_plain`), to judge all the values of an attribute at once.
_ADDRESS_LINES = re.compile(rf"(?:(?=[^\n]{{1,254}}\n)(?=[^@\n]{{1,64}}@){PLAIN}\n)*+".encode())

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PART_LINES = re.compile(rf"(?:{_ATOM}(?:\.{_ATOM})*\n)*+")

# The same for lines of at most 63 characters, where no local part or label can be too
# long: without the length lookaheads, and with possessive runs that never backtrack, it
# takes a third of the time. Longer lines are judged by _ADDRESS_LINES.
_SHORT = 63
_POSSESSIVE_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]++"
_POSSESSIVE_LABEL = r"[A-Za-z0-9]++(?:-++[A-Za-z0-9]++)*+"
_SHORT_LINES = re.compile(
    rf"(?:{_POSSESSIVE_ATOM}(?:\.{_POSSESSIVE_ATOM})*+@"
    rf"{_POSSESSIVE_LABEL}(?:\.{_POSSESSIVE_LABEL})++\n)*+".encode()
)


@dataclass
class ColumnText:
    """`counts[i]` is how many values entry i holds; `lines` are all the values, entry
    after entry, lower-cased, or None when some value is not ASCII or holds a newline
    (those need reading value by value).

    The lines are kept, not the joined text they were split from: kept for the rest of the
    rules, the texts of the four address columns held 13 MB more at 100k entries, and the
    few questions asked of a whole text (`joined`) cost a join each."""

    counts: list[int]
    lines: list[str] | None

    @classmethod
    def of(cls, column: list[Values]) -> ColumnText:
        counts = list(map(len, column))
        blob = b"\n".join(chain.from_iterable(column))
        total = sum(counts)
        if not blob.isascii() or blob.count(b"\n") != max(total - 1, 0):
            return cls(counts, None)
        return cls(counts, blob.decode().lower().split("\n") if total else [])

    def joined(self) -> str:
        """The lines as one text, a newline between two ("" when `lines` is None)."""
        return "\n".join(self.lines) if self.lines else ""

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


def column_text(tree: Tree, name: str) -> ColumnText:
    """Attribute `name` of every entry of the tree as one text (joined once, read by many)."""
    return tree.derived(("text", name), lambda: ColumnText.of(tree.column(name)))


def all_plain(text: ColumnText) -> bool:
    """Is every value of the column plain (`is_plain`)? One line each, judged at once."""
    if text.lines is None:  # a value that is not ASCII, or holds a newline
        return False
    if not text.lines:
        return True
    # Lower-cased as they are, the values are judged alike: the patterns take either case.
    lines = (text.joined() + "\n").encode()
    if _quickly_plain(text.lines, lines):
        return True
    return _ADDRESS_LINES.fullmatch(lines) is not None


def _quickly_plain(values: list[str], lines: bytes) -> bool:
    return max(map(len, values)) <= _SHORT and _SHORT_LINES.fullmatch(lines) is not None


def all_parts(text: ColumnText) -> bool:
    """Is every value of the column a plain user part or domain, each read as what looks
    alike in both: dot-separated atoms of at most 64 characters?"""
    if text.lines is None:  # a value that is not ASCII, or holds a newline
        return False
    return (
        _PART_LINES.fullmatch(text.joined() + "\n") is not None
        and max(map(len, text.lines), default=0) <= 64
    )
