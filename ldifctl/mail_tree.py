"""A snapshot arranged for lookups: entries by DN, children by parent, search scopes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from ldifctl import dn as dnmod
from ldifctl.ldap_match import AttrView, attribute_view
from ldifctl.model import Entry
from ldifctl.schema import Schema


class EntrySet(Protocol):
    """Entries with their DN keys: a Snapshot, or a state rebuilt from the cache."""

    schema: Schema

    def items(self) -> Iterable[tuple[dnmod.DnKey, Entry]]: ...


@dataclass(slots=True, eq=False)  # compared and hashed by identity; cheap to make
class Node:
    key: dnmod.DnKey
    entry: Entry
    view: AttrView
    order: int  # parents first, then by DN: the order `export` (and so the server) has


class Tree:
    def __init__(self, snapshot: EntrySet) -> None:
        self.schema = snapshot.schema
        ordered = sorted(snapshot.items(), key=lambda kv: (len(kv[0]), kv[1].dn.lower()))
        memo: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.nodes = [
            Node(key, entry, attribute_view(entry, self.schema, memo), i)
            for i, (key, entry) in enumerate(ordered)
        ]
        self.by_key = {n.key: n for n in self.nodes}
        self.children: dict[dnmod.DnKey, list[Node]] = {}
        self._scopes: dict[tuple[dnmod.DnKey, str], list[Node]] = {}  # tables share bases
        for node in self.nodes:
            self.children.setdefault(node.key[1:], []).append(node)

    def node(self, dn: str) -> Node | None:
        try:
            return self.by_key.get(self.schema.dn_key(dn))
        except dnmod.DnError:
            return None

    def scope(self, base: dnmod.DnKey, scope: str) -> list[Node]:
        """The entries a search with this base and scope reads, in tree order.

        A base that is no entry finds nothing (the server says noSuchObject), except the
        empty base, which holds every entry.
        """
        if (base, scope) not in self._scopes:
            self._scopes[(base, scope)] = self._scope(base, scope)
        return self._scopes[(base, scope)]

    def _scope(self, base: dnmod.DnKey, scope: str) -> list[Node]:
        top = self.by_key.get(base)
        if not base and scope == "sub":
            return list(self.nodes)
        if top is None:
            return []
        if scope == "base":
            return [top]
        if scope == "one":
            return list(self.children.get(base, ()))
        found, todo = [top], [base]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                found.append(child)
                todo.append(child.key)
        return sorted(found, key=lambda n: n.order)

    @staticmethod
    def in_scope(node: Node, base: dnmod.DnKey, scope: str) -> bool:
        if scope == "base":
            return node.key == base
        if scope == "one":
            return node.key[1:] == base
        return dnmod.is_within(node.key, base)
