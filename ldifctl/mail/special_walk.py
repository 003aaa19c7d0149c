"""special_result_attribute values followed depth first, in dict_ldap's order
(dict_ldap_get_values), and the two ways such a lookup ends without an answer. What a
value names is special_values.py's to say: the walk asks it through `Follows`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from ldifctl.mail.tree import Node

RECURSION_LIMIT = 1000  # ldap_table(5) recursion_limit, whose default Postfix keeps here
MAX_VALUES = 1_000_000  # a chain of groups that fans out doubles at every level
_TOO_DEEP = f"values nest past the recursion limit ({RECURSION_LIMIT})"

Only = frozenset[str] | None  # the attributes read from the entries found; None: all
State = tuple[Node, Only]
Format = Callable[[list[bytes]], tuple[str, ...]]


class LookupFailed(Exception):
    """Postfix would report a table error here (and defer the mail), not "not found"."""


class CannotTell(LookupFailed):
    """Postfix follows the value, but not in a way ldifctl can repeat offline."""


class Follows(Protocol):
    def own(self, node: Node, only: Only, fmt: Format) -> tuple[tuple[str, ...], list[bytes]]:
        """An entry's own results, and the special values to follow from it."""

    def follow(self, value: bytes) -> list[State]:
        """The entries a special value names, ranked, with the attributes read from them."""

    def fail(self, kind: type[LookupFailed], problem: str) -> LookupFailed:
        """The error, naming the table."""


@dataclass
class _Frame:
    state: State
    start: int  # where its results begin in the walk's output
    children: Iterator[State]
    deep: int  # how far below it the deepest entry with special values is; -1: none


class Walk:
    """Depth first without recursion (chains can be a thousand deep): each state (entry,
    attributes read) once; a state met again on its own path is a loop, which Postfix
    follows until its recursion limit and then fails."""

    def __init__(self, refs: Follows, fmt: Format) -> None:
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
