"""special_result_attribute values followed as Postfix follows them (dict_ldap.c,
dict_ldap_get_values): a DN is read as a base search `(objectClass=*)`; an LDAP URL
(ldap_url.py) is searched with its base, scope and filter, on the same server whatever
its host, asking only for the table's result attributes it lists. Every entry found gives
its own values and is followed in turn, depth first, up to dict_ldap's recursion_limit.

A URL is untrusted input (a pull request writes it): its filter is held to the limits of
a query_filter (ldap_filter.py), each distinct value is searched once per table, the
state's URLs test MAX_SCANNED entries and read url_reads.MAX_READ bytes at most, and a
walk visits each (entry, attributes read) once and stops at MAX_VALUES results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ldifctl.mail import url_reads
from ldifctl.mail.ldap_filter import Filter, FilterError, parse
from ldifctl.mail.ldap_match import compile_filter
from ldifctl.mail.ldap_url import UrlError, is_ldap_url, parse_url
from ldifctl.mail.settings import TableSpec
from ldifctl.mail.tree import RANK, Node, Tree
from ldifctl.model import dn as dnmod

RECURSION_LIMIT = 1000  # ldap_table(5) recursion_limit, whose default Postfix keeps here
MAX_URL = 4096  # characters; real dynamic-group URLs hold well under 200
MAX_VALUES = 1_000_000  # a chain of groups that fans out doubles at every level
# Entries tested against URL filters for one state, over all its tables (~10 s at worst):
# each distinct URL scans its scope, and a pull request may add 10k URLs over 100k entries.
MAX_SCANNED = 10_000_000
_TOO_DEEP = f"values nest past the recursion limit ({RECURSION_LIMIT})"
# What ldifctl's filter parser declines that a server evaluates (ldap_filter.py).
_DECLINED = ("not supported", "more than")
# libldap also takes RFC 1960's `\*`, `\(`, `\)` and `\\` escapes in a value.
_OLD_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{2}|[*()\\])")

Only = frozenset[str] | None  # the attributes read from the entries found; None: all
State = tuple[Node, Only]
Format = Callable[[list[bytes]], tuple[str, ...]]


class LookupFailed(Exception):
    """Postfix would report a table error here (and defer the mail), not "not found"."""


class CannotTell(LookupFailed):
    """Postfix follows the value, but not in a way ldifctl can repeat offline."""


class OverBudget(CannotTell):
    """The state's URLs scan more entries than MAX_SCANNED, or their filters read more
    than url_reads.MAX_READ: the rest are not followed."""


@dataclass
class _Scanned:
    left: int = field(default_factory=lambda: MAX_SCANNED)
    read: int = field(default_factory=lambda: url_reads.MAX_READ)  # bytes


@dataclass
class References:
    """The entries a table's special values name, and its attributes, by kind (schema
    names): what each entry gives and which of its values are followed."""

    tree: Tree
    spec: TableSpec
    terminal: tuple[str, ...]
    special: tuple[str, ...]
    regular: tuple[str, ...]
    leafy: tuple[str, ...]
    _found: dict[str, list[State]] = field(default_factory=dict)

    def expand(self, start: Node, fmt: Format) -> tuple[str, ...]:
        """The entry's results and those of every entry it names, in dict_ldap's order."""
        return _Walk(self, fmt).run(start)

    def own(self, node: Node, only: Only, fmt: Format) -> tuple[tuple[str, ...], list[bytes]]:
        """An entry's own results, and its special values (none for a terminal entry)."""
        terminal = _pick(node, self.terminal, only)
        if terminal:
            return fmt(terminal), []
        special = _pick(node, self.special, only)
        return fmt(_pick(node, self.regular if special else self.leafy, only)), special

    def follow(self, value: bytes) -> list[State]:
        """The entries a special value names, ranked, with the attributes read from them."""
        text = value.decode("utf-8", "replace")
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = self._search(text)
        return found

    def _search(self, text: str) -> list[State]:
        if not is_ldap_url(text):
            node = self.tree.by_key.get(self._dn_key(text))
            return [(node, None)] if node is not None else []  # noSuchObject: skipped
        if len(text) > MAX_URL:
            raise self.fail(CannotTell, f"an LDAP URL of more than {MAX_URL} characters")
        try:
            url = parse_url(text)
        except UrlError as err:
            raise self.fail(LookupFailed, f"value is a malformed URL, {text}: {err}") from None
        only = self.requested(url.attrs)
        if only is not None and not only:
            return []  # Postfix skips a URL that lists none of the table's attributes
        wanted = self.parsed(url.filter)
        base = self._dn_key(url.dn)
        if not base:  # slapd: noSuchObject (no default search base); 389: every suffix
            raise self.fail(CannotTell, f"{text}, whose search base is empty")
        scope = "sub" if url.scope == "subordinate" else url.scope
        within = self.tree.scope(base, scope)
        scanned = self.tree.derived(_Scanned, _Scanned)
        scanned.left -= len(within)
        scanned.read -= url_reads.read(self.tree, wanted, base, scope)  # before they are read
        if scanned.left < 0 or scanned.read < 0:
            over = (f"search more than {MAX_SCANNED:,} entries" if scanned.left < 0 else
                    f"read more than {url_reads.MAX_READ:,} bytes of values")
            raise self.fail(OverBudget, f"{text}: with it, the LDAP URLs of this state {over} "
                            "in all")
        test = compile_filter(wanted, self.tree.schema) if wanted else lambda view, subst: True
        nodes = [n for n in within if test(n.view, {})]
        if url.scope == "subordinate":
            nodes = [n for n in nodes if n.key != base]
        return [(n, only) for n in sorted(nodes, key=RANK)]

    def requested(self, attrs: tuple[str, ...]) -> Only:
        """url_attrs: the table's attributes the URL lists, compared as written."""
        if not attrs:
            return None
        spec = self.spec
        mine = (
            *spec.terminal_result_attributes,
            *spec.leaf_result_attributes,
            *spec.result_attributes,
            *spec.special_result_attributes,
        )
        chosen = set()
        for asked in attrs:
            for name in mine:
                if asked.lower() == name.lower():
                    chosen.add(self.tree.schema.attribute(name).name)
                elif asked.split(";")[0].lower() == name.split(";")[0].lower():
                    # `mail;lang-de`: the server sends only those values, which ldifctl
                    # reads together with all the others.
                    raise self.fail(CannotTell, f"the attribute option in {asked!r}")
        return frozenset(chosen)

    def parsed(self, text: str | None) -> Filter | None:
        """The URL's filter, parsed within a query_filter's limits (None: every entry)."""
        if text is None:
            return None
        try:
            return parse(_OLD_ESCAPE.sub(_new_escape, text))
        except FilterError as err:
            if any(word in str(err) for word in _DECLINED):
                raise self.fail(CannotTell, f"the filter {text}: {err}") from None
            raise self.fail(LookupFailed, f"value has a bad search filter, {text}: {err}") from None

    def _dn_key(self, text: str) -> dnmod.DnKey:
        try:
            return self.tree.schema.dn_key(text)
        except dnmod.DnError:
            raise self.fail(LookupFailed, f"value has an invalid DN, {text}") from None

    def fail(self, kind: type[LookupFailed], problem: str) -> LookupFailed:
        where = f"{self.spec.name}: special_result_attribute"
        if issubclass(kind, CannotTell):
            return kind(f"{where}: ldifctl cannot tell what Postfix does with {problem}")
        return kind(f"{where} {problem}")


