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
