"""Checking a state: structure and schema rules (and the mail policies) on a snapshot."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from ldifctl import bulk
from ldifctl.cache import findings as findings_cache
from ldifctl.cache import judged as judged_cache
from ldifctl.cache import states as state_cache
from ldifctl.cache.head_tree import HeadTree
from ldifctl.cache.keys import state_key
from ldifctl.model.findings import Finding
from ldifctl.model.snapshot import Snapshot
from ldifctl.policy import check as policy_check
from ldifctl.policy import mail_checks
from ldifctl.policy.files import Policies, PolicySource
from ldifctl.policy.sources import worktree_source
from ldifctl.policy.structure import check_entries, entry_checks
from ldifctl.repo import bounds, readers, tree
from ldifctl.repo.readers import worktree
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.specs import WORKTREE

if TYPE_CHECKING:
    from ldifctl.mail.columns.address_map import AddressMap


def check_state(
    ws: Workspace,
    snapshot: Snapshot,
    policies: Policies | None = None,
    also: Callable[[], None] = lambda: None,
    repo: bool = True,
    addresses: Callable[[AddressMap | None], None] | None = None,
    checked: list[Finding] | None = None,
    fork: bool = True,
) -> list[Finding]:
    """Every finding about a whole desired state; `apply` refuses when any is an error.
    Judged by the working tree's policies unless others (a base revision's) are given;
    `also` runs beside the structure checks, after the policies (storing what was
    parsed, say). Unless `repo` (the state is entry files), the rules about what the
    repo may hold are left out: a dump may hold passwords and more than base_dn.
    `addresses` is given the address map the rules read (policy/check.py). `checked`:
    what the checks of each entry alone (`entry_checks`) found, run as it was parsed.
    Unless `fork`, both passes run in this process (no second core, no copied pages)."""

    def structure() -> list[Finding]:
        return check_entries(
            snapshot,
            ws.schema,
            ws.config.base_dns,
            lambda d: snapshot.get_dn(d) is not None,
            ws.display(ws.directory),
            repo,
            None if checked is None else _already,
        )

    def mail() -> list[Finding]:
        found = policy_check.state_findings(ws, snapshot, policies, repo, addresses)
        also()  # the policies take about as long as the structure checks: balance them
        return found

    if checked is not None:  # what is left of the structure checks is light: no fork
        return sorted(mail() + structure() + checked)
    # Independent passes over the tree: the structure checks go to the second core.
    found, more = bulk.side_by_side(mail, structure, size=len(snapshot) if fork else 0)
    return sorted(found + more)


def _already(entry: object) -> list[Finding]:
    return []


def validate(ws: Workspace) -> tuple[int, list[Finding]]:
    """`validate`: load the working tree and check it. How many entries it holds, and
    the findings.

    In a git repo the state goes through the caches `plan` uses: only files not seen
    before are parsed, and a state already judged (the same file names and contents,
    settings and policies) is answered with its findings.
    """
    policies = worktree_source(ws)  # parsed only when needed
    count, findings = _validated(ws, policies)
    # What a first day trips on, said where a repo's setup is judged: a rule that has not
    # got the tables it reads (no mail: section) would pass everything in silence.
    mail = policy_check.mail_config(ws)
    if mail_checks.has_every_table(mail):
        return count, findings
    return count, sorted(findings + mail_checks.unrunnable(mail, policies.policies.active()))


def _validated(ws: Workspace, policies: PolicySource) -> tuple[int, list[Finding]]:
    state = state_cache.head_state(ws, WORKTREE) if ws.directory.is_dir() else None
    if state is None:  # no commit yet, or no git: every file is parsed
        snapshot = tree.load(worktree(ws), ws.schema)
        return len(snapshot), check_state(ws, snapshot, policies.policies)
    purpose = policy_check.validate_purpose(policies)
    key = state_key(ws, state, purpose)
    judged = findings_cache.cached_findings(ws, key)
    if judged is not None and judged.entries is not None:
        return judged.entries, judged.findings
    count, findings = _judged_again(ws, state, policies, purpose) or _judged_whole(
        ws, state, policies, purpose
    )
    _quietly(lambda: findings_cache.store_findings(ws, key, findings, count))
    return count, findings


def _judged_again(
    ws: Workspace, state: HeadTree, policies: PolicySource, purpose: str
) -> tuple[int, list[Finding]] | None:
    """By what changed since the last state judged (policy/incremental.py)."""
    from ldifctl.policy import incremental

    prior = judged_cache.read_prior(ws, purpose, state)
    again = prior and incremental.rejudge(ws, state, prior, policies.policies, structure=True)
    if not again:
        return None
    # Counted as a whole read counts them, or a state would grow past the bound an edit
    # at a time, and be refused on a fresh clone only.
    bounds.refuse_too_many(again.entries, readers.shown(state), "files")
    if again.prior is not None:
        judged_cache.write_prior(ws, purpose, state, again.prior)
    return again.entries, again.findings


def _judged_whole(
    ws: Workspace, state: HeadTree, policies: PolicySource, purpose: str
) -> tuple[int, list[Finding]]:
    # Stored as it loads: the rows are let go before the rules build their tables.
    loaded = state_cache.load_state(ws, state, entry_checks(ws.schema), store=True)
    snapshot = Snapshot.keyed(loaded.label, ws.schema, loaded.pairs, loaded.names)
    from ldifctl.policy import incremental

    amap: list[AddressMap | None] = []
    findings = check_state(
        ws, snapshot, policies.policies, addresses=amap.append, checked=loaded.found
    )
    count, gathered = len(snapshot), incremental.addresses(state, loaded.entries, amap.pop())
    # The entries go before their addresses are sorted into the index: kept, they made
    # the peak of a cold run (incremental.remember, mail/columns/index_build.py).
    del snapshot, loaded
    incremental.remember(ws, purpose, state, gathered, findings)
    return count, findings


def _quietly(write: Callable[[], None]) -> None:
    """Write a cache, or go on without it (a read-only clone is still validated)."""
    with contextlib.suppress(OSError):
        write()
