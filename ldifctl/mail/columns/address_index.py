"""Who claims an address and who forwards to it, kept between runs so that one edited
entry is judged against the few entries it shares addresses with, not 100k.

An `AddressIndex` holds every entry of one state by name (its file) and answers:

- `claimed_by(address)`: the entries that answer to it in an alias or mailbox table;
- `forwarding_to(address)`: the entries whose alias results give it (or give it with an
  extension, when a recipient_delimiter strips one);
- `addresses_of(entry)`: what one entry claims and forwards to;
- `loops_through(addresses)`: the forwarding loops (cycles of the forward graph) that
  hold any of them; `edges` is the forward graph itself (forward_graph.py).

It is made from an `AddressMap` (the routing rules' own view, so it agrees with them by
construction; index_build.py makes it) and kept up to date with `replaced` as entries
change. Where an answer could depend on entries it does not name — catch-all `@domain`
keys, a table it cannot read backwards, a search base made of the key,
special_result_attribute — `local` is False, and whoever relies on it judges the whole
state instead.

Layout: the cache loads it on every edit, so it is a few long texts and flat lists of
numbers, not an object per entry (packed.py): the addresses sorted, beside the numbers
of their entries (looked up by bisection), and each entry's addresses as one line, split
only for the entries an edit touches.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ldifctl.mail.addresses import split_extension
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.columns.forward_graph import strongly_connected
from ldifctl.mail.columns.packed import Keyed, Lines

# An entry's addresses: (what it claims in alias and mailbox tables, what it forwards to).
Owned = tuple[tuple[str, ...], tuple[str, ...]]
@dataclass
class AddressIndex:
    """Entry i is `names[i]` ("" once gone), its addresses `owned[i]` (see `_row`)."""

    names: list[str] = field(default_factory=list)
    owned: Lines = field(default_factory=Lines)
    claimers: Keyed = field(default_factory=Keyed)
    senders: Keyed = field(default_factory=Keyed)
    hosting: list[str] = field(default_factory=list)  # entries the domain tables find
    edges: dict[str, list[str]] = field(default_factory=dict)
    loops: list[list[str]] = field(default_factory=list)  # components of 2 or more
    delimiter: str = ""
    local: bool = True
    routed: bool = True  # False: no rule read addresses, none are held
    _ids: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def entries(self) -> set[str]:
        return set(self.names) - {""}

    def claimed_by(self, address: str) -> list[str]:
        return [self.names[i] for i in self.claimers.get(address)]

    def forwarding_to(self, address: str) -> list[str]:
        return [self.names[i] for i in self.senders.get(address)]

    def addresses_of(self, entry: str) -> Owned:
        i = self.ids.get(entry)
        return ((), ()) if i is None else _unrow(self.owned[i])

    def loops_through(self, addresses: set[str]) -> list[list[str]]:
        return [loop for loop in self.loops if not addresses.isdisjoint(loop)]

    def sent_to(self, targets: Iterable[str]) -> set[str]:
        """What a lookup of `targets` may find: each, and each without its extension."""
        out = set(targets)
        for target in list(out):
            stripped = split_extension(target, self.delimiter) if self.delimiter else None
            if stripped is not None:
                out.add(stripped[0])
        return out

    def in_domains(self, domains: set[str]) -> set[str]:
        """The addresses the index holds (claimed, or forwarded to) in one of `domains` (an
        address without `@` is its own domain)."""
        found: set[str] = set()
        for keyed in (self.claimers, self.senders):
            found.update(_keys_in(keyed, domains))
        return found

    @property
    def ids(self) -> dict[str, int]:
        if self._ids is None:  # built in C: the 100k names of a cached index, on every edit
            self._ids = dict(zip(self.names, range(len(self.names)), strict=True))
            self._ids.pop("", None)  # entries gone
        return self._ids

    def replaced(self, changes: dict[str, Owned | None], graph: dict[str, list[str]]) -> None:
        """Entries changed (None: gone) and the forward graph of the new state."""
        for entry, now in changes.items():
            i = self.ids.get(entry)
            if i is not None:
                _unlink(self, i)
            if now is not None:
                _link(self, entry, now)
        self.edges = graph
        self.loops = sorted(sorted(c) for c in strongly_connected(graph) if len(c) > 1)

    def as_data(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _FIELDS}
        data.update(owned=self.owned.as_data(), claimers=self.claimers.as_data())
        data.update(senders=self.senders.as_data())
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AddressIndex:
        index = cls(**{name: data[name] for name in _FIELDS})
        index.owned = Lines.from_data(data["owned"])
        index.claimers, index.senders = map(Keyed.from_data, (data["claimers"], data["senders"]))
        return index


_FIELDS = ("names", "hosting", "edges", "loops", "delimiter", "local", "routed")


def joined_row(claimed: list[str], given: list[str]) -> str:
    """An entry's row (see `_row`) from its addresses as gathered, each once."""
    return _row((tuple(sorted(set(claimed))), tuple(sorted(set(given)))))


