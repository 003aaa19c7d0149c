"""The users a domain alias sends on. `@h4.test -> @h1.test` sends user@h4.test to
user@h1.test (Postfix keeps the user), so whatever moves mail to user@h1.test moves mail
to user@h4.test too, unless h4.test's tables answer user@h4.test (or it without its
extension) themselves: Postfix tries those keys before `@h4.test`, and they decide. An
alias of such a domain sends its users on again, up to Postfix's nesting limit.

A directory can chain many domain aliases, and every user of a domain reaches every
domain aliased to it: the addresses named are bounded (MAX_NAMED), and a domain whose
users are past the bound is `cut`, for the impact to report as not worked out.
"""

from __future__ import annotations

from collections.abc import Iterable

from ldifctl.mail.address_impact import MAX_ROUTING_WORK
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.templates import parts_of

MAX_NAMED = MAX_ROUTING_WORK // 10
"""The addresses one state names through domain aliases. Routing one costs at least 10
of the routing's work in the two states (asked in both, looked up key by key, routed
through the domain alias and on; 30 in the usual tables): past this many, the routes
of the change cost more than MAX_ROUTING_WORK, and the domains whose users are left
are reported unresolved, each once, rather than held by the million."""


class DomainAliases:
    def __init__(self, amap: AddressMap, depth: int) -> None:
        self.amap = amap
        self.depth = depth  # virtual_alias_recursion_limit
        self.room = MAX_NAMED
        self.cut: set[str] = set()  # `@domain` keys whose users were past the bound
        self.swept: set[str] = set()  # the domains cut, and those they were cut through
        # Each domain -> the domains whose `@domain` key sends their users to it.
        self.into: dict[str, list[str]] = {}
        if not amap.catch_all_aliases:  # the usual case: no `@domain` key at all
            return
        for key, targets in amap.aliases.items():
            if key.startswith("@") and len(targets) == 1 and targets[0].startswith("@"):
                self.into.setdefault(targets[0][1:], []).append(key[1:])

    def senders(self, addresses: Iterable[str]) -> set[str]:
        """user@other for each lower-case user@domain and each domain alias that sends
        the user there, directly or through others."""
        found: set[str] = set()
        if not self.into:
            return found
        for address in sorted(addresses):  # past the bound, the same ones are named
            local, domain = parts_of(address)
            if not local or domain not in self.into:
                continue
            if self.room > 0:
                found |= self._aliased(local, domain)
            else:
                self._cut_from(domain)
        return found

    def _aliased(self, local: str, domain: str) -> set[str]:
        """local@other for each domain that sends its users to `domain`, nearest first
        (breadth-first, each domain once): one that claims local@other stops the way."""
        found: set[str] = set()
        seen, frontier = {domain}, [domain]
        for _ in range(self.depth):
            reached = [d for d in dict.fromkeys(self._sources(frontier)) if d not in seen]
            seen.update(reached)
            frontier = []
            for other in reached:
                address = f"{local}@{other}"
                if self.amap.alias_key(address) is not None:
                    continue  # its own claim decides
                if self.room <= 0:
                    self._cut_from(domain)
                    return found
                self.room -= 1
                found.add(address)
                frontier.append(other)
            if not frontier:
                break
        return found

    def _cut_from(self, domain: str) -> None:
        """Every domain that sends its users to `domain`, however far, is cut (each
        domain is gone through once)."""
        frontier = [domain]
        while frontier:
            reached = [d for d in dict.fromkeys(self._sources(frontier)) if d not in self.swept]
            self.swept.update(reached)
            self.cut.update(f"@{d}" for d in reached)
            frontier = reached

    def _sources(self, domains: list[str]) -> Iterable[str]:
        into = self.into
        return (d for domain in domains for d in into.get(domain, ()))
