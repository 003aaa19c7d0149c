"""The routing impact of a change, kept like its findings (findings.py): planned again
(CI re-run, a second look), the change is not resolved again.

Routing impact reads both states and the `mail:` tables of both sides, so its key
(`routing_key`) names the head state as the findings' key does (`keys.state_key`:
ldifctl's code, the base's settings, the base tree and every changed file's content),
and beside it the head's `ldifctl.yaml` and the two states' labels (an impact names its
files as the state does: `HEAD:directory/x.yaml:3`). The file is sealed (files.py); a
stored impact of another shape is not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any

from ldifctl.cache import files as cache_files
from ldifctl.cache.head_tree import HeadTree
from ldifctl.cache.keys import folder, state_key
from ldifctl.mail.address_impact import AddressImpact, Edge, Outcome
from ldifctl.repo.workspace import Workspace

ROUTING = "routing.json"
KEPT_CHANGES = 16  # the impacts of this many changes are kept; older ones are dropped


def routing_key(judging: Workspace, head: Workspace, state: HeadTree, labels: str) -> str:
    """Everything a change's routing impact depends on (see the module's doc)."""
    tables = hashlib.sha256(head.config.source).hexdigest()
    return state_key(judging, state, f"routing\0{tables}\0{labels}")


def cached_routing(ws: Workspace, key: str) -> tuple[AddressImpact, ...] | None:
    rows = _read(ws).get(key)
    try:
        return tuple(_impact(row) for row in rows) if type(rows) is list else None
    except (TypeError, ValueError):
        return None  # not the shape stored: resolve it again


def store_routing(ws: Workspace, key: str, impacts: tuple[AddressImpact, ...]) -> None:
    kept = _read(ws)
    kept.pop(key, None)
    kept[key] = [_row(i) for i in impacts]
    data = json.dumps(dict(list(kept.items())[-KEPT_CHANGES:])).encode()
    with contextlib.suppress(OSError):  # a read-only clone: resolved again next time
        cache_files.write(folder(ws) / ROUTING, data, ws.environ)


def _row(impact: AddressImpact) -> list[Any]:
    return [
        impact.address,
        [impact.before.status, impact.before.destinations],
        [impact.after.status, impact.after.destinations],
        [[e.source, e.target, e.kind] for e in impact.old_edges],
        [[e.source, e.target, e.kind] for e in impact.new_edges],
        list(impact.files),
        impact.steps_kept,
    ]


def _impact(row: list[Any]) -> AddressImpact:
    address, before, after, old_edges, new_edges, files, steps_kept = row
    if type(steps_kept) is not bool:
        raise TypeError(f"not a flag: {steps_kept!r}")
    return AddressImpact(
        _text(address), _outcome(before), _outcome(after),
        tuple(Edge(*map(_text, e)) for e in old_edges),
        tuple(Edge(*map(_text, e)) for e in new_edges),
        tuple(map(_text, files)),
        steps_kept,
    )


def _outcome(data: list[Any]) -> Outcome:
    status, destinations = data
    return Outcome(_text(status), tuple((_text(a), _text(k)) for a, k in destinations))


def _text(value: object) -> str:
    if type(value) is not str:
        raise TypeError(f"not a text: {value!r}")
    return value


def _read(ws: Workspace) -> dict[str, Any]:
    sealed = cache_files.read(folder(ws) / ROUTING, ws.environ)
    try:
        data = json.loads(sealed) if sealed is not None else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
