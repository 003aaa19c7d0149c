"""A plan: the change set between two states plus what the checks found in the new one
(change_set.py); between two states of the repo, made from the files that changed
(incremental.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from ldifctl.plan import incremental
from ldifctl.plan.change_set import Plan
from ldifctl.repo.readers import GitTreeReader
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.load import load_changed
from ldifctl.sources.specs import reader_for

if TYPE_CHECKING:
    from ldifctl.mail.columns.address_map import AddressMap
    from ldifctl.model.findings import Finding
    from ldifctl.model.snapshot import Snapshot
    from ldifctl.policy.files import Policies

__all__ = ["Plan", "between", "plan"]


def plan(ws: Workspace, base: str, head: str, exact_case: bool = False) -> Plan:
    found, judging = _judged(ws, base, head, exact_case)
    if judging is ws:  # the base's settings are the working tree's
        return found
    from ldifctl.cache.applied_changes import applied_changes

    changes, new = applied_changes(ws, judging.config, base, head, exact_case, found.changes)
    return dataclasses.replace(found, changes=changes, findings=tuple(sorted(found.findings + new)))


def _judged(ws: Workspace, base: str, head: str, exact_case: bool) -> tuple[Plan, Workspace]:
    base_reader, head_reader = reader_for(ws, base), reader_for(ws, head)
    if incremental.same_repo_trees(ws, base_reader, head_reader):
        found = incremental.planned(ws, base_reader, head_reader, exact_case)  # type: ignore[arg-type]
        routing = incremental.whole_routing(found, base, head)
        return dataclasses.replace(found.plan, routing=routing), found.judging
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
    ), ws


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
    """The plan between two loaded states (judged by the working tree's policies unless the
    base's are given); `repo`: `new` is entry files, not LDIF or the server. `judged`: the
    whole new state, when `old` and `new` hold only the entries that may differ (two LDIF
    files). `addresses` is given the checks' address map. `checked`: what the checks of
    each entry alone found, run as it was read."""
    from ldifctl import validation
    from ldifctl.diff import snapshots as diff

    # A second process for the structure checks would copy most pages of the new state
    # it reads (refcounts), +165 MB of 550 at 100k entries, to save ~0.7 s: not for a
    # diff of two LDIF files, whose reader checked each entry on the core that read it.
    findings = validation.check_state(ws, judged or new, policies, repo=repo,
                                      addresses=addresses, checked=checked, fork=judged is None)
    # Of two LDIF files only the entries that differ are diffed: `judged` holds the rest.
    whole = None if judged is None else (lambda: judged)
    changes, unsendable = diff.judged_diff(old, new, exact_case, whole)
    return Plan(old.label, new.label, tuple(changes), tuple(sorted(findings + unsendable)))
