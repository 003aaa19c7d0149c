"""Where mail to an address goes, as Postfix would route it over a given directory state.

Lookups follow mail_addr_find: the full address in every table of a list (the first table
with a result wins), then `@domain`. Virtual alias expansion follows cleanup_map1n: each
result is looked up again; an address that expands into itself is kept and not expanded
again (`a -> a` delivers to a); any other cycle repeats until Postfix's nesting limit and
the mail is deferred, which ldifctl reports as a loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ldifctl.mail_config import MailConfig
from ldifctl.mail_tables import Hit, LookupFailed, Table
from ldifctl.mail_templates import parts_of, split_targets
from ldifctl.mail_tree import EntrySet, Tree

EXPANSION_LIMIT = 1000  # virtual_alias_expansion_limit: addresses one alias may become
Kind = Literal["mailbox", "external", "undeliverable"]


@dataclass(frozen=True)
class Found:
    """A lookup that found something: in which table, under which key, from which entries."""

    table: Table
    key: str
    hits: tuple[Hit, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Hop:
    address: str
    found: Found


@dataclass(frozen=True)
class Destination:
    address: str
    kind: Kind
    found: Found | None = None  # the mailbox lookup, for a mailbox
    reason: str = ""


@dataclass
class Route:
    address: str
    hops: list[Hop] = field(default_factory=list)
    destinations: list[Destination] = field(default_factory=list)
    loop: tuple[str, ...] = ()  # a -> b -> a, when expansion never ends
    error: str = ""  # a lookup or expansion limit Postfix would defer the mail for

    @property
    def delivered(self) -> bool:
        bad = self.loop or self.error
        return not bad and all(d.kind != "undeliverable" for d in self.destinations)


class Router:
    def __init__(self, snapshot: EntrySet, mail: MailConfig) -> None:
        self.tree = Tree(snapshot)
        self.domain_tables = [Table(s, self.tree) for s in mail.virtual_mailbox_domains]
        self.mailbox_tables = [Table(s, self.tree) for s in mail.virtual_mailbox_maps]
        self.alias_tables = [Table(s, self.tree) for s in mail.virtual_alias_maps]

    def find(self, tables: list[Table], address: str) -> Found | None:
        """mail_addr_find: the full address, then `@domain`; `@other` keeps the user."""
        address = address.lower()
        local, domain = parts_of(address)
        keys = [address] + ([f"@{domain}"] if domain is not None and local else [])
        for key in keys:
            for table in tables:
                hits = tuple(table.lookup(key))
                result = ",".join(v for hit in hits for v in hit.values)
                if result:
                    result = local + result if result.startswith("@") else result
                    return Found(table, key, hits, split_targets(result))
        return None

    def hosted(self, domain: str) -> bool:
        return any(t.result(domain) for t in self.domain_tables)

    def mailbox(self, address: str) -> Found | None:
        return self.find(self.mailbox_tables, address)

    def resolve(self, address: str) -> Route:
        route = Route(address)
        try:
            final = self._expand(address, route)
            if not route.loop:
                route.destinations = [self.classify(a) for a in dict.fromkeys(final)]
        except LookupFailed as err:
            route.error = str(err)
        return route

    def classify(self, address: str) -> Destination:
        local, domain = parts_of(address)
        if not domain or not local:
            return Destination(address, "undeliverable", reason="not an address (no @domain)")
        if not self.hosted(domain):
            return Destination(address, "external")
        found = self.mailbox(address)
        if found is None:
            reason = f"{domain} is hosted here but no virtual_mailbox_maps table finds it"
            return Destination(address, "undeliverable", reason=reason)
        return Destination(address, "mailbox", found)

    def _expand(self, address: str, route: Route) -> list[str]:
        argv, expanded_into_itself = [address.lower()], set[str]()
        arg = 0
        while arg < len(argv) and not route.loop:
            if len(argv) > EXPANSION_LIMIT:
                route.error = f"{address} expands into more than {EXPANSION_LIMIT} addresses"
                return []
            self._expand_position(argv, arg, expanded_into_itself, route)
            arg += 1
        return argv

    def _expand_position(self, argv: list[str], arg: int, done: set[str], route: Route) -> None:
        """Rewrite argv[arg] until it no longer expands; new results go to the end."""
        chain: list[str] = []
        while argv[arg] not in done:
            current = argv[arg]
            if current in chain:
                route.loop = (*chain[chain.index(current) :], current)
                return
            found = self.find(self.alias_tables, current)
            if found is None:
                return
            chain.append(current)
            route.hops.append(Hop(current, found))
            targets = [t.lower() for t in found.targets]
            argv[arg] = targets[0]
            argv.extend(targets[1:])
            if current in targets:
                done.add(current)
