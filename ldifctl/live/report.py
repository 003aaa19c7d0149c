"""What an apply did, change by change, and the files a person needs afterwards:
`report.json`, `remaining.ldif` (what was not applied), `undo.ldif` (what takes the
applied changes back) and, after a lost connection, `unknown.ldif` (what may or may not
have been applied: in neither of the others, since either could then fail or do harm)."""

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
_UNKNOWN_HEADER = """\
# Changes `ldifctl apply` sent to {uri} whose outcome is unknown, in plan order: the
# connection was lost before their answers, and no fresh read found them applied. The
# server may still apply requests it had received. Do not feed this file to ldapmodify: once
# the server answers, run `ldifctl drift` to see what it holds, then `ldifctl apply` again.
"""
# Said in remaining.ldif and undo.ldif when some changes are in unknown.ldif.
_UNKNOWN_NOTE = """\
# Not here: {count} change(s) whose outcome is unknown (unknown.ldif). Run `ldifctl drift`
# once the server answers.
"""

# report.json's note on a change in flight at the loss that a fresh read found.
_NOTES = {
    True: "in flight when the connection was lost; a fresh read found it applied",
    False: "in flight when the connection was lost; a fresh read found it not applied yet, "
    "but the server may still apply it",
}


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
            out += [f"connection lost: {self.outcome.lost}", *self._rechecked()]
        failed = [f"failed: {self._name(i)}: {m}" for i, m in sorted(self.outcome.failed.items())]
        overtaken = [f"{self._name(i)}: {m}" for i, m in sorted(self.outcome.overtaken.items())]
        unknown = [
            f"outcome unknown (in flight when the connection was lost): {self._name(i)}"
            for i in sorted(self.outcome.unknown)
        ]
        return out + _capped(failed) + _capped(overtaken) + _capped(unknown) + self._caveat()

    def advice(self) -> list[str]:
        if self.outcome.interrupted:
            return ["stopped by a signal; run `ldifctl apply` again to finish"]
        if not self.ok:
            return [
                "stopped at the first failure; run `ldifctl apply` again once the cause is fixed"
            ]
        return []

    def _rechecked(self) -> list[str]:
        found, out = list(self.outcome.rechecked.values()), []
        if found:
            out.append(
                f"a fresh read of the changes in flight found {found.count(True)} applied and "
                f"{found.count(False)} not applied yet (unknown still: the server may run them)"
            )
        if self.outcome.recheck_failed:
            out.append(f"could not read the changes in flight again: {self.outcome.recheck_failed}")
        return out

    def _caveat(self) -> list[str]:
        """After a loss, whatever the fresh read found: what was sent may still run."""
        out = []
        if self.outcome.unknown:
            out.append(
                f"{len(self.outcome.unknown)} change(s) whose outcome is unknown are in "
                "unknown.ldif, not in remaining.ldif or undo.ldif"
            )
        if self.outcome.lost:
            out.append(
                "the server may still apply requests it received before the connection was "
                "lost: run `ldifctl drift` once the server answers, then `ldifctl apply` again"
            )
        return out

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
        if index in self.outcome.rechecked:
            row["note"] = _NOTES[self.outcome.rechecked[index]]
        return row

    def remaining(self) -> list[Change]:
        """What was not applied: neither applied nor of unknown outcome."""
        return [c for i, c in enumerate(self.changes) if self.status(i) in (FAILED, NOT_ATTEMPTED)]

    def unknown(self) -> list[Change]:
        return [c for i, c in enumerate(self.changes) if self.status(i) == UNKNOWN]

    def files(self) -> dict[str, str]:
        """The report's files by name, as they are written (or shown, if they cannot be)."""
        note = _UNKNOWN_NOTE.format(count=len(self.outcome.unknown)) if self.outcome.unknown else ""
        remaining = _REMAINING_HEADER.format(uri=self.uri) + note
        files = {
            "report.json": self.as_json(),
            "remaining.ldif": remaining + render_changes(self.remaining()),
            "undo.ldif": _UNDO_HEADER.format(uri=self.uri) + note + render_changes(self.undo),
        }
        if self.outcome.unknown:
            header = _UNKNOWN_HEADER.format(uri=self.uri)
            files["unknown.ldif"] = header + render_changes(self.unknown())
        return files

    def unwritten(self) -> str:
        """What must not be lost when no file can hold it: the undo and remaining LDIF."""
        files = self.files()
        names = ("undo.ldif", "remaining.ldif", "unknown.ldif")
        return "".join(files[name] for name in names if name in files)

    def write(self, parent: Path) -> Path:
        """A fresh `apply-<UTC time>` folder under `parent` with the files."""
        folder = _fresh_folder(parent)
        # Reports hold directory data: keep them out of `git add -A` in the repo they sit in.
        (folder / ".gitignore").write_text("*\n")
        for name, text in self.files().items():
            (folder / name).write_text(text, encoding="utf-8")
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
