"""What a table gives for many entries at once: their targets, read in a few string
operations over whole columns instead of entry by entry (the address map needs them for
every claim of 100k entries)."""

from __future__ import annotations

import re
from itertools import compress
from operator import attrgetter, methodcaller

from ldifctl.mail.addresses import fold, split_targets
from ldifctl.mail.columns.text import column_text
from ldifctl.mail.tables import Table
from ldifctl.mail.tree import Node
from ldifctl.model.snapshot import Values

_VIEW = attrgetter("view")
# What a plain value, alone, never holds: a comma, white space (but the newlines between
# values), what makes an RFC 5322 address list (`Name <a@b>`), or a trailing dot.
_SPECIAL = re.compile(r'[^\S\n]|[,<>()";:\[\]\\]|\.(?:\n|$)')
_ASCII_SPECIAL = ' ,\t\r\x0b\x0c\x1c\x1d\x1e\x1f<>()";:[]\\'  # str.strip() strips the first


def targets_of(
    table: Table, nodes: list[Node], held: list[bool] | None
) -> list[tuple[str, ...]] | None:
    """`table.targets` of many entries at once (`held`, if known, flags which entries of
    the tree they are); None when they depend on the key.

    The usual table (one result attribute, result_format %s) is read in a few string
    operations over all entries; what it gives is what `targets` gives entry by entry.
    """
    if not table.key_free:
        return None  # `""` below stands for any key: key-free tables ignore it
    name = table.plain_attribute
    if name is None:
        return [table.safe_targets(node, "") for node in nodes]
    if held is not None:
        found = _plain_lines(table, name, held)
        if found is not None:
            return found
    values: list[Values] | list[list[bytes]]
    if held is not None:
        values = list(compress(table.tree.column(name), held))
    else:
        values = list(map(methodcaller("get", name, ()), map(_VIEW, nodes)))
    if max(map(len, values), default=0) > 1:  # Postfix gives them in server order
        values = list(map(sorted, values))
    blob = b"\n".join(map(b",".join, values))
    if blob.count(b"\n") != max(len(nodes) - 1, 0):  # a value holds a newline
        return [table.safe_targets(node, "") for node in nodes]
    text = fold(blob.decode("utf-8", "replace"))  # as Postfix compares them
    texts = text.split("\n") if nodes else []
    if _needs_splitting(text):
        return list(map(split_targets, texts))
    return list(zip(texts)) if "" not in texts else [(t,) if t else () for t in texts]


def _plain_lines(table: Table, name: str, held: list[bool]) -> list[tuple[str, ...]] | None:
    """The targets of the entries `held` from the column's text, when each holds at most
    one value and no value holds more than a plain address: then a value is its target."""
    text = column_text(table.tree, name)
    counts = list(compress(text.counts, held))
    if text.lines is None or max(counts, default=0) > 1 or _needs_splitting(text.joined()):
        return None
    lines = text.picked(held)
    if len(lines) == len(counts) and "" not in lines:  # one value each, as a rule
        return list(zip(lines))
    values, out = iter(lines), list[tuple[str, ...]]()
    for n in counts:
        line = next(values) if n else ""
        out.append((line,) if line else ())
    return out


def _needs_splitting(text: str) -> bool:
    """Does a value in these lines hold more than one plain address (see _SPECIAL)?
    Searching for each character is far faster than a regex over ASCII."""
    if text.isascii():
        return any(c in text for c in _ASCII_SPECIAL) or ".\n" in text or text.endswith(".")
    return _SPECIAL.search(text) is not None
