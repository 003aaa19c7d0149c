"""A plan: the change set between two states plus what the checks found in the new one."""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ldifctl.cache import untracked
from ldifctl.repo import tree
from ldifctl.repo.readers import FolderReader, GitTreeReader
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.load import load_changed
from ldifctl.sources.specs import reader_for

if TYPE_CHECKING:
    from ldifctl.cache.head_tree import HeadTree
    from ldifctl.mail.address_impact import AddressImpact
    from ldifctl.mail.columns.address_map import AddressMap
    from ldifctl.mail.settings import MailConfig
    from ldifctl.model.changes import Change
    from ldifctl.model.findings import Finding
    from ldifctl.model.snapshot import Snapshot
    from ldifctl.policy.files import Policies, PolicySource


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
        found = _incremental(ws, base_reader, head_reader, exact_case)  # type: ignore[arg-type]
        return dataclasses.replace(found.plan, routing=_whole_routing(found, base, head))
    from ldifctl.cache.states import load_whole
    from ldifctl.policy import change_routing
    from ldifctl.policy import sources as policy_sources
    from ldifctl.policy.structure import keyed_checks
    from ldifctl.repo import base_settings

    notices: list[Finding] = []
    head_ws = ws  # whose mail: tables route the new state
    if isinstance(base_reader, GitTreeReader):  # judged as a change to that revision
        ws, notices = base_settings.judging_workspace(ws, base_reader, head_reader)
    repo = head_reader is not None
    # Two LDIF files: their differing entries, each new entry checked on its own as read.
    files = load_changed(ws, base, head, keyed_checks(ws.schema, ws.config.base_dns, repo))
    old, new = (files.old, files.new) if files else (load_whole(ws, base), load_whole(ws, head))
    policies = policy_sources.policies_for(ws, base_reader)
    # The checks' address map of the new state routes it too, when its tables judged it.
    amap: list[AddressMap | None] = [None]
    judged = between(ws, old, new, exact_case, policies, repo=repo,
                     judged=files.whole_new if files else None,
                     addresses=amap.append if ws is head_ws else None,
                     checked=files.checked if files else None)
    # of two LDIF files only the differing records were read: routing needs the whole new one
    whole = (lambda: files.whole_new) if files else None
    return dataclasses.replace(
        judged,
        findings=tuple(sorted((*judged.findings, *notices))),
        routing=change_routing.routing(
            ws, head_ws, old, new, judged.changes, whole, amap[-1], files.as_old if files else None
        ),
    )


def between(
    ws: Workspace,
    old: Snapshot,
    new: Snapshot,
    exact_case: bool = False,
    policies: Policies | None = None,
    repo: bool = True,
    judged: Snapshot | None = None,
    addresses: Callable[[AddressMap | None], None] | None = None,
    checked: list[Finding] | None = None,
) -> Plan:
    """The plan between two fully loaded states (judged by the working tree's policies
    unless the base's are given); `repo`: `new` is entry files, not an LDIF file or the
    server. `judged`: the whole new state, when `old` and `new` hold only the entries
    that may differ (two LDIF files). `addresses` is given the checks' address map.
    `checked`: what the checks of each entry alone found, run as it was read."""
    from ldifctl import validation
    from ldifctl.diff import snapshots as diff

    # A second process for the structure checks would copy most pages of the new state
    # it reads (refcounts), +165 MB of 550 at 100k entries, to save ~0.7 s: not for a
    # diff of two LDIF files, whose reader checked each entry on the core that read it.
    findings = validation.check_state(
        ws, judged or new, policies, repo=repo, addresses=addresses, checked=checked,
        fork=judged is None,
    )
    changes = diff.diff(old, new, exact_case)
    return Plan(old.label, new.label, tuple(changes), tuple(findings))


def _same_repo_trees(ws: Workspace, base: object, head: object) -> bool:
    worktree_dir = ws.directory.resolve()
    return isinstance(base, GitTreeReader) and (
        isinstance(head, GitTreeReader)
        or (isinstance(head, FolderReader) and head.root.resolve() == worktree_dir)
    )


class _Incremental(NamedTuple):
    plan: Plan
    judging: Workspace  # the base's settings
    head: Workspace
    old: Snapshot  # the changed files only, on each side
    new: Snapshot
    state: HeadTree  # the head state: the base with the changed files replaced
    policies: PolicySource


def _incremental(
    ws: Workspace, base: GitTreeReader, head: GitTreeReader | FolderReader, exact_case: bool
) -> _Incremental:
    """Only files git reports as changed are parsed: a 10-file change reads 10 files, not 100k."""
    head_commit = head.commit if isinstance(head, GitTreeReader) else None
    scan = untracked.start_changed_paths(ws, base.commit, head_commit, base.prefix, base.learn)
    # git takes ~0.15 s to scan 100k files: load what comes next meanwhile.
    from ldifctl.cache.head_tree import HeadTree
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
    state = HeadTree(base, head, changed)  # too many files changed are refused unread
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
    found = Plan(base.label, head.label, tuple(changes), tuple(sorted(findings + notices)))
    return _Incremental(found, ws, head_ws, old, new, state, policies)


def _whole_routing(found: _Incremental, base: str, head: str) -> tuple[AddressImpact, ...]:
    """What the change does to mail; a change planned before is answered from the cache
    (cache/routing.py), like its findings."""
    from ldifctl.cache import routing as routing_cache
    from ldifctl.mail import table_reads
    from ldifctl.policy.change_routing import mail_tables

    mail = mail_tables(found.judging, found.head)
    if mail is None:
        return ()
    if table_reads.same_tables(*mail) and not table_reads.may_route(mail[1], found.old, found.new):
        return ()
    key = routing_cache.routing_key(found.judging, found.head, found.state, f"{base}\0{head}")
    cached = routing_cache.cached_routing(found.judging, key)
    if cached is not None:
        return cached
    moved = _routing(found, head, mail)
    routing_cache.store_routing(found.judging, key, moved)
    return moved


def _routing(
    found: _Incremental, head: str, mail: tuple[MailConfig, MailConfig]
) -> tuple[AddressImpact, ...]:
    """The incremental plan parsed only the changed files; routing needs whole states.
    The head's comes from the entry cache (files it does not hold parsed afresh), and the
    base's is the head's with the changed files as the base has them."""
    from ldifctl.cache import states
    from ldifctl.mail import table_reads
    from ldifctl.model.errors import LdifctlError
    from ldifctl.policy.change_routing import routed, swapped

    if table_reads.same_tables(*mail):  # the entries near the change may tell, without loading
        near = _nearby_routing(found, mail)
        if near is not None:
            return near
    try:
        new, save = states.load_snapshot(found.judging, head)
    except LdifctlError:
        if found.plan.refused:  # two files for one DN, say: its findings tell the user
            return ()
        raise
    if save is not None:
        save()
    old = swapped(new, found.new, found.old, found.old.label)
    return routed(mail, old, new, [*found.old, *found.new])


def _nearby_routing(
    found: _Incremental, mail: tuple[MailConfig, MailConfig]
) -> tuple[AddressImpact, ...] | None:
    from ldifctl.policy.check import head_prior
    from ldifctl.policy.nearby_impact import nearby_routing

    prior, sides = head_prior(found.judging, found.policies, found.state), (found.old, found.new)
    near = nearby_routing(found.judging, found.state, prior, found.policies.policies, sides, mail)
    return None if near is None else tuple(near)
