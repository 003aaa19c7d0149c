"""Which entries hold, or lack, an attribute: read over whole columns, for the rules about
single entries. `lacking` groups entries by their list of object classes first (a
directory has a few distinct lists for 100k entries); judged entry by entry, the answer
is the same (tests/mail/test_columns.py holds the two together)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import compress
from operator import and_, not_

from ldifctl.mail.ldap_match import ClassClosure
from ldifctl.mail.tree import Node, Tree


def holding(tree: Tree, name: str) -> list[Node]:
    """The entries that hold attribute `name` (its schema name: a column holds every
    option of the type, and the OID is the name)."""
    return list(compress(tree.nodes, tree.column(name))) if tree.held(name) else []


def lacking(tree: Tree, needs: Mapping[str, Sequence[str]]) -> Iterator[tuple[str, str, Node]]:
    """(class, attribute, entry) for every entry of a class in `needs` (or of a subclass)
    that lacks an attribute the class needs (class -> attribute names)."""
    wanted = {
        cls.lower().encode(): (cls, [tree.schema.attribute(n).name for n in names])
        for cls, names in needs.items()
    }
    closure = ClassClosure(tree.schema)
    groups, classes = tree.kinds("objectClass")
    by_group = {
        g: [(c, n) for k, (c, ns) in wanted.items() if k in closure(v) for n in ns]
        for g, v in classes.items()
    }
    for name in sorted({n for pairs in by_group.values() for _, n in pairs}):
        needing = {g: [c for c, n in pairs if n == name] for g, pairs in by_group.items()}
        needing = {g: found for g, found in needing.items() if found}
        without = map(and_, map(needing.__contains__, groups), map(not_, tree.column(name)))
        for i in compress(range(len(groups)), without):
            for cls in needing[groups[i]]:
                yield cls, name, tree.nodes[i]
