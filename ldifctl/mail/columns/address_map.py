"""Every address a directory state routes, worked out in one pass for the policy rules.

The tables are read backwards (entry -> the keys it answers to, see claims.py) so that
100k entries cost one pass, not 100k lookups. The answers are the same as `Router.find`
gives key by key (tests hold the two together); a table whose filter has no
`(attr=%s)`-style equality cannot be read backwards and is listed in `unlisted`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, compress, count, repeat
from operator import itemgetter, not_

from ldifctl.mail.addresses import split_extension, unquoted, user_at, with_extension
from ldifctl.mail.columns.claims import Claims, Columns
from ldifctl.mail.columns.targets import targets_of
from ldifctl.mail.routing import Router
from ldifctl.mail.settings import TableSpec
from ldifctl.mail.tables import Table
from ldifctl.mail.templates import parts_of
from ldifctl.mail.tree import Node

Answers = dict[str, tuple[str, ...]]
_LAST = itemgetter(2)


@dataclass(slots=True)
class Claim:
    """An entry answers to `address` in `table`: `attribute` holds the address, and
    `targets` (lower-case) are what this entry gives for it."""

    address: str
    table: Table
    node: Node
    attribute: str
    targets: tuple[str, ...]


class ClaimSet:
    """Every claim of a group of tables (the alias tables, say), as parallel lists: claim
    i is `keys[i]`, answered by `nodes[i]` in `tables[i]` through `attributes[i]`, giving
    `targets[i]`. 250k claims as objects cost more than all the rules that read them, so
    a rule scans these lists in C and makes `Claim`s only for what it reports."""

    def __init__(self, tables: list[Table], domains: tuple[str, ...]) -> None:
        self.keys: list[str] = []
        self.nodes: list[Node] = []
        self.attributes: list[str] = []
        self.tables: list[Table] = []
        self.targets: list[tuple[str, ...]] = []
        for table in tables:
            cols = Claims(table).columns(domains)
            self.keys += cols.keys
            self.nodes += cols.owners()
            self.attributes += cols.attributes
            self.tables += [table] * len(cols.keys)
            self.targets += _claim_targets(table, cols)
        # Postfix's answer for each key; a key claimed more than once is corrected below.
        answers = dict(zip(self.keys, self.targets, strict=True))
        # Keys with more than one claim, in server order: tables as configured, then rank.
        self.shared: dict[str, list[int]] = {}
        if len(answers) < len(self.keys):
            twice = {k for k, c in Counter(self.keys).items() if c > 1}
            for i in compress(range(len(self.keys)), map(twice.__contains__, self.keys)):
                self.shared.setdefault(self.keys[i], []).append(i)
            order = {id(t): i for i, t in enumerate(tables)}
            for found in self.shared.values():
                found.sort(key=lambda i: (order[id(self.tables[i])], self.nodes[i].rank))
            answers.update((k, self._answer(found)) for k, found in self.shared.items())
        if () in answers.values():
            answers = {k: t for k, t in answers.items() if t}
        self.answers: Answers = answers

    def _answer(self, found: list[int]) -> tuple[str, ...]:
        """The first table (in the configured order) that has a result wins, its entries'
        values in server order."""
        first = next((self.tables[i] for i in found if self.targets[i]), None)
        return tuple(t for i in found if self.tables[i] is first for t in self.targets[i])

    @cached_property
    def first(self) -> dict[str, int]:
        """Each key's first claim (only what rules report needs it)."""
        n = len(self.keys)
        return dict(zip(reversed(self.keys), range(n - 1, -1, -1), strict=True))

    def __contains__(self, address: str) -> bool:
        return address in self.first

    def indices(self, address: str) -> list[int]:
        found = self.shared.get(address)
        if found is not None:
            return found
        one = self.first.get(address)
        return [] if one is None else [one]

    def claim(self, i: int) -> Claim:
        keys, nodes, tables = self.keys, self.nodes, self.tables
        return Claim(keys[i], tables[i], nodes[i], self.attributes[i], self.targets[i])

    def claims(self, address: str) -> list[Claim]:
        return [self.claim(i) for i in self.indices(address)]

    def held_by(self, address: str, node: Node) -> str | None:
        """The attribute through which `node` holds the address, if it does."""
        found = (self.attributes[i] for i in self.indices(address) if self.nodes[i] is node)
        return next(found, None)

    @cached_property
    def all_targets(self) -> set[str]:
        return set(chain.from_iterable(self.targets))

    def giving_user_elsewhere(self) -> list[int]:
        """The claims whose result is `@domain` alone: the key's user at that domain."""
        if not _catch_all(self.all_targets):  # the usual case: none at all
            return []
        starts = (len(t) == 1 and t[0].startswith("@") for t in self.targets)
        return list(compress(range(len(self.targets)), starts))

    def giving(self, addresses: set[str]) -> list[int]:
        """The claims whose targets include one of `addresses`."""
        if not addresses:
            return []
        meets = map(not_, map(addresses.isdisjoint, self.targets))
        return list(compress(range(len(self.targets)), meets))

    def forwarding_to(self, addresses: set[str]) -> Iterator[tuple[int, str]]:
        """(claim, target) for every target of a claim that is one of `addresses`."""
        for i in self.giving(addresses):
            for target in self.targets[i]:
                if target in addresses:
                    yield i, target

    def users_elsewhere(self) -> Iterator[tuple[int, str]]:
        """(claim, the address it sends to) for each `user@x -> @other`: user@other. A
        catch-all `@x -> @other` sends every user on; no one address to judge."""
        for i in self.giving_user_elsewhere():
            local, _ = parts_of(self.keys[i])
            if local:
                yield i, local + self.targets[i][0]

    def in_domains(self, wanted: Callable[[str], bool]) -> Iterator[int]:
        """The claims whose address is in a domain `wanted` accepts (an address without
        `@` is its own domain). Each distinct domain is asked once: a directory has a few
        domains for 250k addresses."""
        chosen = {d for d in set(_domains(self.keys)) if wanted(d)}
        if chosen:  # usually none: every address in a hosted domain
            yield from compress(count(), map(chosen.__contains__, _domains(self.keys)))


