"""Every address a directory state routes, worked out in one pass for the policy rules.

The tables are read backwards (entry -> the keys it answers to, see mail_claims) so that
100k entries cost one pass, not 100k lookups. The answers are the same as `Router.find`
gives key by key (tests hold the two together); a table whose filter has no
`(attr=%s)`-style equality cannot be read backwards and is listed in `unlisted`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ldifctl.mail_claims import Claims
from ldifctl.mail_config import TableSpec
from ldifctl.mail_tables import LookupFailed, Table
from ldifctl.mail_templates import parts_of, split_targets
from ldifctl.mail_tree import Node
from ldifctl.routing import Router

Answers = dict[str, tuple[str, ...]]


@dataclass(slots=True)  # made 200k times for 100k entries: keep it cheap
class Claim:
    """An entry answers to `address` in `table`: `attribute` holds the address, and
    `targets` (lower-case) are what this entry gives for it."""

    address: str
    table: Table
    node: Node
    attribute: str
    targets: tuple[str, ...]


class AddressMap:
    def __init__(self, router: Router) -> None:
        self.router = router
        tables = (*router.domain_tables, *router.mailbox_tables, *router.alias_tables)
        self.unlisted: list[TableSpec] = [t.spec for t in tables if t.atoms is None]
        domain_claims, _ = _collect(router.domain_tables, ())
        self.hosted = {a for a, claims in domain_claims.items() if any(c.targets for c in claims)}
        domains = tuple(sorted(self.hosted))
        self.alias_claims, self.aliases = _collect(router.alias_tables, domains)
        self.mailbox_claims, mailboxes = _collect(router.mailbox_tables, domains)
        self.mailboxes = set(mailboxes)

        # Catch-all keys (`@domain`) are rare: without them one lookup answers everything.
        self.catch_all_aliases = any(a.startswith("@") for a in self.aliases)
        self.catch_all_mailboxes = any(a.startswith("@") for a in self.mailboxes)

    def expansion(self, address: str) -> tuple[str, ...] | None:
        """What one alias lookup gives for a lower-case `address` (the full address, then
        `@domain`); `@other` results keep the user, as Postfix does."""
        result = self.aliases.get(address)
        if result is None and self.catch_all_aliases:
            local, domain = parts_of(address)
            result = self.aliases.get(f"@{domain}") if domain is not None and local else None
        if result is None or not result[0].startswith("@"):
            return result
        return split_targets(parts_of(address)[0] + ",".join(result))

    def expands(self, address: str) -> bool:
        return address in self.aliases or (
            self.catch_all_aliases and self.expansion(address) is not None
        )

    def is_mailbox(self, address: str) -> bool:
        """Does a lower-case address find a mailbox (itself, or a `@domain` catch-all)?"""
        if address in self.mailboxes:
            return True
        local, domain = parts_of(address)
        return self.catch_all_mailboxes and bool(local) and f"@{domain}" in self.mailboxes

    def is_hosted(self, domain: str) -> bool:
        return domain.lower() in self.hosted


def _collect(
    tables: list[Table], domains: tuple[str, ...]
) -> tuple[dict[str, list[Claim]], Answers]:
    """Claims by address, and Postfix's answer for each address: the first table (in the
    configured order) that has a result wins, its entries' values in server order."""
    claims: dict[str, list[Claim]] = defaultdict(list)
    for table in tables:
        for node, keys in Claims(table).by_entry(domains):
            for key, attribute in keys:
                claims[key].append(Claim(key, table, node, attribute, _targets(table, node, key)))
    answers = {}
    for key, found in claims.items():
        if len(found) == 1:  # the usual case: one entry answers
            if found[0].targets:
                answers[key] = found[0].targets
            continue
        first = next((c.table for c in found if c.targets), None)
        if first is not None:
            answers[key] = tuple(t for c in found if c.table is first for t in c.targets)
    return dict(claims), answers


def _targets(table: Table, node: Node, key: str) -> tuple[str, ...]:
    try:
        return table.targets(node, key)
    except LookupFailed:
        return ()  # Postfix's lookup fails here: `resolve` shows why
