"""The address index of a state whose address map is in memory (the checks' of the new
state of `diff a.ldif b.ldif`), for the routing near a change (policy/nearby_impact.py).

It answers what `AddressIndex` (address_index.py) answers — who claims an address, who
forwards to it, what one entry claims and forwards to, the addresses of some domains —
from the address map's own lists, with entries named by their DN as the state spells it.
Nothing is sorted or packed (it is never stored): the claims are grouped by entry and
the alias targets by address, in one pass each, and the rest are the map's own queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from ldifctl.mail.addresses import split_extension
from ldifctl.mail.columns.address_index import Owned, is_local
from ldifctl.mail.columns.address_map import AddressMap, ClaimSet


class MapIndex:
    routed = True  # made from an address map: the rules read addresses

    def __init__(self, amap: AddressMap) -> None:
        self.amap = amap
        self.delimiter = amap.delimiter or ""
        self.local = is_local(amap)
        domains = ClaimSet(amap.router.domain_tables, ())
        self.hosting = sorted({node.entry.dn for node in domains.nodes})

    def claimed_by(self, address: str) -> list[str]:
        groups = (self.amap.alias_claims, self.amap.mailbox_claims)
        return sorted({g.nodes[i].entry.dn for g in groups for i in g.indices(address)})

    def forwarding_to(self, address: str) -> list[str]:
        return sorted(self._senders.get(address, ()))

    def addresses_of(self, entry: str) -> Owned:
        claims, targets = self._owned.get(entry, ((), ()))
        return tuple(sorted(set(claims))), tuple(sorted(set(targets)))

    def sent_to(self, targets: Iterable[str]) -> set[str]:
        """What a lookup of `targets` may find: each, and each without its extension."""
        out = set(targets)
        if self.delimiter:
            stripped = (split_extension(t, self.delimiter) for t in list(out))
            out.update(s[0] for s in stripped if s is not None)
        return out

    def in_domains(self, domains: set[str]) -> set[str]:
        """The addresses claimed or forwarded to in one of `domains` (an address without
        `@` is its own domain)."""
        wanted = domains.__contains__
        found: set[str] = set()
        for group in (self.amap.alias_claims, self.amap.mailbox_claims):
            found.update(group.keys[i] for i in group.in_domains(wanted))
        found.update(a for a in self._senders if a.rpartition("@")[2] in domains)
        return found

    @cached_property
    def _owned(self) -> dict[str, tuple[list[str], list[str]]]:
        """Each entry's claimed keys (alias and mailbox) and alias targets, by its DN."""
        owned: dict[str, tuple[list[str], list[str]]] = {}
        aliases, mailboxes = self.amap.alias_claims, self.amap.mailbox_claims
        for group in (aliases, mailboxes):
            for key, node in zip(group.keys, group.nodes, strict=True):
                owned.setdefault(node.entry.dn, ([], []))[0].append(key)
        for node, targets in zip(aliases.nodes, aliases.targets, strict=True):
            if targets:
                owned[node.entry.dn][1].extend(targets)
        return owned

    @cached_property
    def _senders(self) -> dict[str, set[str]]:
        """Alias targets (and each without its extension) -> the entries giving them."""
        senders: dict[str, set[str]] = {}
        for dn, (_, targets) in self._owned.items():
            for target in self.sent_to(targets) if targets else ():
                senders.setdefault(target, set()).add(dn)
        return senders