def is_local(amap: AddressMap) -> bool:
    """Is every answer about an address made from the entries that claim it and those
    its claimers forward to?"""
    router = amap.router
    tables = (*router.domain_tables, *router.mailbox_tables, *router.alias_tables)
    odd_table = any(t.atoms is None or t.dynamic_base or t.special for t in tables)
    return not (
        odd_table
        or amap.catch_all_aliases
        or amap.catch_all_mailboxes
        or any(t.startswith("@") for t in amap.alias_claims.all_targets)
    )


def _keys_in(keyed: Keyed, domains: set[str]) -> Iterable[str]:
    """The keys in one of `domains`, found in one pass over the packed keys."""
    lines = keyed.keys
    yield from (k for k in keyed.changed if _domain(k) in domains)
    yield from (d for d in domains if keyed.get(d))
    if not lines.size:
        return
    if len(domains) > _PATTERN_DOMAINS or sum(map(len, domains)) > _PATTERN_CHARS:
        keys: Iterable[str] = map(lines.__getitem__, range(lines.size))
    else:
        wanted = "|".join(map(re.escape, sorted(domains, key=len, reverse=True)))
        starts = lines.starts
        keys = (
            lines[bisect_right(starts, m.start()) - 1]
            for m in re.finditer(f"@(?:{wanted})", lines.text)
        )
    yield from (key for key in keys if _domain(key) in domains and keyed.get(key))


# A pattern of the domains finds their keys in one pass in C. The domains are values of
# the changed entries, which a pull request writes, and a pattern's compiling and trying
# grow with them (one 10 MB value took `plan` 9 s and 1 GB): past a few short ones, each
# key's domain is looked up instead, a pass in Python over the keys.
_PATTERN_DOMAINS, _PATTERN_CHARS = 64, 4096


def _domain(address: str) -> str:
    return address.rpartition("@")[2]


def _row(owned: Owned) -> str:
    """One entry's addresses as one text: its claims, a NUL, its targets (tab-separated)."""
    return "\t".join(owned[0]) + "\0" + "\t".join(owned[1]) if owned[0] or owned[1] else ""


def _unrow(row: str) -> Owned:
    claims, _, targets = row.partition("\0")
    return _split(claims), _split(targets)


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split("\t")) if joined else ()


def _link(index: AddressIndex, entry: str, owned: Owned) -> None:
    i = len(index.names)
    index.names.append(entry)
    index.owned.append(_row(owned))
    index.ids[entry] = i
    for address in owned[0]:
        index.claimers.add(address, i)
    for target in index.sent_to(owned[1]):
        index.senders.add(target, i)


def _unlink(index: AddressIndex, i: int) -> None:
    claimed, given = _unrow(index.owned[i])
    for address in claimed:
        index.claimers.drop(address, i)
    for target in index.sent_to(given):
        index.senders.drop(target, i)
    del index.ids[index.names[i]]
    index.names[i], index.owned[i] = "", ""
