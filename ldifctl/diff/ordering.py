"""Putting change records in an order the server accepts.

Deletes go deepest-first and adds parent-first, but renames tie them together: an entry
moved under a new parent needs that parent first, a parent can only go once its children
have been deleted or moved out, and a DN must be vacated before it is reused. Those are
edges of a graph; the order is a topological sort with deterministic tie-breaks.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from ldifctl.model import dn as dnmod
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Schema

_RANK = {Add: 0, ModRdn: 1, Modify: 2, Delete: 3}


def exec_dn(change: Change) -> str:
    """The DN the operation names when it is sent."""
    return change.dn


def created_dn(change: Change) -> str | None:
    if isinstance(change, Add):
        return change.dn
    return change.new_dn if isinstance(change, ModRdn) else None


def vacated_dn(change: Change) -> str | None:
    return change.dn if isinstance(change, Delete | ModRdn) else None


def _chain(dn: str, schema: Schema, include_self: bool) -> list[dnmod.DnKey]:
    k = schema.dn_key(dn)
    return [k[i:] for i in range(0 if include_self else 1, len(k))]


def _acts_on_new(change: Change) -> bool:
    """Deletes and renames name the old entry: only an ancestor's rename comes before them."""
    return isinstance(change, Add | Modify)


def _prerequisites(change: Change, schema: Schema) -> list[dnmod.DnKey]:
    """DNs that must exist (at their new place) before the change is sent."""
    return _chain(exec_dn(change), schema, include_self=isinstance(change, Modify))


Edges = dict[int, set[int]]


def _edges(changes: list[Change], schema: Schema) -> Edges:
    """i -> {j}: change i must succeed before change j is sent."""
    after: Edges = defaultdict(set)
    _needs_parents(changes, schema, after)
    _needs_vacant_dn(changes, schema, after)
    _children_leave_first(changes, schema, after)
    return after


def _needs_parents(changes: list[Change], schema: Schema, after: Edges) -> None:
    creators = {schema.dn_key(d): i for i, c in enumerate(changes) if (d := created_dn(c))}
    if not creators:  # only modifies and deletes (a drift of 100k modifies): no edge
        return
    for i, c in enumerate(changes):
        needed = _prerequisites(c, schema)
        if isinstance(c, ModRdn) and c.new_superior:
            needed += _chain(c.new_dn, schema, include_self=False)
        for k in needed:
            j = creators.get(k)
            if j is not None and j != i and (isinstance(changes[j], ModRdn) or _acts_on_new(c)):
                after[j].add(i)


def _needs_vacant_dn(changes: list[Change], schema: Schema, after: Edges) -> None:
    vacators = {schema.dn_key(d): i for i, c in enumerate(changes) if (d := vacated_dn(c))}
    if not vacators:
        return
    for i, c in enumerate(changes):
        target = created_dn(c)
        if target and (j := vacators.get(schema.dn_key(target))) is not None and j != i:
            after[j].add(i)


def _children_leave_first(changes: list[Change], schema: Schema, after: Edges) -> None:
    leaving: dict[dnmod.DnKey, list[int]] = defaultdict(list)
    for i, c in enumerate(changes):
        if isinstance(c, Delete | ModRdn):
            leaving[schema.dn_key(c.dn)[1:]].append(i)
    for i, c in enumerate(changes):
        if isinstance(c, Delete):
            for j in leaving.get(schema.dn_key(c.dn), ()):
                after[j].add(i)


def _priority(change: Change, index: int) -> tuple[int, int, str, int]:
    depth = dnmod.depth(change.dn)
    return (
        _RANK[type(change)],
        -depth if isinstance(change, Delete) else depth,
        change.dn.lower(),
        index,
    )


def order_changes(changes: list[Change], schema: Schema) -> list[Change]:
    after = _edges(changes, schema)
    waiting = [0] * len(changes)
    for targets in after.values():
        for t in targets:
            waiting[t] += 1
    ready = [_priority(c, i) for i, c in enumerate(changes) if not waiting[i]]
    heapq.heapify(ready)
    out: list[Change] = []
    while ready:
        *_, i = heapq.heappop(ready)
        out.append(changes[i])
        for t in after.get(i, ()):
            waiting[t] -= 1
            if not waiting[t]:
                heapq.heappush(ready, _priority(changes[t], t))
    if len(out) != len(changes):
        stuck = sorted(c.dn for i, c in enumerate(changes) if waiting[i])
        raise LdifctlError(
            "the change set cannot be ordered (renames that swap DNs?): "
            + ", ".join(stuck)
            + "; split the change into two commits"
        )
    return out
