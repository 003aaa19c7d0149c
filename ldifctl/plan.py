"""A plan: the change set between two states plus what the checks found in the new one."""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ldifctl.repo import gitrepo, tree
from ldifctl.repo.readers import FolderReader, GitTreeReader
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.load import load, load_changed
from ldifctl.sources.specs import reader_for

if TYPE_CHECKING:
    from ldifctl.model.changes import Change
    from ldifctl.model.findings import Finding
    from ldifctl.model.snapshot import Snapshot
    from ldifctl.policy.files import Policies


@dataclass(frozen=True)
class Plan:
    base: str
    head: str
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]

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
        digest = hashlib.sha256(self.ldif.encode())
        for line in _expectations(self.changes):
            digest.update(line)
        return "sha256:" + digest.hexdigest()


def _expectations(changes: tuple[Change, ...]) -> Iterator[bytes]:
    from ldifctl.model.changes import expected

    for index, change in enumerate(changes):
        for attr, values in expected(change):
            encoded = b" ".join(base64.b64encode(v) for v in sorted(values))
            yield f"\n#{index} {attr}: ".encode() + encoded


def plan(ws: Workspace, base: str, head: str, exact_case: bool = False) -> Plan:
    base_reader, head_reader = reader_for(ws, base), reader_for(ws, head)
    if _same_repo_trees(ws, base_reader, head_reader):
        return _incremental(ws, base_reader, head_reader, exact_case)  # type: ignore[arg-type]
    from ldifctl.policy import sources as policy_sources
    from ldifctl.repo import base_settings

    notices: list[Finding] = []
    if isinstance(base_reader, GitTreeReader):  # judged as a change to that revision
        ws, notices = base_settings.judging_workspace(ws, base_reader, head_reader)
    files = load_changed(ws, base, head)  # two LDIF files: their differing entries
    old, new = (files.old, files.new) if files else (load(ws, base), load(ws, head))
    policies = policy_sources.policies_for(ws, base_reader)
    repo = head_reader is not None
    whole = files.whole_new if files else new
    judged = between(ws, old, new, exact_case, policies, repo=repo, judged=whole)
    return dataclasses.replace(judged, findings=tuple(sorted((*judged.findings, *notices))))


def between(
    ws: Workspace,
    old: Snapshot,
    new: Snapshot,
    exact_case: bool = False,
    policies: Policies | None = None,
    repo: bool = True,
    judged: Snapshot | None = None,
) -> Plan:
    """The plan between two fully loaded states (judged by the working tree's policies
    unless the base's are given); `repo`: `new` is entry files, not an LDIF file or the
    server. `judged`: the whole new state, when `old` and `new` hold only the entries
    that may differ (two LDIF files)."""
    from ldifctl import validation
    from ldifctl.diff import snapshots as diff

    findings = validation.check_state(ws, judged or new, policies, repo=repo)
    changes = diff.diff(old, new, exact_case)
    return Plan(old.label, new.label, tuple(changes), tuple(findings))


def _same_repo_trees(ws: Workspace, base: object, head: object) -> bool:
    worktree_dir = ws.directory.resolve()
    return isinstance(base, GitTreeReader) and (
        isinstance(head, GitTreeReader)
        or (isinstance(head, FolderReader) and head.root.resolve() == worktree_dir)
    )


def _incremental(
    ws: Workspace, base: GitTreeReader, head: GitTreeReader | FolderReader, exact_case: bool
) -> Plan:
    """Only files git reports as changed are parsed: a 10-file change reads 10 files, not 100k."""
    head_commit = head.commit if isinstance(head, GitTreeReader) else None
    scan = gitrepo.start_changed_paths(ws.repo, base.commit, head_commit, base.prefix)
    # git takes ~0.15 s to scan 100k files: load what comes next meanwhile.
    from ldifctl.diff import snapshots as diff
    from ldifctl.policy import check as policy_check
    from ldifctl.policy.structure import check_entries
    from ldifctl.repo import base_settings
    from ldifctl.repo.entries import read  # noqa: F401
    from ldifctl.repo.tree_index import TreeIndex

    head_ws = ws
    ws, notices = base_settings.judging_workspace(ws, base, head)
    policies = policy_check.base_policies(ws, base)
    changed = scan()
    old = tree.load(base, ws.schema, only=changed)
    new = tree.load(head, ws.schema, only=changed)

    def structure() -> list[Finding]:
        index = TreeIndex(head, ws.schema)
        return index.collisions(changed) + check_entries(
            new, ws.schema, ws.config.base_dns, index.has_entry, ws.display(ws.directory)
        )

    # The state key names the file names and contents of the whole head state, which is
    # all these checks read: their findings are cached with the policies'.
    findings = policy_check.head_findings(ws, base, head, changed, policies, structure)
    # Said on every plan, cached or not: about the change, not the state.
    notices += policy_check.policy_change_notice(head_ws, policies, head)
    changes = diff.diff(old, new, exact_case)
    return Plan(base.label, head.label, tuple(changes), tuple(sorted(findings + notices)))
