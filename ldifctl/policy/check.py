"""Where the policies meet `validate`, `apply` and `plan`.

`plan` is incremental (it parses only the files a change touches), yet policies judge the
whole head state: that state comes from the state cache, and the policies from the base
revision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ldifctl.cache import findings as findings_cache
from ldifctl.cache import judged as judged_cache
from ldifctl.cache import states as state_cache
from ldifctl.cache.head_tree import HeadTree
from ldifctl.cache.judged import Prior
from ldifctl.cache.keys import state_key
from ldifctl.mail.settings import MailConfig
from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.policy.files import Policies, PolicySource
from ldifctl.policy.sources import revision_source, source_for, worktree_policies
from ldifctl.policy.structure import STRUCTURE_RULES
from ldifctl.repo.files import NotRegularError
from ldifctl.repo.readers import GitTreeReader, TreeReader
from ldifctl.repo.settings.mail import parse_mail
from ldifctl.repo.workspace import Workspace

if TYPE_CHECKING:
    from ldifctl.mail.columns.address_map import AddressMap
    from ldifctl.mail.tree import EntrySet


def mail_config(ws: Workspace) -> MailConfig:
    return parse_mail(ws.config.mail, ws.schema)


def state_findings(
    ws: Workspace,
    snapshot: EntrySet,
    policies: Policies | None = None,
    repo: bool = True,
    addresses: Callable[[AddressMap | None], None] | None = None,
) -> list[Finding]:
    """The policy findings on a loaded state (the working tree's policies by default);
    `repo`: the state is entry files, not an LDIF file or the server. `addresses` is
    given the address map the rules read (None: none did), to judge the next state by
    what changed (incremental.py)."""
    from ldifctl.policy import (
        engine as policy_engine,  # a cached plan never runs the rules: load them here
    )

    chosen = policies or worktree_policies(ws)
    mail = mail_config(ws)
    found, amap = policy_engine.judge(snapshot, mail, chosen, ws.config.base_dns, repo)
    if addresses is not None:
        addresses(amap)
    return found


def base_policies(ws: Workspace, base: GitTreeReader) -> PolicySource:
    """The policies that judge a plan: the base revision's (parsed only when needed)."""
    return revision_source(ws, base.commit, base.label)


def head_findings(
    ws: Workspace,
    base: GitTreeReader,
    head: TreeReader,
    changed: set[str],
    policies: PolicySource,
    structure: Callable[[], list[Finding]] = list,
) -> list[Finding]:
    """Every finding on the whole head state, through the cache: `structure()` (checks
    that depend on the same state) and the base revision's policies.

    `changed` is what git reports changed between the two: the rest is the base's."""
    state = HeadTree(base, head, changed)
    key = state_key(ws, state, policies.digest)
    cached = findings_cache.cached_findings(ws, key)
    findings = None if cached is None else cached.findings
    if findings is None:
        judged = _judged(ws, state, policies)
        findings = structure() + (judged if judged is not None else [not_run(ws, head)])
        if judged is not None:
            findings_cache.store_findings(ws, key, findings)
    return findings


def _judged(ws: Workspace, state: HeadTree, policies: PolicySource) -> list[Finding] | None:
    """The policies on the whole state (None: it does not load): by what changed since
    the last state judged, or whole (the entries parsed for it are saved meanwhile)."""
    if not policies.policies.active():
        return []  # nothing judges the state: no need to load it
    from ldifctl.policy import incremental

    purpose = plan_purpose(policies)
    prior = head_prior(ws, policies, state)
    again = prior and incremental.rejudge(ws, state, prior, policies.policies, structure=False)
    if again:
        if again.prior is not None:
            judged_cache.write_prior(ws, purpose, state, again.prior)
        return again.findings
    try:
        # Stored as it loads, in this process: the rows are let go before the rules build
        # their tables, and no fork copies the pages of the loaded state (a cold load
        # stored half of them already: cache/entry_rows.py).
        snapshot = state_cache.load_state(ws, state, store=True)
    except NotRegularError:
        raise  # a link is refused by every command, whichever files a change touches
    except LdifctlError:  # what breaks the state is reported on its own
        return None
    amap: list[AddressMap | None] = []
    findings = state_findings(ws, snapshot, policies.policies, addresses=amap.append)
    gathered = incremental.addresses(state, snapshot.entries, amap.pop())
    del snapshot  # the entries go before the index is built (as in validation.py)
    incremental.remember(ws, purpose, state, gathered, findings)
    return findings


def plan_purpose(policies: PolicySource) -> str:
    """What names a plan's judgement of a head state in the cache (cache/judged.py)."""
    return f"plan\0{policies.digest}"


def head_prior(ws: Workspace, policies: PolicySource, state: HeadTree) -> Prior | None:
    """The judgement a plan of `state` starts from: the last plan's, else `validate`'s."""
    return judged_cache.read_prior(ws, plan_purpose(policies), state) or _validated(
        ws, policies, state
    )


def validate_purpose(policies: PolicySource) -> str:
    """What names `validate`'s judgement of a state: the rules' findings and the
    structure checks' of every entry."""
    return f"validate\0{policies.digest}"


def _validated(ws: Workspace, policies: PolicySource, state: HeadTree) -> Prior | None:
    """The state `validate` judged last with these very policies and settings (the
    pre-commit hook's, before the first `plan`), to start from: one edit away, it spares
    judging 100k entries whole. Its findings but the structure checks': a plan reports
    those of the changed files alone."""
    if any(s.id in STRUCTURE_RULES for s in policies.policies.active()):
        return None  # a custom rule named like one: its findings could not be told apart
    prior = judged_cache.read_prior(ws, validate_purpose(policies), state)
    if prior is not None:
        prior.findings = [f for f in prior.findings if f.rule not in STRUCTURE_RULES]
    return prior


def not_run(ws: Workspace, head: TreeReader) -> Finding:
    folder = ws.display(ws.config.policies_path)
    message = (
        f"the policies did not run: {head.label} does not load as a whole (two files for one "
        "DN, or a broken file); fix the errors, then plan again"
    )
    return Finding(folder, "policy-source", "warning", "", message)


def policy_change_notice(ws: Workspace, base: PolicySource, head: TreeReader) -> list[Finding]:
    """Say so when the change edits the policies: they judge only the next change (never
    parsed here: a change's own policy files are the pull request author's input)."""
    if source_for(ws, head).digest == base.digest:
        return []
    folder = ws.display(ws.config.policies_path)
    message = (
        f"this change edits {folder}/: its findings use the policies of the base revision "
        "(a change cannot relax the rules that judge it); the new policies apply once it "
        "is merged"
    )
    return [Finding(folder, "policy-source", "warning", "", message)]
