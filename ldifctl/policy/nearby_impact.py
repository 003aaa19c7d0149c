"""The routing impact of a plan from the entries near the change, not the whole state.

`routing_impact` (mail/impact.py) asks each state a few things: the route of each
candidate address, who forwards to some addresses, the addresses of some domains, the
keys of the changed entries. Each answer is made of known entries alone, found in the
head state's address index (mail/columns/address_index.py): a lookup of an address
reads only the entries that claim it (or it without its extension), who forwards to an
address are the entries the index says do, the addresses of a domain are those the
index holds in it. So the impact runs, unchanged, on two small states (the entries near
the change, with the changed entries as each side holds them), noting what it asked;
the entries those answers read are added and it runs again, until every answer was
made of entries the small states hold: it is then the answer of the whole states.

When the index cannot tell, `nearby_routing` says None and the whole states are
loaded: no index of this state, one that is not `local` (catch-all keys, a table it
cannot read backwards), a hosted domain or a table's base among the changed entries,
too many entries near the change (incremental.py's limits).

`routing_near` is the same from any index (`Near`): `plan` gives the cached one,
`diff a.ldif b.ldif` one made from the checks' address map of the new state in memory
(mail/columns/map_index.py; policy/change_routing.py).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Protocol

from ldifctl.cache.head_tree import HeadTree
from ldifctl.cache.judged import Prior
from ldifctl.mail import impact, table_reads
from ldifctl.mail.address_impact import AddressImpact
from ldifctl.mail.addresses import fold
from ldifctl.mail.columns.address_index import Owned, is_local
from ldifctl.mail.columns.impact_view import LoadedState
from ldifctl.mail.routing import Route, Router
from ldifctl.mail.settings import MailConfig
from ldifctl.model.dn import DnKey
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.policy.files import Policies
from ldifctl.policy.incremental import current_index
from ldifctl.policy.touched import MAX_TOUCHED, Unloadable, search_bases
from ldifctl.repo.workspace import Workspace

MAX_ROUNDS = 16  # each round follows forwards one step further; chains are short
Relocate = Callable[[list[Entry]], list[Entry]]


class Near(Protocol):
    """An index of the head state, as the rounds ask it (AddressIndex; MapIndex, from an
    address map in memory): entries by name, the addresses they claim and forward to."""

    hosting: list[str]
    local: bool
    routed: bool

    def claimed_by(self, address: str) -> list[str]: ...

    def forwarding_to(self, address: str) -> list[str]: ...

    def addresses_of(self, entry: str) -> Owned: ...

    def sent_to(self, targets: Iterable[str]) -> set[str]: ...

    def in_domains(self, domains: set[str]) -> set[str]: ...


class _Asked(LoadedState):
    """A small state as the impact asks it, noting what it asked: the addresses it
    looked up, those whose senders it wanted, the domains whose addresses it wanted."""

    def __init__(self, router: Router) -> None:
        super().__init__(router)
        self.looked_up: set[str] = set()
        self.sent_to: set[str] = set()
        self.domains: set[str] = set()

    def route(self, address: str) -> Route:
        found = super().route(address)
        self.looked_up |= _looked_up(found)
        return found

    def knows(self, address: str) -> bool:
        self.looked_up.add(fold(address))
        return super().knows(address)

    def referrers(self, addresses: set[str]) -> set[str]:
        self.sent_to |= addresses
        self.domains |= {a[1:] for a in addresses if a.startswith("@")}
        return super().referrers(addresses)

    def addresses_in(self, domains: set[str]) -> set[str]:
        self.domains |= domains
        return super().addresses_in(domains)


def nearby_routing(
    ws: Workspace,
    state: HeadTree,
    prior: Prior | None,
    policies: Policies,
    sides: tuple[Snapshot, Snapshot],
    mail: tuple[MailConfig, MailConfig],
) -> list[AddressImpact] | None:
    """The routing impact of the change from `sides[0]` to `sides[1]` (the changed
    entries of each side) in `state`, the head state; None: ask the whole states.
    `prior` is a judgement of a state near it, which keeps the index (cache/judged.py)."""
    current = current_index(ws, state, prior, policies) if prior is not None else None
    if current is None:
        return None
    work, index = current
    return routing_near(index, work.loaded, state.changed, work.bases, sides, mail)


def routing_near(
    index: Near,
    loaded: Callable[[Iterable[str]], list[Entry]],
    changed: set[str],
    bases: set[str],
    sides: tuple[Snapshot, Snapshot],
    mail: tuple[MailConfig, MailConfig],
    as_old: Relocate | None = None,
    name_of: Callable[[DnKey], str | None] | None = None,
) -> list[AddressImpact] | None:
    """The same from any index of the head state: `loaded(names)` gives its entries of
    those names, `changed` names its changed entries (those of the other side's too, when
    named) and `bases` the tables' search bases it holds. `as_old` gives unchanged
    entries as the old side holds them, where it names them otherwise (another file).
    `name_of` names an entry of the head state by its key, as `changed` does."""
    held = set(index.hosting) | bases
    if not (index.local and index.routed) or held & changed:
        return None
    # A table's base added, removed or edited: every entry below it gains or loses its
    # addresses (`bases` names only those the head holds: a base removed went unseen).
    keys = search_bases(mail, sides[0].schema)
    if any(key in keys for side in sides for key, _ in side.items()):
        return None
    # The changed entries that keep what the tables read route nothing differently:
    # the search near the change does not start from them (table_reads.kept_for_routing).
    same = table_reads.same_tables(*mail)
    kept = table_reads.kept_for_routing(mail[1], *sides) if same else set()
    touched = [e for side in sides for key, e in side.items() if key not in kept]
    settled = {name for key in kept if (name := name_of(key))} if name_of else set()
    near = held | _around(index, changed - settled, touched)
    if len(near) > MAX_TOUCHED:
        return None
    try:
        return _rounds(loaded, index, changed, near - changed, sides, mail, as_old, kept)
    except Unloadable:
        return None


def _rounds(
    loaded: Callable[[Iterable[str]], list[Entry]],
    index: Near,
    changed: set[str],
    near: set[str],
    sides: tuple[Snapshot, Snapshot],
    mail: tuple[MailConfig, MailConfig],
    as_old: Relocate | None = None,
    kept: Container[DnKey] = (),
) -> list[AddressImpact] | None:
    touched = [*sides[0], *sides[1]]
    for _ in range(MAX_ROUNDS):
        unchanged = loaded(near)
        mine = (as_old(unchanged) if as_old else unchanged, unchanged)
        views = [
            _Asked(Router(_small(side, held), m))
            for side, held, m in zip(sides, mine, mail, strict=True)
        ]
        if not all(_plain(view, touched) for view in views):
            return None
        found = impact.routing_impact(views[0], views[1], touched, kept=kept)
        wanted = (near | _read_by(index, views)) - changed
        if wanted == near:
            return found
        if len(wanted) > MAX_TOUCHED:
            return None
        near = wanted
    return None


def _around(index: Near, changed: set[str], touched: list[Entry]) -> set[str]:
    """The entries the impact reads, as far as the index tells without loading any: who
    forwards to what the changed entries name or claim (and who forwards to those), and
    where all of them forward to. Saves rounds; `_rounds` still checks each answer."""
    named = {a for name in changed for row in index.addresses_of(name) for a in row}
    named.update(v for v in map(_text, _values(touched)) if "@" in v)
    entries: set[str] = set()
    known, frontier = set(named), set(named)
    while frontier and len(entries) <= MAX_TOUCHED:  # who forwards to them
        senders = {s for a in frontier for s in index.forwarding_to(a)} - entries
        entries |= senders
        frontier = {a for e in senders for a in index.addresses_of(e)[0]} - known
        known |= frontier
    frontier = set(known)
    while frontier and len(entries) <= MAX_TOUCHED:  # where they go
        claimers = {c for a in index.sent_to(frontier) for c in index.claimed_by(a)}
        entries |= claimers
        frontier = {t for e in claimers for t in index.addresses_of(e)[1]} - known
        known |= frontier
    return entries


def _values(entries: list[Entry]) -> Iterable[bytes]:
    return (v for e in entries for values in e.attrs.values() for v in values)


def _text(value: bytes) -> str:
    return fold(value.decode("utf-8", "replace").strip())


def _small(side: Snapshot, unchanged: list[Entry]) -> Snapshot:
    """The changed entries as one side holds them, and the unchanged ones near them."""
    schema = side.schema
    pairs = [(schema.dn_key(e.dn), e) for e in unchanged]
    return Snapshot.keyed(side.label, schema, [*pairs, *side.items()])


def _plain(view: _Asked, touched: list[Entry]) -> bool:
    """Does every answer about an address rest on the entries that claim it (no
    catch-all), and is no changed entry a hosted domain's?"""
    domains = {id(node.entry) for node in view.amap.domain_claims.nodes}
    return is_local(view.amap) and domains.isdisjoint(map(id, touched))


def _read_by(index: Near, views: list[_Asked]) -> set[str]:
    """The entries of the head state the answers given by `views` read."""
    looked_up = set().union(*(view.looked_up for view in views))
    addresses = index.sent_to(looked_up)  # each, and each without its extension
    found = {c for a in addresses for c in index.claimed_by(a)}
    sent_to = set().union(*(view.sent_to for view in views))
    found.update(s for a in sent_to for s in index.forwarding_to(a))
    domains = set().union(*(view.domains for view in views))
    if domains:
        for address in index.in_domains(domains):
            found.update(index.claimed_by(address), index.forwarding_to(address))
    return found


def _looked_up(route: Route) -> set[str]:
    """Every address the route looked up: itself, each alias result, each destination."""
    found = {route.address}
    for hop in route.hops:
        found.add(hop.address)
        found.update(hop.found.targets)
    found.update(d.address for d in route.destinations)
    return set(map(fold, found))
