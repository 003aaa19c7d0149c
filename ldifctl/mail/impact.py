"""What a change does to mail: every address whose routing differs between two states.

An address counts when either state's tables can look it up or route mail to it. Which
addresses a change can touch is worked out from the changed entries alone: the addresses
(and domains) their values name, every address of a domain whose hosting or catch-all
they change, and, again and again, every address whose alias lookup leads to one of
those (user@h4.test, when a domain alias `@h4.test -> @h1.test` sends it to a
user@h1.test named; the addresses named in a domain whose catch-all leads there). A
changed entry that keeps its DN and every attribute the tables search or return
(table_reads.py: `kept_for_routing`) names none: every lookup answers as before. Each
address named is then resolved in both states as `resolve` does; only those whose
outcome or route differs are reported. A change of the `mail:` tables themselves (their
order, say) can move any address: then every address either state knows is a candidate.
Every route is compared whole, but only the steps of the first routes are kept, and the
routes of one change cost a bounded number of lookups (address_impact.py, which holds
what an impact says).

The states are asked through `StateView`, so that the whole-state address map can come
from wherever it is cheapest (columns/impact_view.py builds one from a loaded state).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import TYPE_CHECKING, Protocol

from ldifctl.mail import address_impact as bounds
from ldifctl.mail.address_impact import UNKNOWN, UNRESOLVED, AddressImpact, Edge, Outcome
from ldifctl.mail.addresses import fold
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

    def cut(self) -> set[str]:
        """The `@domain` keys of domain aliases whose users `referrers` did not name one
        by one: past its bound (columns/domain_aliases.py), not worked out."""
        ...

    def every_address(self) -> set[str]: ...

    def work(self) -> int:
        """What the routes made so far cost: alias lookups and the results they gave."""
        ...

    def claimed_by(self, entries: set[DnKey]) -> set[str]:
        """The keys these entries answer to in an alias or mailbox table (a template such
        as `(uid=%u)` makes keys no value spells out)."""
        ...


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
    cut = before.cut() | after.cut()
    places: dict[tuple[int, str], str] = {}
    found, room = [], bounds.MAX_KEPT_STEPS
    spent = before.work() + after.work()  # the checks may have routed with them before
    for address in sorted(candidates | cut):
        if address in cut or before.work() + after.work() - spent > bounds.MAX_ROUTING_WORK:
            impact: AddressImpact | None = AddressImpact(
                address, UNRESOLVED, UNRESOLVED, (), (), (), steps_kept=False
            )
        else:
            impact = _impact(address, before, after, places, room)
        if impact is None:
            continue
        found.append(impact)
        # Once a route does not fit, none after it is kept: the picture draws the first.
        room = room - len(impact.old_edges) - len(impact.new_edges) if impact.steps_kept else -1
    return found


def _named(entries: Iterable[Entry]) -> set[str]:
    """Every value of the entries, case-folded: the addresses, `@domain` keys and domain
    names among them are what the change can touch (the rest matches nothing)."""
    return {
        fold(value.decode("utf-8", "replace").strip())
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
        # A catch-all key that routes there sends every user of its domain: those named.
        domains = {v[1:] for v in frontier if v.startswith("@")}
        frontier |= (before.addresses_in(domains) | after.addresses_in(domains)) - found
        found |= frontier
    return found


def _impact(
    address: str,
    before: StateView,
    after: StateView,
    places: dict[tuple[int, str], str],
    room: int,
) -> AddressImpact | None:
    """`places`: each entry's attribute as `file:line`, made once for every route; `room`:
    how many steps the impact may keep (address_impact.MAX_KEPT_STEPS)."""
    old_route = before.route(address) if before.knows(address) else None
    new_route = after.route(address) if after.knows(address) else None
    old, new = outcome(old_route), outcome(new_route)
    old_edges, new_edges = steps(old_route), steps(new_route)
    if old == new and old_edges == new_edges:
        return None
    files = _files(old_route, old_edges, new_edges, places)
    files |= _files(new_route, new_edges, old_edges, places)
    kept = len(old_edges) + len(new_edges) <= room
    return AddressImpact(
        address, old, new,
        tuple(sorted(old_edges)) if kept else (), tuple(sorted(new_edges)) if kept else (),
        tuple(sorted(files)), kept,
    )


def outcome(route: Route | None) -> Outcome:
    from ldifctl.mail.route_report import status

    if route is None:
        return UNKNOWN
    found = tuple((d.address, d.kind) for d in route.destinations)
    return Outcome(status(route), found)


def steps(route: Route | None) -> set[Edge]:
    """The steps of a route: each alias lookup's results, then where it ends."""
    if route is None:
        return set()
    found = {
        Edge(fold(hop.address), fold(t), "alias")
        for hop in route.hops
        for t in hop.found.targets
    }
    found.update(Edge(fold(d.address), "", d.kind) for d in route.destinations)
    return found


def _files(
    route: Route | None, mine: set[Edge], other: set[Edge], places: dict[tuple[int, str], str]
) -> set[str]:
    """Where the steps of `route` that the other state lacks are written."""
    if route is None:
        return set()
    gone = {e.source for e in mine - other}
    lookups: list[tuple[str, Found]] = [(h.address, h.found) for h in route.hops]
    lookups += [(d.address, d.found) for d in route.destinations if d.found is not None]
    found = set()
    for address, lookup in lookups:
        if fold(address) not in gone:
            continue
        for hit in lookup.hits:
            attribute = lookup.table.result_attribute(hit.node)
            place = (id(hit.node), attribute)
            if place not in places:
                places[place] = hit.node.entry.where(attribute)
            found.add(places[place])
    return found