class AddressMap:
    def __init__(self, router: Router) -> None:
        self.router = router
        self.delimiter = router.delimiter
        tables = (*router.domain_tables, *router.mailbox_tables, *router.alias_tables)
        self.unlisted: list[TableSpec] = [t.spec for t in tables if t.atoms is None]
        # Kept: the indexes of the routing near a change ask which entries host a domain.
        self.domain_claims = ClaimSet(router.domain_tables, ())
        self.hosted = set(self.domain_claims.answers)
        domains = tuple(sorted(self.hosted))
        self.alias_claims = ClaimSet(router.alias_tables, domains)
        self.aliases = self.alias_claims.answers
        self.mailbox_claims = ClaimSet(router.mailbox_tables, domains)
        self.mailboxes = set(self.mailbox_claims.answers)

        # Catch-all keys (`@domain`) are rare: without them one lookup answers everything.
        self.catch_all_aliases = _catch_all(self.aliases)
        self.catch_all_mailboxes = _catch_all(self.mailboxes)

    def expansion(self, address: str) -> tuple[str, ...] | None:
        """What one alias lookup gives for a lower-case `address`: the full address, then
        without its extension (put back into each result), then `@domain`; `@other`
        results keep the user, as Postfix does (Router.find, over the claims)."""
        result, extension = self.aliases.get(address), ""
        if result is None and self.delimiter:
            stripped = split_extension(address, self.delimiter)
            if stripped is not None and stripped[0] in self.aliases:
                result, extension = self.aliases[stripped[0]], stripped[1]
        if result is None and self.catch_all_aliases:
            local, domain = parts_of(address)
            result = self.aliases.get(f"@{domain}") if domain is not None and local else None
        if result is not None and result[0].startswith("@"):
            user = unquoted(parts_of(address)[0])
            user, joined = user[: len(user) - len(extension)], ",".join(result)
            # A catch-all key keeps its `@domain` form: the forward graph's "every user".
            result = (user_at(user, joined) if user else joined,)
        if result is None or not extension:
            return result
        return tuple(with_extension(t, extension) for t in result)

    def expands(self, address: str) -> bool:
        return address in self.aliases or (
            bool(self.catch_all_aliases or self.delimiter) and self.expansion(address) is not None
        )

    def alias_key(self, address: str) -> str | None:
        """The key an alias lookup of `address` finds without a catch-all: itself, or the
        address without its extension."""
        if address in self.aliases:
            return address
        stripped = split_extension(address, self.delimiter) if self.delimiter else None
        return stripped[0] if stripped is not None and stripped[0] in self.aliases else None

    def is_mailbox(self, address: str) -> bool:
        """Does a lower-case address find a mailbox (itself, without its extension, or a
        `@domain` catch-all)?"""
        if address in self.mailboxes:
            return True
        stripped = split_extension(address, self.delimiter) if self.delimiter else None
        if stripped is not None and stripped[0] in self.mailboxes:
            return True
        local, domain = parts_of(address)
        return self.catch_all_mailboxes and bool(local) and f"@{domain}" in self.mailboxes

    def is_hosted(self, domain: str) -> bool:
        return domain.lower() in self.hosted


def _domains(addresses: list[str]) -> Iterator[str]:
    """What follows the last `@` of each address (the whole address without one)."""
    return map(_LAST, map(str.rpartition, addresses, repeat("@")))


def _catch_all(addresses: Iterable[str]) -> bool:
    """Is one of them an `@domain` key? Asked of all in one string search."""
    return "\n@" in "\n".join(("", *addresses))


def _claim_targets(table: Table, cols: Columns) -> list[tuple[str, ...]]:
    """The targets of each claim: worked out once per entry when they do not depend on
    the key (the usual case), else claim by claim."""
    per_entry = targets_of(table, cols.nodes, cols.held)
    if per_entry is not None and len(per_entry) == len(cols.keys):  # one key each
        return per_entry
    if per_entry is not None:
        return list(chain.from_iterable(map(repeat, per_entry, cols.counts)))
    pairs = zip(cols.owners(), cols.keys, strict=True)
    return [table.safe_targets(node, key) for node, key in pairs]
