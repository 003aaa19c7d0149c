"""What an apply did, change by change, and the files a person needs afterwards:
`report.json`, `remaining.ldif` (what was not applied) and `undo.ldif` (what takes the
applied changes back)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from ldifctl.diff.ldif_writer import render_changes
from ldifctl.live.pipeline import Outcome
from ldifctl.model.changes import Change, kind

APPLIED, FAILED, UNKNOWN, NOT_ATTEMPTED = "applied", "failed", "unknown", "not attempted"
# A terminal shows this many failed or unknown changes; report.json has them all.
MAX_LISTED = 10

_REMAINING_HEADER = """\
# Changes `ldifctl apply` did not apply to {uri}, in plan order.
# Prefer running `ldifctl apply` again: it re-reads the server and plans afresh.
"""
_UNDO_HEADER = """\
# Changes that take back what `ldifctl apply` applied to {uri}, newest first.
# Entries re-created here lack userPassword and ignored attributes: ldifctl never reads them.
"""


@dataclass(frozen=True)
class ApplyReport:
    uri: str
    checksum: str
    changes: tuple[Change, ...]
    outcome: Outcome
    undo: tuple[Change, ...]

    @property
    def ok(self) -> bool:
        done = len(self.outcome.applied) == len(self.changes)
        return done and not self.outcome.overtaken and self.outcome.interrupted is None

    def status(self, index: int) -> str:
        return self._statuses[index]

    @cached_property
    def _statuses(self) -> list[str]:
        statuses = [NOT_ATTEMPTED] * len(self.changes)
        for index in self.outcome.applied:
            statuses[index] = APPLIED
        for index in self.outcome.unknown:
            statuses[index] = UNKNOWN
        for index in self.outcome.failed:
            statuses[index] = FAILED
        return statuses

    def counts(self) -> dict[str, int]:
        return {s: self._statuses.count(s) for s in (APPLIED, FAILED, UNKNOWN, NOT_ATTEMPTED)}

    def lines(self) -> list[str]:
        """For people: the counts, then the changes that were not applied, with why."""
        counts = self.counts()
        out = [f"{self.uri}: " + ", ".join(f"{n} {s}" for s, n in counts.items())]
        if self.outcome.interrupted:
            out.append(
                f"interrupted by {self.outcome.interrupted}: nothing more was sent after it "
                "came, and the answers to what was in flight were awaited"
            )
        if self.outcome.lost:
            out.append(f"connection lost: {self.outcome.lost}")
        failed = [f"failed: {self._name(i)}: {m}" for i, m in sorted(self.outcome.failed.items())]
        overtaken = [f"{self._name(i)}: {m}" for i, m in sorted(self.outcome.overtaken.items())]
        unknown = [
            f"outcome unknown (in flight when the connection was lost): {self._name(i)}"
            for i in sorted(self.outcome.unknown)
        ]
        return out + _capped(failed) + _capped(overtaken) + _capped(unknown)

    def _name(self, index: int) -> str:
        return f"{kind(self.changes[index])} {self.changes[index].dn}"

    def as_json(self) -> str:
        rows = [self._row(i, c) for i, c in enumerate(self.changes)]
        data = {
            "uri": self.uri,
            "checksum": self.checksum,
            "summary": self.counts(),
            "lost": self.outcome.lost,
            "interrupted": self.outcome.interrupted,
            "changes": rows,
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def _row(self, index: int, change: Change) -> dict[str, str]:
        row = {"changetype": kind(change), "dn": change.dn, "status": self.status(index)}
        if index in self.outcome.failed:
            row["error"] = self.outcome.failed[index]
        if index in self.outcome.overtaken:
            row["warning"] = self.outcome.overtaken[index]
        return row

    def remaining(self) -> list[Change]:
        return [c for i, c in enumerate(self.changes) if self.status(i) != APPLIED]

    def write(self, parent: Path) -> Path:
        """A fresh `apply-<UTC time>` folder under `parent` with the three files."""
        folder = _fresh_folder(parent)
        # Reports hold directory data: keep them out of `git add -A` in the repo they sit in.
        (folder / ".gitignore").write_text("*\n")
        (folder / "report.json").write_text(self.as_json(), encoding="utf-8")
        header = _REMAINING_HEADER.format(uri=self.uri)
        (folder / "remaining.ldif").write_text(header + render_changes(self.remaining()))
        undo = _UNDO_HEADER.format(uri=self.uri) + render_changes(self.undo)
        (folder / "undo.ldif").write_text(undo, encoding="utf-8")
        return folder


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return [*lines[:MAX_LISTED], f"... and {len(lines) - MAX_LISTED} more: see report.json"]


def _fresh_folder(parent: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1, 1000):
        folder = parent / (f"apply-{stamp}" if n == 1 else f"apply-{stamp}-{n}")
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
    raise FileExistsError(f"{parent}: too many apply reports in one second")
