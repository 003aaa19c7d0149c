"""Putting change records in an order the server accepts.

Deletes go deepest-first and adds parent-first, but renames tie them together: an entry
moved under a new parent needs that parent first, a parent can only go once its children
have been deleted or moved out, and a DN must be vacated before it is reused. Those are
edges of a graph; the order is a topological sort with deterministic tie-breaks.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from ldifctl import dn as dnmod
from ldifctl.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.errors import LdifctlError
from ldifctl.schema import Schema

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


def _edges(changes: list[Change], schema: Schema) -> dict[int, set[int]]:
    creators = {schema.dn_key(d): i for i, c in enumerate(changes) if (d := created_dn(c))}
    vacators = {schema.dn_key(d): i for i, c in enumerate(changes) if (d := vacated_dn(c))}
    leaving: dict[dnmod.DnKey, list[int]] = defaultdict(list)
    for i, c in enumerate(changes):
        if isinstance(c, Delete | ModRdn):
            leaving[schema.dn_key(c.dn)[1:]].append(i)
    after: dict[int, set[int]] = defaultdict(set)
    for i, c in enumerate(changes):
        for k in _chain(exec_dn(c), schema, include_self=not isinstance(c, Add)):
            if (j := creators.get(k)) is not None and j != i:
                after[j].add(i)
        target = created_dn(c)
        if isinstance(c, ModRdn) and c.new_superior:
            for k in _chain(c.new_dn, schema, include_self=False):
                if (j := creators.get(k)) is not None and j != i:
                    after[j].add(i)
        if target and (j := vacators.get(schema.dn_key(target))) is not None and j != i:
            after[j].add(i)
        if isinstance(c, Delete):
            for j in leaving.get(schema.dn_key(c.dn), ()):
                after[j].add(i)
    return after


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
