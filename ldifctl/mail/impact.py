"""What a change does to mail: every address whose routing differs between two states.

An address counts when either state's tables can look it up or route mail to it. Which
addresses a change can touch is worked out from the changed entries alone: the addresses
(and domains) their values name, every address of a domain whose hosting or catch-all
they change, and, again and again, every address whose alias lookup leads to one of
those. A changed entry that keeps its DN and every attribute the tables search or return
(table_reads.py: `kept_for_routing`) names none: every lookup answers as before. Each
address named is then resolved in both states as `resolve` does; only those whose
outcome or route differs are reported. A change of the `mail:` tables themselves (their
order, say) can move any address: then every address either state knows is a candidate.

The states are asked through `StateView`, so that the whole-state address map can come
from wherever it is cheapest (columns/impact_view.py builds one from a loaded state).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ldifctl.model.dn import DnKey
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry

if TYPE_CHECKING:  # a plan that moves no mail never loads the routing
    from ldifctl.mail.routing import Found, Route


class StateView(Protocol):
    """One state as the impact asks it (all addresses lower-case)."""

    delimiter: str
    schema: Schema

    def route(self, address: str) -> Route:
        """Where mail to `address` goes (Router.resolve)."""
        ...

    def knows(self, address: str) -> bool:
        """Can an alias or mailbox table look it up (itself, its base, its `@domain`)?"""
        ...

    def referrers(self, addresses: set[str]) -> set[str]:
        """The alias keys whose lookup result names one of `addresses` (or one of them
        with an extension)."""
        ...

    def addresses_in(self, domains: set[str]) -> set[str]:
        """Every alias or mailbox key and every alias target in one of `domains`."""
        ...

    def every_address(self) -> set[str]: ...

    def claimed_by(self, entries: set[DnKey]) -> set[str]:
        """The keys these entries answer to in an alias or mailbox table (a template such
        as `(uid=%u)` makes keys no value spells out)."""
        ...


@dataclass(frozen=True, order=True)
class Outcome:
    """`R` of DESIGN §8: resolve's status and final destinations (address, kind)."""

    status: str
    destinations: tuple[tuple[str, str], ...]

    def text(self) -> str:
        """`a@x (mailbox), b@y (external)`; a loop, a deferral or an unknown address by name."""
        if self.status in ("delivered", "undeliverable") and self.destinations:
            return ", ".join(f"{a} ({k})" for a, k in self.destinations)
        return self.status


UNKNOWN = Outcome("unknown", ())


@dataclass(frozen=True, order=True)
class Edge:
    """One step of a route: an alias lookup (`kind` alias), or where it ends (no `target`;
    `kind` the destination's: mailbox, external, undeliverable)."""

    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class AddressImpact:
    address: str
    before: Outcome
    after: Outcome
    old_edges: tuple[Edge, ...]  # the whole route before
    new_edges: tuple[Edge, ...]  # and after
    files: tuple[str, ...]  # where the steps that changed come from (file:line, or DN)

    def reversed(self) -> AddressImpact:
        """The same routes seen the other way: what undoing the change does to mail."""
        return AddressImpact(self.address, self.after, self.before,
                             self.new_edges, self.old_edges, self.files)

    def line(self) -> str:
        """`address: before -> after`, as stderr and a drift branch's commit message say it."""
        line = f"{self.address}: {self.before.text()} -> {self.after.text()}"
        return line if self.before != self.after else line + " (by another route)"


def routing_impact(
    before: StateView,
    after: StateView,
    touched: Iterable[Entry],
    tables_changed: bool = False,
    kept: Container[DnKey] = (),
) -> list[AddressImpact]:
    """The addresses whose routing differs, sorted; `touched`: the changed entries, as
    each state holds them. `kept`: the keys of those that keep every attribute the
    tables read (table_reads.py): they answer every lookup as before, so no route
    differs for them and they name no candidate (a change of `sn` on 1,000 mailboxes
    named 3,700 addresses, each routed in both states for nothing)."""
    if tables_changed:
        candidates = before.every_address() | after.every_address()
    else:
        keyed = [(before.schema.dn_key(e.dn), e) for e in touched]
        changed = [e for key, e in keyed if key not in kept]
        keys = {key for key, _ in keyed if key not in kept}
        named = _named(changed) | before.claimed_by(keys) | after.claimed_by(keys)
        candidates = _candidates(before, after, named)
    found = (_impact(address, before, after) for address in sorted(candidates))
    return [impact for impact in found if impact is not None]


def _named(entries: Iterable[Entry]) -> set[str]:
    """Every value of the entries, lower-case: the addresses, `@domain` keys and domain
    names among them are what the change can touch (the rest matches nothing)."""
    return {
        value.decode("utf-8", "replace").strip().lower()
        for entry in entries
        for values in entry.attrs.values()
        for value in values
    }


def _candidates(before: StateView, after: StateView, named: set[str]) -> set[str]:
    domains = {v.rpartition("@")[2] for v in named if v.startswith("@") or "@" not in v}
    found = {v for v in named if "@" in v and not v.startswith("@")}
    found |= {v for v in named if v.startswith("@")}  # catch-all keys count as addresses
    found |= before.addresses_in(domains) | after.addresses_in(domains)
    frontier = set(found)
    while frontier:  # who routes to what changed, and who routes to them
        frontier = (before.referrers(frontier) | after.referrers(frontier)) - found
        found |= frontier
    return found


def _impact(address: str, before: StateView, after: StateView) -> AddressImpact | None:
    old_route = before.route(address) if before.knows(address) else None
    new_route = after.route(address) if after.knows(address) else None
    old, new = outcome(old_route), outcome(new_route)
    old_edges, new_edges = edges(old_route), edges(new_route)
    if old == new and old_edges == new_edges:
        return None
    files = _files(old_route, old_edges, new_edges) + _files(new_route, new_edges, old_edges)
    return AddressImpact(address, old, new, old_edges, new_edges, tuple(sorted(set(files))))


def outcome(route: Route | None) -> Outcome:
    from ldifctl.mail.route_report import status

    if route is None:
        return UNKNOWN
    found = tuple((d.address, d.kind) for d in route.destinations)
    return Outcome(status(route), found)


def edges(route: Route | None) -> tuple[Edge, ...]:
    if route is None:
        return ()
    found = [
        Edge(hop.address.lower(), t.lower(), "alias")
        for hop in route.hops
        for t in hop.found.targets
    ]
    found += [Edge(d.address.lower(), "", d.kind) for d in route.destinations]
    return tuple(sorted(set(found)))


def _files(route: Route | None, mine: tuple[Edge, ...], other: tuple[Edge, ...]) -> list[str]:
    """Where the steps of `route` that the other state lacks are written."""
    if route is None:
        return []
    gone = {e.source for e in mine if e not in other}
    lookups: list[tuple[str, Found]] = [(h.address, h.found) for h in route.hops]
    lookups += [(d.address, d.found) for d in route.destinations if d.found is not None]
    return [
        hit.node.entry.where(found.table.result_attribute(hit.node))
        for address, found in lookups
        if address.lower() in gone
        for hit in found.hits
    ]
