"""Judging a state by what changed since the last state judged in full: one edited entry
costs the few entries it shares addresses with, not the whole directory.

Every finding about an entry is at that entry's file (`Finding.where`), and an edit can
change the findings of no other entries than these ("touched"):

- the edited files themselves, and for the structure checks the children of an entry
  added or deleted (missing-parent);
- the entries that claim an address an edited entry claims or claimed (unique-aliases);
- those that forward to such an address, whose lookup may now answer otherwise
  (dangling-forward);
- the claimers of every forwarding loop, before or after, through an address whose
  forwards may have changed (no-forward-loops: a loop can form, break or merge).

Those entries are judged again by the very rules (engine.py, structure.py), on a small
state made of them and of every entry their findings read, found in the address index
(mail/columns/address_index.py): the claimers of the addresses they claim or forward
to, the entries the domain tables find, the table bases, the claimers of every loop
through their addresses. Every other finding is kept as it was.

When the index cannot tell — catch-all keys or an odd table (`AddressIndex.local`), a
custom `unique` rule (it compares values across entries), an edited hosted domain, a
file that does not load, a table base that is no entry, more than MAX_CHANGED files —
`rejudge` says None and the state is judged whole. tests/policy/test_incremental.py
holds the answer to a full judgement on random edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ldifctl.cache import judged
from ldifctl.cache.head_tree import HeadTree
from ldifctl.cache.judged import Prior
from ldifctl.mail.columns.address_index import AddressIndex
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.columns.index_build import Gathered, build, gather
from ldifctl.model.findings import Finding
from ldifctl.model.snapshot import Entry
from ldifctl.policy.engine import UNLISTED, beyond_listing
from ldifctl.policy.files import Policies
from ldifctl.policy.touched import (
    MAX_TOUCHED,
    Rejudging,
    Unloadable,
    owner,
    relpath,
    table_bases,
)
from ldifctl.repo import tree
from ldifctl.repo.entry_names import hidden
from ldifctl.repo.tree_index import TreeIndex, loose_key
from ldifctl.repo.workspace import Workspace

MAX_CHANGED = 256  # past this, judging the whole state costs about as much
# Up to this many files changed, the next run starts from the same prior state: storing
# 100k entries' index costs more than judging a few files again.
KEEP_PRIOR = 32


@dataclass
class Rejudged:
    findings: list[Finding]
    entries: int  # how many the state holds
    prior: Prior | None  # the new state as judged, to start the next run from


def addresses(state: HeadTree, entries: list[Entry], amap: AddressMap | None) -> Gathered:
    """What `remember` keeps of a state judged whole (`entries`: all of it), the
    addresses of its entries by file: it holds no entry (mail/columns/index_build.py), so
    the caller lets the entries go before the index is built."""
    if amap is not None:  # the rules are done: what they read goes before more is made
        amap.router.tree.forget()
    root = len(state.where(""))
    names = [relpath(e, root) for e in entries if e.origin is not None]
    return gather(names, amap, lambda node: relpath(node.entry, root))


def remember(
    ws: Workspace, purpose: str, state: HeadTree, gathered: Gathered, findings: list[Finding]
) -> None:
    """Keep a state judged whole for the next run to start from: its findings, and the
    index of its addresses (`gathered`: see `addresses`). Not one whose findings of a rule
    were too many to list: the next run could not tell the findings it keeps from those
    left out, and judges the state whole."""
    if any(f.where == UNLISTED for f in findings):
        return
    index = build(gathered)
    base, changed = judged.state_name(state)
    contents = judged.pack_contents(index.names, state.files())
    prior = Prior(base, changed, findings, index.as_data(), contents)
    judged.write_prior(ws, purpose, state, prior)


def rejudge(
    ws: Workspace, state: HeadTree, prior: Prior, policies: Policies, structure: bool
) -> Rejudged | None:
    """The findings of `state` from those of `prior` (None: judge it whole); with
    `structure`, the structure checks' findings as well as the rules'."""
    if _compares_values(policies):
        return None
    started = _started(ws, state, prior, policies)
    if started is None:
        return None
    work, index, changed = started
    count = len(index.ids) - len(work.gone) + len(work.came)
    try:
        judged_again = _judged(work, index, structure, work.came | work.gone)
    except Unloadable:
        return None
    if judged_again is None:
        return None
    touched, found = judged_again
    root = state.where("")
    kept = [f for f in prior.findings if f.dn and owner(f, root) not in touched]
    findings = sorted(set(kept + found))
    if beyond_listing(findings, {s.id for s in policies.active()}):
        return None  # a whole judgement lists the first of them, and counts the rest
    base, changed_ids = judged.state_name(state)
    if len(changed) <= KEEP_PRIOR:
        return Rejudged(findings, count, None)
    ids = _ids(state, changed)
    contents = judged.carried_contents(prior, len(index.names), index.ids, ids, changed)
    return Rejudged(findings, count, Prior(base, changed_ids, findings, index.as_data(), contents))


def _ids(state: HeadTree, changed: set[str]) -> dict[str, str]:
    """The content ids of the `changed` files, as `HeadTree.files` gives them, without a
    listing: a file the base holds as it is (put back, or changed by a commit) has the id
    git gave when the file was loaded as changed (`_load_changed` asks for each)."""
    back = state.base.known_blobs(p for p in changed if p not in state.changed)
    return {**back, **state.changed_ids()}


def _started(
    ws: Workspace, state: HeadTree, prior: Prior, policies: Policies
) -> tuple[Rejudging, AddressIndex, set[str]] | None:
    """The prior state's index, the changed files loaded, and which they are (None: the
    state is judged whole)."""
    changed = judged.changed_since(ws, prior, state)
    if changed is None or len(changed) > MAX_CHANGED:
        return None
    fresh = _load_changed(ws, state, {p for p in changed if not hidden(p)})
    if fresh is None:
        return None
    index = AddressIndex.from_data(prior.index)
    before = index.ids  # every entry file of the prior state
    gone = {p for p in changed if p in before and p not in fresh}
    came = fresh.keys() - before.keys()
    if TreeIndex(state, ws.schema).collisions(came):
        return None  # two files for one DN: loading the whole state says which

    def blob(path: str) -> str | None:  # of a file unchanged since the prior state
        number = index.ids.get(path)  # the number it had there: kept while unchanged
        return None if number is None else prior.blob_of(number)

    return Rejudging(ws, state, policies, fresh, gone, came, blob), index, changed


def current_index(
    ws: Workspace, state: HeadTree, prior: Prior, policies: Policies
) -> tuple[Rejudging, AddressIndex] | None:
    """The address index of `state` (the prior's, brought up to date), and the work that
    did it, to read more entries of the state with (None: the index cannot tell)."""
    started = _started(ws, state, prior, policies)
    if started is None:
        return None
    work, index, changed = started
    if not changed:  # the prior state is this one: its index is as it is
        work.bases = table_bases(work.mail, index)
        return work, index
    try:
        return None if work.touched(index) is None else (work, index)
    except Unloadable:
        return None


def _judged(
    work: Rejudging, index: AddressIndex, structure: bool, came_or_went: set[str]
) -> tuple[set[str], list[Finding]] | None:
    """The entries touched and their findings (None: judge the whole state)."""
    touched = work.touched(index)  # brings the index up to date
    if touched is None:
        return None
    if structure and came_or_went:
        children = _children(index.ids.keys(), came_or_went)
        if children is None:
            return None
        touched |= children
    found = work.judge(touched, index, structure)
    return None if found is None else (touched, found)


def _compares_values(policies: Policies) -> bool:
    return any(s.kind == "unique" for s in policies.active())


def _load_changed(ws: Workspace, state: HeadTree, files: set[str]) -> dict[str, Entry] | None:
    """The changed entry files that are there, parsed (None: one would not load)."""
    if any(not p.endswith(".yaml") for p in files):
        return None
    ids = state.changed_ids()
    present = {p for p in files if p in state.changed and p in ids}
    present.update(state.base.present({p for p in files if p not in state.changed}))
    if state.not_regular(present):
        return None
    parsed = dict(tree.parse_files(state, ws.schema, sorted(present)))
    if any(isinstance(e, str) for e in parsed.values()):
        return None
    return {p: e for p, e in parsed.items() if isinstance(e, Entry)}


def _children(paths: Iterable[str], came_or_went: set[str]) -> set[str] | None:
    """Entry files whose parent is one of `came_or_went` (None: too many to judge)."""
    if not came_or_went:
        return set()
    wanted = {_folder_key(p[: -len(".yaml")]) for p in came_or_went}
    keys: dict[str, str] = {}
    found = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        key = keys.get(folder)
        if key is None:
            key = keys[folder] = _folder_key(folder)
        if key in wanted:
            found.add(path)
    return found if len(found) <= MAX_TOUCHED else None


def _folder_key(folder: str) -> str:
    return "/".join(map(loose_key, folder.split("/")))