def _pick(node: Node, names: tuple[str, ...], only: Only) -> list[bytes]:
    return [
        v for name in names if only is None or name in only for v in sorted(node.view.get(name, ()))
    ]


def _new_escape(match: re.Match[str]) -> str:
    found = match[1]
    return f"\\{found}" if len(found) == 2 else f"\\{ord(found):02x}"


@dataclass
class _Frame:
    state: State
    start: int  # where its results begin in the walk's output
    children: Iterator[State]
    deep: int  # how far below it the deepest entry with special values is; -1: none


class _Walk:
    """Depth first without recursion (chains can be a thousand deep): each state (entry,
    attributes read) once; a state met again on its own path is a loop, which Postfix
    follows until its recursion limit and then fails."""

    def __init__(self, refs: References, fmt: Format) -> None:
        self.refs, self.fmt = refs, fmt
        self.out: list[str] = []
        self.path: list[_Frame] = []
        self.on_path: set[State] = set()
        self.done: dict[State, tuple[int, int, int]] = {}  # output start, end, deep

    def run(self, start: Node) -> tuple[str, ...]:
        self.enter((start, None))
        while self.path:
            frame = self.path[-1]
            child = next(frame.children, None)
            if child is None:
                self.leave(frame)
            elif child in self.on_path:
                states = [f.state for f in self.path]
                chain = [n.entry.dn.lower() for n, _ in (*states[states.index(child) :], child)]
                raise self.refs.fail(LookupFailed, f"loops: {' -> '.join(chain)}")
            elif child in self.done:
                self.again(frame, *self.done[child])
            else:
                self.enter(child)
        return tuple(self.out)

    def enter(self, state: State) -> None:
        values, special = self.refs.own(*state, self.fmt)
        if special and len(self.path) + 1 >= RECURSION_LIMIT:
            raise self.refs.fail(LookupFailed, _TOO_DEEP)
        children = (c for value in special for c in self.refs.follow(value))
        self.path.append(_Frame(state, len(self.out), children, 0 if special else -1))
        self.on_path.add(state)
        self.add(values)

    def leave(self, frame: _Frame) -> None:
        self.path.pop()
        self.on_path.discard(frame.state)
        self.done[frame.state] = (frame.start, len(self.out), frame.deep)
        if self.path and frame.deep >= 0:
            self.path[-1].deep = max(self.path[-1].deep, frame.deep + 1)

    def again(self, frame: _Frame, start: int, end: int, deep: int) -> None:
        """A state expanded before on another path gives the same results."""
        if deep >= 0 and len(self.path) + 1 + deep >= RECURSION_LIMIT:
            raise self.refs.fail(LookupFailed, _TOO_DEEP)
        frame.deep = max(frame.deep, deep + 1 if deep >= 0 else -1)
        self.add(self.out[start:end])

    def add(self, values: tuple[str, ...] | list[str]) -> None:
        if len(self.out) + len(values) > MAX_VALUES:
            raise self.refs.fail(CannotTell, f"more than {MAX_VALUES} results")
        self.out += values
