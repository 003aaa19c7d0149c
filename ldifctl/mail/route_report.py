"""A route (`ldifctl resolve`) as text for people and as JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

from ldifctl.mail.addresses import fold
from ldifctl.mail.routing import Destination, Found, Hop, Route
from ldifctl.mail.tables import Hit
from ldifctl.model.errors import printable


def status(route: Route) -> str:
    """A loop Postfix meets at its expansion limit (a fan-out in the cycle) rather than its
    nesting limit is deferred for that, as Postfix logs it; the loop is named either way."""
    if route.error:
        return "unknown" if route.unknown else "deferred"
    if route.loop:
        return "loop"
    return "delivered" if route.delivered else "undeliverable"


def hop_kind(hop: Hop) -> str:
    """389's mailForwardingAddress forwards; postfix-book's mailAlias -> mail is an alias."""
    return "forward" if any("forward" in a.lower() for a in hop.found.table.regular) else "alias"


def _sources(found: Found, address: str) -> str:
    """Which table answered, through which entries (and the catch-all key if one)."""
    entries = "; ".join(f"{h.node.entry.dn} ({_where(found, h)})" for h in found.hits)
    via = f" via {found.key}" if found.key != fold(address) else ""
    return f"{found.table.spec.name}{via}: {entries}"


def _where(found: Found, hit: Hit) -> str:
    return hit.node.entry.where(found.table.result_attribute(hit.node))


def text(route: Route) -> str:
    lines = [route.address]
    for hop in route.hops:
        lines.append(f"  {hop_kind(hop):<13} {hop.address} -> {', '.join(hop.found.targets)}")
        lines.append(f"  {'':<13} {_sources(hop.found, hop.address)}")
    for destination in route.destinations:
        lines += _destination_lines(destination)
    loop = " -> ".join(route.loop)
    if route.error:
        through = f", through the forwarding loop {loop}" if loop else ""
        lines.append(f"  {status(route):<13} {route.error}{through}")
    elif route.loop:
        lines.append(
            f"  {'loop':<13} {loop}: Postfix expands it until its nesting limit and "
            "defers the mail"
        )
    # Addresses and DNs come from entries: each line stays one line (model/errors.py).
    return "\n".join(map(printable, [*lines, status(route)])) + "\n"


def _destination_lines(destination: Destination) -> list[str]:
    line = f"  {destination.kind:<13} {destination.address}"
    if destination.found is not None:
        return [line, f"  {'':<13} {_sources(destination.found, destination.address)}"]
    if destination.kind == "external":
        return [line + "  (not a hosted domain: Postfix sends it on)"]
    return [line + f"  ({destination.reason})"]


def as_json(route: Route) -> str:
    data = {
        "address": route.address,
        "status": status(route),
        "hops": [
            {
                "kind": hop_kind(h),
                "from": h.address,
                "to": list(h.found.targets),
                **_found_json(h.found),
            }
            for h in route.hops
        ],
        "destinations": [_destination_json(d) for d in route.destinations],
        "loop": list(route.loop),
        "error": route.error,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _found_json(found: Found) -> dict[str, Any]:
    entries = [{"dn": h.node.entry.dn, "where": _where(found, h)} for h in found.hits]
    return {"table": found.table.spec.name, "key": found.key, "entries": entries}


def _destination_json(destination: Destination) -> dict[str, Any]:
    out: dict[str, Any] = {"address": destination.address, "kind": destination.kind}
    if destination.found is not None:
        out.update(_found_json(destination.found))
    if destination.reason:
        out["reason"] = destination.reason
    return out
