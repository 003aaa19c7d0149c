"""Findings of judged states, under `.git/ldifctl/`: a state's key (`keys.state_key`)
names everything they depend on, so a stored answer is never stale; the file is sealed
(files.py), so only ldifctl under the cache's key could have written it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ldifctl.cache import files as cache_files
from ldifctl.cache import shapes as cache_shapes
from ldifctl.cache.keys import folder
from ldifctl.model.findings import Finding
from ldifctl.repo.workspace import Workspace

FINDINGS = "findings.json"
KEPT_STATES = 16  # findings of this many states are kept; older ones are dropped


@dataclass(frozen=True)
class Judged:
    """What is kept of a state once judged: its findings, and how many entries it holds
    (when noted: `validate` says it, and counting needs the whole listing)."""

    findings: list[Finding]
    entries: int | None = None


def cached_findings(ws: Workspace, key: str) -> Judged | None:
    kept = _read_findings(ws).get(key)
    if not isinstance(kept, dict) or not cache_shapes.finding_rows(kept.get("findings")):
        return None  # not judged yet, or not in the shape stored: judge it again
    entries = kept.get("entries")
    findings = [from_row(row) for row in kept["findings"]]
    return Judged(findings, entries if type(entries) is int else None)


def from_row(row: list[str]) -> Finding:
    where, rule, severity, dn, message = row
    return Finding(where, rule, "warning" if severity == "warning" else "error", dn, message)


def store_findings(
    ws: Workspace, key: str, findings: list[Finding], entries: int | None = None
) -> None:
    states = _read_findings(ws)
    states.pop(key, None)
    states[key] = {"findings": as_rows(findings), "entries": entries}
    kept = dict(list(states.items())[-KEPT_STATES:])
    cache_files.write(folder(ws) / FINDINGS, json.dumps(kept).encode(), ws.environ)


def as_rows(findings: list[Finding]) -> list[list[str]]:
    return [[f.where, f.rule, f.severity, f.dn, f.message] for f in findings]


def _read_findings(ws: Workspace) -> dict[str, Any]:
    sealed = cache_files.read(folder(ws) / FINDINGS, ws.environ)
    try:
        data = json.loads(sealed) if sealed is not None else None
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
