"""A loaded state as the routing impact asks it (mail/impact.py: StateView): routes key
by key from the Router, and who routes to what from the whole state's address map, read
backwards in one pass (and through domain aliases: domain_aliases.py)."""

from __future__ import annotations

from functools import cached_property
from itertools import chain, compress
from operator import attrgetter

from ldifctl.mail.addresses import split_extension
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.columns.domain_aliases import DomainAliases
from ldifctl.mail.routing import Route, Router
from ldifctl.mail.tables import LookupFailed
from ldifctl.mail.templates import parts_of
from ldifctl.model.dn import DnKey

_KEY = attrgetter("key")


class LoadedState:
    def __init__(self, router: Router) -> None:
        self.router = router
        self.delimiter = router.delimiter
        self.schema = router.tree.schema

    @classmethod
    def of(cls, amap: AddressMap) -> LoadedState:
        """The state of an address map already made (the checks' of the same state)."""
        view = cls(amap.router)
        view.__dict__["amap"] = amap  # the cached property, filled
        return view

    @cached_property
    def amap(self) -> AddressMap:
        return AddressMap(self.router)

    def route(self, address: str) -> Route:
        return self.router.resolve(address)

    def knows(self, address: str) -> bool:
        router = self.router
        try:
            found = router.find(router.alias_tables, address) or router.mailbox(address)
        except LookupFailed:  # a lookup that fails (or ldifctl cannot tell): its route says so
            return True
        return found is not None

    def referrers(self, addresses: set[str]) -> set[str]:
        claims = self.amap.alias_claims
        named = set(addresses)
        named |= set(chain.from_iterable(self._extended.get(a, ()) for a in addresses))
        domains = {a[1:] for a in addresses if a.startswith("@")}
        named |= set(chain.from_iterable(self._by_domain.get(d, ()) for d in domains))
        found = {claims.keys[i] for i in claims.giving(named)}
        found |= {claims.keys[i] for i, to in claims.users_elsewhere() if to in addresses}
        found |= self._domain_aliases.senders(addresses)
        return found

    def cut(self) -> set[str]:
        return self._domain_aliases.cut

    def addresses_in(self, domains: set[str]) -> set[str]:
        if not domains:
            return set()
        amap, wanted = self.amap, domains.__contains__
        found = {amap.alias_claims.keys[i] for i in amap.alias_claims.in_domains(wanted)}
        found |= {amap.mailbox_claims.keys[i] for i in amap.mailbox_claims.in_domains(wanted)}
        found |= set(chain.from_iterable(self._by_domain.get(d, ()) for d in domains))
        return found

    def work(self) -> int:
        return self.router.work

    def every_address(self) -> set[str]:
        amap = self.amap
        return set(amap.aliases) | amap.mailboxes | amap.alias_claims.all_targets

    def claimed_by(self, entries: set[DnKey]) -> set[str]:
        amap = self.amap
        found: set[str] = set()
        for claims in (amap.alias_claims, amap.mailbox_claims):  # a C loop over 100k claims
            mine = map(entries.__contains__, map(_KEY, claims.nodes))
            found.update(compress(claims.keys, mine))
        return found

    @cached_property
    def _domain_aliases(self) -> DomainAliases:
        return DomainAliases(self.amap, self.router.recursion_limit)

    @cached_property
    def _extended(self) -> dict[str, list[str]]:
        """Alias targets with an extension, by the address without it."""
        found: dict[str, list[str]] = {}
        if not self.delimiter:
            return found
        for target in self.amap.alias_claims.all_targets:
            stripped = split_extension(target, self.delimiter)
            if stripped is not None:
                found.setdefault(stripped[0], []).append(target)
        return found

    @cached_property
    def _by_domain(self) -> dict[str, list[str]]:
        """Alias targets by their domain."""
        found: dict[str, list[str]] = {}
        for target in self.amap.alias_claims.all_targets:
            domain = parts_of(target)[1]
            if domain is not None:
                found.setdefault(domain.lower(), []).append(target)
        return found
