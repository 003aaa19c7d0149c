"""The change set of a plan whose change edits how entries are read.

A change is judged with its base's settings (repo/base_settings.py), and its change set
used to be made with them too. But `apply`, after the merge, compares with the merged
settings: a pull request that took `description` out of `ignore_attributes:` and gave an
entry a description was planned as "no changes", and the description was sent. When the
change edits `ignore_attributes:` or `attributes:` (what is read, how values compare),
the change set is made again as `apply` will make it: with the working tree's settings,
from the whole states (an unchanged file may hold a value the base's settings hid), the
base as it was applied (what its settings ignored never reached the server).
"""

from __future__ import annotations

from ldifctl.cache.states import load_whole
from ldifctl.model.changes import Change
from ldifctl.model.findings import Finding
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.repo import base_settings
from ldifctl.repo.settings.config import Config
from ldifctl.repo.workspace import Workspace


def applied_changes(
    ws: Workspace, judging: Config, base: str, head: str, exact_case: bool,
    changes: tuple[Change, ...],
) -> tuple[tuple[Change, ...], tuple[Finding, ...]]:
    """The change set `apply` would send after the merge (`changes`: the one made with
    the base's settings, `judging`), and a notice of what the plan cannot show."""
    edit = base_settings.reading_edit(judging, ws.config)
    if edit is None:
        return changes, ()
    from ldifctl.diff import snapshots as diff

    unseen = {ws.schema.canonical_name(n) for n in base_settings.unignored(judging, ws.config)}
    old = _as_applied(load_whole(ws, base), unseen)
    return tuple(diff.diff(old, load_whole(ws, head), exact_case)), (edit,)


def _as_applied(state: Snapshot, unseen: set[str]) -> Snapshot:
    """The base state without the attributes its settings ignored: none was sent."""
    if not unseen:
        return state
    kept = (
        (key, Entry(e.dn, {n: v for n, v in e.attrs.items() if n not in unseen}, e.origin))
        for key, e in state.items()
    )
    return Snapshot.keyed(state.label, state.schema, kept)
