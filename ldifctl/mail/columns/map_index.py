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
from itertools import chain

from ldifctl.mail.addresses import split_extension
from ldifctl.mail.columns.address_index import Owned, is_local
from ldifctl.mail.columns.address_map import AddressMap


class MapIndex:
    routed = True  # made from an address map: the rules read addresses

    def __init__(self, amap: AddressMap) -> None:
        self.amap = amap
        self.delimiter = amap.delimiter or ""
        self.local = is_local(amap)
        self.hosting = sorted({node.entry.dn for node in amap.domain_claims.nodes})

    def claimed_by(self, address: str) -> list[str]:
        groups = (self.amap.alias_claims, self.amap.mailbox_claims)
        return sorted({g.nodes[i].entry.dn for g in groups for i in g.indices(address)})

    def forwarding_to(self, address: str) -> list[str]:
        held = self._senders.get(address, ())
        return [held] if isinstance(held, str) else sorted(set(held))

    def addresses_of(self, entry: str) -> Owned:
        aliases, mailboxes = self.amap.alias_claims, self.amap.mailbox_claims
        first = len(aliases.keys)  # the mailbox claims are numbered after the alias claims
        claims: list[str] = []
        targets: list[str] = []
        for i in self._owned.get(entry, ()):
            if i < first:
                claims.append(aliases.keys[i])
                targets += aliases.targets[i]
            else:
                claims.append(mailboxes.keys[i - first])
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

    # At 100k entries both are built for a few questions: a number per claim, and an
    # entry per address (a list only when more than one), not a pair of lists per entry
    # and a set per address (23 and 12 MB at 100k, at the peak of a `diff`).
    @cached_property
    def _owned(self) -> dict[str, list[int]]:
        """Each entry's claims by its DN: their numbers among the alias claims, then
        among the mailbox claims (numbered after them)."""
        owned: dict[str, list[int]] = {}
        nodes = chain(self.amap.alias_claims.nodes, self.amap.mailbox_claims.nodes)
        for i, node in enumerate(nodes):
            owned.setdefault(node.entry.dn, []).append(i)
        return owned

    @cached_property
    def _senders(self) -> dict[str, str | list[str]]:
        """Alias targets (and each without its extension) -> the entry giving them, or
        the entries when more than one does (an entry may be listed twice)."""
        senders: dict[str, str | list[str]] = {}
        aliases = self.amap.alias_claims
        for node, targets in zip(aliases.nodes, aliases.targets, strict=True):
            dn = node.entry.dn
            for target in self.sent_to(targets) if targets else ():
                held = senders.setdefault(target, dn)
                if isinstance(held, list):
                    held.append(dn)
                elif held != dn:
                    senders[target] = [held, dn]
        return senders
