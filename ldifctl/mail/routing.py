"""Where mail to an address goes, as Postfix would route it over a given directory state.

Lookups follow mail_addr_find: the full address in every table of a list (the first table
with a result wins), then the address without its extension (recipient_delimiter), then
`@domain`. A result is an RFC 5322 address list (mail_addr_crunch); an extension that had
to be stripped is put back into each result (propagate_unmatched_extensions' default).
Virtual alias expansion follows cleanup_map1n: each result is looked up again; an address
that expands into itself is kept and not expanded again (`a -> a` delivers to a); any
other cycle repeats until Postfix's nesting limit and the mail is deferred, which ldifctl
reports as a loop. Addresses keep the case they are written in and compare case-folded,
as Postfix's strcasecmp_utf8 (`fold`: `Straße` is `STRASSE`).

A Router answers for one state, which does not change: it keeps its answer to each
address (`find`) and domain (`hosted`). Routing the addresses near a change asks the same
few thousand (each target, each mailbox, each domain) tens of thousands of times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ldifctl.mail.addresses import (
    fold,
    split_extension,
    split_targets,
    unquoted,
    user_at,
    with_extension,
)
from ldifctl.mail.route_loops import cycle_in, repeating
from ldifctl.mail.server_lookup import check as check_servers
from ldifctl.mail.settings import MailConfig
from ldifctl.mail.special_values import CannotTell
from ldifctl.mail.tables import Hit, LookupFailed, Table
from ldifctl.mail.templates import parts_of
from ldifctl.mail.tree import EntrySet, Tree

ADDRESS_LENGTH_LIMIT = 1000  # virtual_alias_address_length_limit
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
    hops: list[Hop] = field(default_factory=list)  # each address's first expansion
    destinations: list[Destination] = field(default_factory=list)
    loop: tuple[str, ...] = ()  # a -> b -> a: the cycle that keeps expansion from ending
    error: str = ""  # why Postfix would defer the mail: a limit reached, a lookup failed
    unknown: bool = False  # the error is what ldifctl cannot follow offline (CannotTell)

    @property
    def delivered(self) -> bool:
        bad = self.loop or self.error
        return not bad and all(d.kind != "undeliverable" for d in self.destinations)


class Router:
    def __init__(self, snapshot: EntrySet, mail: MailConfig) -> None:
        self.tree = Tree(snapshot)
        self.delimiter = mail.settings.recipient_delimiter
        self.expansion_limit = mail.settings.virtual_alias_expansion_limit
        self.recursion_limit = mail.settings.virtual_alias_recursion_limit
        self.domain_tables = [Table(s, self.tree) for s in mail.virtual_mailbox_domains]
        self.mailbox_tables = [Table(s, self.tree) for s in mail.virtual_mailbox_maps]
        self.alias_tables = [Table(s, self.tree) for s in mail.virtual_alias_maps]
        # Answers kept (see the module's docstring), by tables and address.
        self._found: dict[tuple[tuple[Table, ...], str], Found | None] = {}
        self._hosted: dict[str, bool] = {}
        # What the routes cost (mail/impact.py bounds it): each address asked, each table
        # lookup made and each alias result. A lookup that finds nothing counts: 500k
        # addresses no table knows, forwarded to by one 12 MB entry, were nearly all of
        # the 10.5 million that entry's plan cost.
        self.work = 0

    def find(self, tables: list[Table], address: str) -> Found | None:
        """mail_addr_map: the full address, then without its extension, then `@domain`;
        `@other` keeps the user, and an extension stripped to match goes into each result."""
        self.work += 1  # a step of a route, answered from memory or not
        asked = (tuple(tables), address)
        if asked not in self._found:
            self._found[asked] = self._find(tables, address)
        return self._found[asked]

    def _find(self, tables: list[Table], address: str) -> Found | None:
        local, domain = parts_of(address)
        stripped = split_extension(address, self.delimiter)
        keys = [(fold(address), "")]
        if stripped is not None:
            keys.append((fold(stripped[0]), stripped[1]))
        if domain is not None and local:
            keys.append((f"@{fold(domain)}", ""))
        for key, extension in keys:
            for table in tables:
                self.work += self._cost(table)
                hits = tuple(table.lookup(key))
                check_servers(table, key, hits)  # slapd and 389-DS may answer differently
                result = ",".join(v for hit in hits for v in hit.values)
                if result:
                    user = unquoted(local)[: len(unquoted(local)) - len(extension)]
                    targets = _targets(table, key, result, user)
                    if extension:
                        targets = tuple(with_extension(t, extension) for t in targets)
                    return Found(table, key, hits, targets)
        return None

    def _cost(self, table: Table) -> int:
        """What one lookup costs: a table no index reads (`(description=*%s*)`) tests
        every entry (a plan of 3,000 changed forwards took 53 s at 3,000 entries)."""
        return 1 if table.atoms is not None else len(self.tree.nodes)

    def hosted(self, domain: str) -> bool:
        found = self._hosted.get(domain)
        if found is None:
            self.work += sum(map(self._cost, self.domain_tables))
            found = self._hosted[domain] = any(t.result(domain) for t in self.domain_tables)
        return found

    def mailbox(self, address: str) -> Found | None:
        return self.find(self.mailbox_tables, address)

    def resolve(self, address: str) -> Route:
        route = Route(address)
        try:
            final = self._expand(address, route)
            if not (route.loop or route.error):
                unique = {fold(a): a for a in reversed(final)}  # the first spelling wins
                route.destinations = [self.classify(a) for a in reversed(unique.values())]
        except LookupFailed as err:
            route.error, route.unknown = str(err), isinstance(err, CannotTell)
        return route

    def classify(self, address: str) -> Destination:
        local, domain = parts_of(address)
        if not domain or not local:
            return Destination(address, "undeliverable", reason="not an address (no @domain)")
        if not self.hosted(fold(domain)):
            return Destination(address, "external")
        found = self.mailbox(address)
        if found is None:
            reason = f"{domain} is hosted here but no virtual_mailbox_maps table finds it"
            return Destination(address, "undeliverable", reason=reason)
        return Destination(address, "mailbox", found)

    def _expand(self, address: str, route: Route) -> list[str]:
        argv, expanded_into_itself = [address], set[str]()
        seen: dict[str, tuple[str, ...]] = {}  # each expanded address, folded: its targets
        arg = 0
        while arg < len(argv) and not route.loop:
            if len(argv) > self.expansion_limit:
                route.loop = cycle_in(seen, fold(address))
                route.error = f"{address} expands into more than {self.expansion_limit} addresses"
                return []
            self._expand_position(argv, arg, expanded_into_itself, route, seen)
            arg += 1
        return argv

    def _expand_position(
        self,
        argv: list[str],
        arg: int,
        done: set[str],
        route: Route,
        seen: dict[str, tuple[str, ...]],
    ) -> None:
        """Rewrite argv[arg] until it no longer expands; new results go to the end."""
        chain: list[str] = []
        on_chain: set[str] = set()  # asked at every step of a chain up to 1,000 long
        while fold(argv[arg]) not in done:
            current = fold(argv[arg])
            if current in on_chain:
                cycle = chain[chain.index(current) :]
                # The same lookups again, unless the first round found an address of the
                # cycle that expands into itself: Postfix stops there on the next round.
                if done.isdisjoint(cycle):
                    route.loop = (*cycle, current)
                    return
            if len(chain) >= self.recursion_limit:  # extensions grow: no address comes back
                route.loop = repeating(chain, self.delimiter)
                return
            found = self.find(self.alias_tables, argv[arg])
            if found is None:
                return
            self.work += len(found.targets)
            if not found.targets:
                raise LookupFailed(
                    f"{found.table.spec.name}: the result for {found.key} holds no address"
                )
            chain.append(current)
            on_chain.add(current)
            if current not in seen:
                seen[current] = tuple(map(fold, found.targets))
                route.hops.append(Hop(argv[arg], found))
            argv[arg] = found.targets[0]
            argv.extend(found.targets[1:])
            if current in seen[current]:
                done.add(current)


def _targets(table: Table, key: str, result: str, user: str) -> tuple[str, ...]:
    """The addresses of a result: `@other` is the user at the other domain; an `@domain`
    that does not come first is an empty user there (Postfix writes `""@domain`)."""
    if result.startswith("@"):
        found: tuple[str, ...] = (user_at(user, result),)
    else:
        found = tuple(f'""{t}' if t.startswith("@") else t for t in split_targets(result))
    if any(len(t) > ADDRESS_LENGTH_LIMIT for t in found):
        raise LookupFailed(
            f"{table.spec.name}: the result for {key} grows past {ADDRESS_LENGTH_LIMIT} "
            "characters, which Postfix refuses (a result that starts with @domain must "
            "be alone)"
        )
    return found
