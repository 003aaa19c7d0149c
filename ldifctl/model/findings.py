"""Findings: what a check has to say about a state. Returned as lists, never raised."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    where: str
    rule: str
    severity: Severity
    dn: str
    message: str

    def text(self) -> str:
        return f"{self.where}: {self.severity} [{self.rule}] {self.message}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


MAX_NAMED = 5


def named_others(first: list[str], me: int, total: int) -> str:
    """The other holders of a value, for holder `me` of `total`: those of `first` (the
    first MAX_NAMED + 1 holders, named) but itself, then how many more. Every holder of a
    shared value gets a finding naming the others: naming them all is quadratic (2,000
    entries that claimed one alias took 5 s and 585 MB and printed 186 MB)."""
    shown = [name for k, name in enumerate(first) if k != me][:MAX_NAMED]
    more = total - 1 - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")
