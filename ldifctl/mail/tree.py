"""A snapshot arranged for lookups: entries by DN, children by parent, search scopes.

The policies build one for 100k entries on every pass, so the bulk work runs as C loops
(map, zip, compress over lists); what only lookups need is built on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, count, repeat, tee
from operator import attrgetter, itemgetter, methodcaller
from typing import Any, Protocol, TypeVar, cast

from ldifctl.mail.ldap_match import AttrView, attribute_view
from ldifctl.model import dn as dnmod
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Values

_ATTRS = attrgetter("attrs")
_PARENT = itemgetter(slice(1, None))
_DICT_GET: Callable[[AttrView, str, Values], Values] = dict.get  # type: ignore[assignment]


class EntrySet(Protocol):
    """Entries with their DN keys: a Snapshot, or a state rebuilt from the cache."""

    schema: Schema

    @property
    def names(self) -> set[str]:
        """Every attribute name its entries use (noted while loading)."""
        ...

    def listed(self) -> tuple[list[dnmod.DnKey], list[Entry]]:
        """The DN keys and the entries, as two lists in one order."""
        ...


@dataclass(slots=True, eq=False)  # compared and hashed by identity; cheap to make
class Node:
    key: dnmod.DnKey
    entry: Entry
    view: AttrView

    @property
    def rank(self) -> tuple[int, str, str]:
        """Parents first, then by DN: the order `export` (and so the server) lists entries."""
        return (len(self.key), self.entry.dn.lower(), self.entry.dn)


RANK = attrgetter("rank")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Rows:
    """Some entries of a search scope: those where `picked` (one flag per entry of the
    scope, in its order) is true; all of them when it is None."""

    base: dnmod.DnKey
    scope: str
    picked: list[bool] | None = None


EVERY = Rows((), "sub")


class Tree:
    def __init__(self, snapshot: EntrySet) -> None:
        self.schema = snapshot.schema
        self.keys, entries = snapshot.listed()
        self.views = _views(entries, snapshot.names, self.schema)
        self._held = {self.schema.attribute(n).name for n in snapshot.names}
        self.nodes = list(map(Node, self.keys, entries, self.views))
        # Tables, rules and scopes read the same few attributes and bases: read each once.
        self._columns: dict[str, list[Values]] = {}
        self._derived: dict[Hashable, Any] = {}
        self._kinds: dict[str, tuple[list[int], dict[int, Values]]] = {}
        self._scopes: dict[tuple[dnmod.DnKey, str], list[bool] | None] = {}
        self._scoped: dict[tuple[str, dnmod.DnKey, str], list[Any]] = {}
        self._tails: dict[int, list[dnmod.DnKey]] = {}

    def forget(self) -> None:
        """Let go of what was read for the rules (the texts of whole address columns:
        36 MB at 100k entries), once they are done; asked again, it is read again."""
        for cache in (self._columns, self._derived, self._kinds, self._scopes):
            cache.clear()
        self._scoped.clear()
        self._tails.clear()
        self.__dict__.pop("by_key", None)

    @cached_property
    def by_key(self) -> dict[dnmod.DnKey, Node]:
        return dict(zip(self.keys, self.nodes, strict=True))

    def holds(self, key: dnmod.DnKey) -> bool:
        """Is there an entry with this DN key?"""
        # A scan of the keys beats building `by_key` when no lookup has needed it yet.
        return key in self.by_key if "by_key" in self.__dict__ else key in self.keys

    def node(self, dn: str) -> Node | None:
        try:
            return self.by_key.get(self.schema.dn_key(dn))
        except dnmod.DnError:
            return None

    def held(self, name: str) -> bool:
        """Does any entry hold attribute `name` (its schema name)?"""
        return name in self._held

    def column(self, name: str) -> list[Values]:
        """The values of attribute `name` (by its schema name; `()` for none) of each
        entry, in the tree's order."""
        # Every name no entry holds shares one column of nothing, kept as "": a policy
        # can name thousands (30,000 forbidden attributes at 3,000 entries were 750 MB).
        key = name if name in self._held else ""
        found = self._columns.get(key)
        if found is None:
            found = self._columns[key] = _read(self.views, name) if key else [()] * len(self.keys)
        return found

    def derived(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """What is worked out from the tree once and read by many (the bulk view's texts
        of whole columns, mail/columns/text.py), kept with the tree under `key`."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = make()
        return cast(_T, found)

    def kinds(self, name: str) -> tuple[list[int], dict[int, Values]]:
        """Entries grouped by their values of `name` (objectClass, say: few distinct lists
        for many entries): the group of each entry, and each group's values."""
        found = self._kinds.get(name)
        if found is None:
            index: dict[Values, int] = {}
            # setdefault keeps the first number drawn for each distinct list of values.
            groups = list(map(index.setdefault, self.column(name), count()))
            found = self._kinds[name] = (groups, {g: v for v, g in index.items()})
        return found

    def flags(self, rows: Rows) -> list[bool] | None:
        """Which entries of the whole tree `rows` holds, entry by entry (None: all)."""
        scope = self._picked(rows.base, rows.scope)
        if rows.picked is None or scope is None:
            return scope if rows.picked is None else rows.picked
        inside = iter(rows.picked)
        return [s and next(inside) for s in scope]

    def select(self, rows: Rows) -> list[Node]:
        return self._selected("nodes", self.nodes, rows)

    def views_of(self, rows: Rows) -> list[AttrView]:
        return self._selected("views", self.views, rows)

    def scope(self, base: dnmod.DnKey, scope: str) -> list[Node]:
        """The entries a search with this base and scope reads (in no particular order:
        results are ranked where order matters).

        A base that is no entry finds nothing (the server says noSuchObject), except the
        empty base, which holds every entry.
        """
        return self.select(Rows(base, scope))

    def _selected(self, what: str, items: list[_T], rows: Rows) -> list[_T]:
        """`items` (one per entry) of the entries in `rows`; `what` names them: several
        tables read the same scope."""
        picked = self._picked(rows.base, rows.scope)
        if picked is None:
            inside = items
        else:
            cached = self._scoped.get((what, rows.base, rows.scope))
            if cached is None:
                cached = self._scoped[(what, rows.base, rows.scope)] = list(compress(items, picked))
            inside = cached
        return inside if rows.picked is None else list(compress(inside, rows.picked))

    def _picked(self, base: dnmod.DnKey, scope: str) -> list[bool] | None:
        """Which entries are in the scope, entry by entry (None: all of them)."""
        if (base, scope) not in self._scopes:
            self._scopes[(base, scope)] = self._pick(base, scope)
        return self._scopes[(base, scope)]

    def _pick(self, base: dnmod.DnKey, scope: str) -> list[bool] | None:
        if not base and scope == "sub":
            return None
        if not self.holds(base):
            return [False] * len(self.keys)
        if scope == "base":
            return list(map(base.__eq__, self.keys))
        if scope == "one":
            return list(map(base.__eq__, map(_PARENT, self.keys)))
        if len(base) not in self._tails:  # bases of one depth are common: cut keys once
            self._tails[len(base)] = _shared(map(itemgetter(slice(-len(base), None)), self.keys))
        return list(map(base.__eq__, self._tails[len(base)]))

    @staticmethod
    def in_scope(node: Node, base: dnmod.DnKey, scope: str) -> bool:
        if scope == "base":
            return node.key == base
        if scope == "one":
            return node.key[1:] == base
        return dnmod.is_within(node.key, base)


def _shared(tails: Iterator[dnmod.DnKey]) -> list[dnmod.DnKey]:
    """The tails, equal ones made one object: the 60k entries below one base share one
    tail rather than hold 60k copies of it (6 MB at 100k entries), and a base is compared
    with it quicker."""
    seen: dict[dnmod.DnKey, dnmod.DnKey] = {}
    first, again = tee(tails)
    return list(map(seen.setdefault, first, again))


def _read(views: list[AttrView], name: str) -> list[Values]:
    # dict.get unbound, mapped over the views: no method lookup per entry (14 ms for 100k
    # entries, where a methodcaller takes twice that; reading several attributes entry by
    # entry, while each is in the CPU cache, is slower still).
    nothing: Values = ()
    try:
        return list(map(_DICT_GET, views, repeat(name), repeat(nothing)))
    except TypeError:  # some view is a Mapping that is no dict
        return list(map(methodcaller("get", name, ()), views))


def _views(entries: list[Entry], names: set[str], schema: Schema) -> list[AttrView]:
    """Each entry's attribute view. When every attribute name in the state is the schema's
    spelling (entry files always are), every entry is its own view."""
    if all(schema.attribute(n).name == n for n in names):
        return list(map(_ATTRS, entries))
    memo: dict[tuple[str, ...], tuple[str, ...]] = {}
    return [attribute_view(entry, schema, memo) for entry in entries]
