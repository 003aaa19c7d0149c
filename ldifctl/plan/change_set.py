"""A plan: the change set between two states, what the checks found in the new one, and
what it does to mail; its checksum names it for `apply --checksum`."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ldifctl.mail.address_impact import AddressImpact
    from ldifctl.model.changes import Change
    from ldifctl.model.findings import Finding


@dataclass(frozen=True)
class Plan:
    base: str
    head: str
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]
    routing: tuple[AddressImpact, ...] = ()  # what the change does to mail (mail/impact.py)

    @functools.cached_property
    def ldif(self) -> str:
        from ldifctl.diff.ldif_writer import render_changes

        return render_changes(self.changes)

    @property
    def refused(self) -> bool:
        """An error-level finding refuses the plan: its LDIF must never reach `ldapmodify`."""
        return any(f.severity == "error" for f in self.findings)

    @functools.cached_property
    def checksum(self) -> str:
        """Identifies this exact change set: `apply --checksum` refuses any other. It covers
        what the plan writes and what it expects to overwrite or delete, so a hand edit of
        a replaced value (`jpegPhoto`) or of a deleted entry since the review changes it."""
        from ldifctl.model.changes import expectations

        digest = hashlib.sha256(self.ldif.encode())
        for line in expectations(self.changes):
            digest.update(line)
        return "sha256:" + digest.hexdigest()
