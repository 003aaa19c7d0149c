"""What the routing impact says of one address (mail/impact.py works it out): its
outcome in each state, the steps of each route, and where the steps that changed are
written; and the bounds on what the impacts of one change may cost and keep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, order=True)
class Outcome:
    """`R` of DESIGN §8: resolve's status and final destinations (address, kind)."""

    status: str
    destinations: tuple[tuple[str, str], ...]

    def text(self) -> str:
        """`a@x (mailbox), b@y (external)`; a loop, a deferral or an unknown address by name."""
        if self.status in ("delivered", "undeliverable") and self.destinations:
            return ", ".join(f"{a} ({k})" for a, k in self.destinations)
        return self.status


UNKNOWN = Outcome("unknown", ())
UNRESOLVED = Outcome("unresolved", ())  # past MAX_ROUTING_WORK: not worked out


MAX_ROUTING_WORK = 10_000_000
"""What the routes of one change may cost, both states together (Router.work): each
address asked, each table lookup made, found or not (a table no index reads: each
entry it tests), and each alias result; 45 to 90 s here. Postfix bounds each address's
expansion (1,000 addresses, nesting 1,000 deep), not how many addresses share a long
route: entries in layers, each forwarding to the 30 of
the next, made 9,990 addresses each routed through all the layers below, 52 million
steps and results, 45 s; more layers, quadratically more. Nor how many addresses a
change names: one 12 MB entry forwarding to 500k addresses no table knows cost 10.5
million, nearly all of it lookups that found nothing. A directory's real routes cost a
few lookups an address: a change of the tables' order at 100k entries, which makes every
address a candidate, cost 2.8 million (past ~350k entries, such a change leaves
addresses unresolved). Past the bound, the addresses left are reported `unresolved`,
each once, for `ldifctl resolve` to answer one by one."""

MAX_KEPT_STEPS = 2_000
"""The steps the impacts of one change keep, in all and in address order: more than the
picture draws (cli/mermaid.py: 25 routes in 10,000 characters). Every route is still
compared step by step, and let go. A route may hold a thousand steps (Postfix expands up
to virtual_alias_expansion_limit addresses), and a pull request of a few MB can give
thousands of addresses such a route: 3,000 entries in layers, each forwarding to the 30
of the next, made 4.6 million steps, and keeping them all took 26 s and 2.3 GB."""


class Edge(NamedTuple):
    """One step of a route: an alias lookup (`kind` alias), or where it ends (no `target`;
    `kind` the destination's: mailbox, external, undeliverable). A tuple: millions are
    made, compared and sorted in C."""

    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class AddressImpact:
    address: str
    before: Outcome
    after: Outcome
    old_edges: tuple[Edge, ...]  # the whole route before
    new_edges: tuple[Edge, ...]  # and after
    files: tuple[str, ...]  # where the steps that changed come from (file:line, or DN)
    steps_kept: bool = True  # False: past MAX_KEPT_STEPS, both edge lists are left empty

    def reversed(self) -> AddressImpact:
        """The same routes seen the other way: what undoing the change does to mail."""
        return AddressImpact(self.address, self.after, self.before,
                             self.new_edges, self.old_edges, self.files, self.steps_kept)

    def line(self) -> str:
        """`address: before -> after`, as stderr and a drift branch's commit message say it."""
        if self.before == UNRESOLVED:
            return (
                f"{self.address}: unresolved (the routes of this change cost more than "
                f"{MAX_ROUTING_WORK:,} lookups: `ldifctl resolve` answers for one address)"
            )
        line = f"{self.address}: {self.before.text()} -> {self.after.text()}"
        return line if self.before != self.after else line + " (by another route)"
