"""The address index is made in two steps (mail/columns/index_build.py) so that the
entries of a state judged whole can go before its claims are sorted: what the first
step keeps must reach no entry, or a cold validate holds them all at its peak again."""

from __future__ import annotations

import gc
from types import BuiltinFunctionType, FunctionType, ModuleType

from hypothesis import given, reject, settings
from hypothesis import strategies as st
from test_address_map import PERSON, TABLES, People, state

from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.columns.index_build import Gathered, build, gather
from ldifctl.mail.routing import Router
from ldifctl.mail.tree import Node
from ldifctl.model.errors import LdifctlError
from ldifctl.model.snapshot import Entry, Snapshot


def reachable(root: object) -> list[object]:
    """Every object `root` reaches through references, but for classes, modules and
    functions (through them every object of the program is reached)."""
    seen: dict[int, object] = {id(root): root}
    todo = [root]
    while todo:
        for found in gc.get_referents(todo.pop()):
            if id(found) not in seen and not isinstance(found, CODE):
                seen[id(found)] = found
                todo.append(found)
    return list(seen.values())


CODE = (type, ModuleType, FunctionType, BuiltinFunctionType)


def gathered(people: People) -> tuple[Snapshot, Gathered, list[tuple[str, str]]]:
    """A random state, what is gathered of it, and every claim of its map by DN."""
    snapshot = state(people)
    amap = AddressMap(Router(snapshot, TABLES))
    groups = (amap.alias_claims, amap.mailbox_claims)
    claims = [(k, n.entry.dn) for g in groups for k, n in zip(g.keys, g.nodes, strict=True)]
    try:
        found = gather([entry.dn for entry in snapshot], amap, lambda n: n.entry.dn)
    except LdifctlError as refused:
        # A catch-all feeding its own longer addresses back: the checks refuse such a
        # state before an index is made of it (test_attack_mail_templates.py).
        assert "routes its mail back into itself" in str(refused)
        reject()
    return snapshot, found, claims


@settings(max_examples=60, deadline=None)
@given(st.lists(PERSON, min_size=1, max_size=6))
def test_what_is_gathered_holds_no_entry(people: People) -> None:
    _, found, claims = gathered(people)
    held = reachable(found)
    assert not [o for o in held if isinstance(o, Entry | Node | Snapshot | AddressMap)]
    # ... and yet it is every claim of the map, its entry by number.
    by_number = [(key, found.names[i]) for key, i in zip(found.keys, found.owners, strict=True)]
    assert by_number == claims


@settings(max_examples=60, deadline=None)
@given(st.lists(PERSON, min_size=1, max_size=6))
def test_the_index_is_built_from_what_was_gathered_alone(people: People) -> None:
    snapshot, found, claims = gathered(people)
    names = list(found.names)
    del snapshot  # nothing of the state is left but what was gathered
    index = build(found)
    for key, dn in claims:
        assert dn in index.claimed_by(key)
    assert index.names == names
    assert (found.keys, list(found.owners), found.targets) == ([], [], [])  # let go of
