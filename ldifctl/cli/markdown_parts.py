"""The parts of a plan comment that list things: the addresses whose routing changes and
the changes per entry, as Markdown tables; and how to cut any list to fit a comment, at
whole rows or records, never inside one."""

from __future__ import annotations

import re

from ldifctl.mail.address_impact import AddressImpact, Outcome
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model.errors import printable
from ldifctl.model.snapshot import Values

MAX_CELL = 300  # characters of values in one table cell
MAX_VALUE = 80  # characters of one value in a cell: the rest is in the LDIF


def cut(items: list[str], budget: int) -> tuple[list[str], int]:
    """As many whole items as fit in `budget` characters, and how many were left out."""
    kept, used = [], 0
    for item in items:
        used += len(item) + 1
        if used > budget:
            break
        kept.append(item)
    return kept, len(items) - len(kept)


def cell(value: str) -> str:
    """Inline code inside a table cell: a `|` would end the cell, a line break the row
    (shown escaped, as every character that is not printable: model/errors.py)."""
    flat = printable(value)
    ticks = "`" * (max((len(m) for m in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}".replace("|", "\\|")


def routing_rows(impacts: tuple[AddressImpact, ...]) -> list[str]:
    return [
        f"| {cell(i.address)} | {_outcome(i.before)} | {_outcome(i.after)} |"
        for i in impacts
    ]


def _outcome(outcome: Outcome) -> str:
    """The destinations (as many as fit a cell), or the status in bold."""
    if outcome.status in ("delivered", "undeliverable") and outcome.destinations:
        found = [f"{cell(a)} ({k})" for a, k in outcome.destinations]
        kept, left = cut(found, MAX_CELL)
        return ", ".join(kept) + (f" … {left} more" if left else "")
    return f"**{outcome.text()}**"


def change_rows(changes: tuple[Change, ...]) -> list[str]:
    return [f"| {cell(c.dn)} | {_kind(c)} | {_touched(c)} |" for c in changes]


def _kind(change: Change) -> str:
    return "rename" if isinstance(change, ModRdn) else type(change).__name__.lower()


def _touched(change: Change) -> str:
    """The attributes and values, cut after a whole value if they are many."""
    if isinstance(change, ModRdn):
        return f"→ {cell(change.new_dn)}"
    if isinstance(change, Modify):
        signs = {"add": "+", "delete": "-", "replace": "="}
        parts = [(signs[m.op], m.attr, m.values) for m in change.mods]
    else:
        sign = "" if isinstance(change, Add) else "-"
        parts = [(sign, name, values) for name, values in _attrs(change)]
    # Every attribute is named; its values, each cut to MAX_VALUE, as far as MAX_CELL goes
    # (one long value hid every attribute after it).
    named = []
    for sign, name, values in parts:
        shown = [_signed(sign, values[i:i + 1]) for i in range(max(1, len(values)))]
        kept, left = cut(shown, max(MAX_CELL // max(len(parts), 1), MAX_VALUE + 8))
        named.append(f"{name}: " + " ".join(kept) + (f" … {left} more" if left else ""))
    return "; ".join(named)


def _signed(sign: str, values: Values) -> str:
    if not values:
        return f"{sign}(every value)"
    value = _value(values[0])
    short = value if len(value) <= MAX_VALUE else f"{value[:MAX_VALUE]}…"
    more = f" ({len(value):,} characters)" if short != value else ""
    return f"{sign}{cell(short)}{more}"


def _attrs(change: Add | Delete) -> tuple[tuple[str, Values], ...]:
    return change.attrs if isinstance(change, Add) else change.old


def _value(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return f"({len(value)} bytes, binary)"
