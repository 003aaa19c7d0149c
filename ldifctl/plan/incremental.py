"""A plan between two states of the repo (a revision and the working tree, or two
revisions) parses only the files git reports changed; the whole head state its checks
need comes from the cache (cache/states.py), as does its routing impact."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ldifctl.cache import untracked
from ldifctl.plan.change_set import Plan
from ldifctl.repo import tree
from ldifctl.repo.readers import FolderReader, GitTreeReader
from ldifctl.repo.workspace import Workspace

if TYPE_CHECKING:
    from ldifctl.cache.head_tree import HeadTree
    from ldifctl.mail.address_impact import AddressImpact
    from ldifctl.mail.settings import MailConfig
    from ldifctl.model.findings import Finding
    from ldifctl.model.snapshot import Snapshot
    from ldifctl.policy.files import PolicySource


def same_repo_trees(ws: Workspace, base: object, head: object) -> bool:
    worktree_dir = ws.directory.resolve()
    return isinstance(base, GitTreeReader) and (
        isinstance(head, GitTreeReader)
        or (isinstance(head, FolderReader) and head.root.resolve() == worktree_dir)
    )


class Incremental(NamedTuple):
    plan: Plan
    judging: Workspace  # the base's settings
    head: Workspace
    old: Snapshot  # the changed files only, on each side
    new: Snapshot
    state: HeadTree  # the head state: the base with the changed files replaced
    policies: PolicySource


def planned(
    ws: Workspace, base: GitTreeReader, head: GitTreeReader | FolderReader, exact_case: bool
) -> Incremental:
    """Only files git reports as changed are parsed: a 10-file change reads 10 files, not 100k."""
    commit = head.commit if isinstance(head, GitTreeReader) else None
    scan = untracked.start_changed_paths(ws, base.commit, commit, base.prefix, base.learn)
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
    # An entry re-created with entries below it that the change leaves: the whole head
    # state shows them (loaded, from the cache, only for a re-created entry).
    changes, unsendable = diff.judged_diff(old, new, exact_case, lambda: _whole(ws, state))
    findings = sorted(findings + notices + unsendable)
    found = Plan(base.label, head.label, tuple(changes), tuple(findings))
    return Incremental(found, ws, head_ws, old, new, state, policies)


def _whole(ws: Workspace, state: HeadTree) -> Snapshot:
    from ldifctl.cache.states import whole_snapshot

    return whole_snapshot(ws, state)


def whole_routing(found: Incremental, base: str, head: str) -> tuple[AddressImpact, ...]:
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
    moved = routing(found, head, mail)
    routing_cache.store_routing(found.judging, key, moved)
    return moved


def routing(
    found: Incremental, head: str, mail: tuple[MailConfig, MailConfig]
) -> tuple[AddressImpact, ...]:
    """The incremental plan parsed only the changed files; routing needs whole states.
    The head's comes from the entry cache (files it does not hold parsed afresh), and the
    base's is the head's with the changed files as the base has them."""
    from ldifctl.cache import states
    from ldifctl.mail import table_reads
    from ldifctl.model.errors import LdifctlError
    from ldifctl.policy.change_routing import routed, swapped

    if table_reads.same_tables(*mail):  # the entries near the change may tell, without loading
        near = nearby_routing_of(found, mail)
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


def nearby_routing_of(
    found: Incremental, mail: tuple[MailConfig, MailConfig]
) -> tuple[AddressImpact, ...] | None:
    from ldifctl.policy.check import head_prior
    from ldifctl.policy.nearby_impact import nearby_routing

    prior, sides = head_prior(found.judging, found.policies, found.state), (found.old, found.new)
    near = nearby_routing(found.judging, found.state, prior, found.policies.policies, sides, mail)
    return None if near is None else tuple(near)
