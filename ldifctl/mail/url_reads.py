"""What the filters of a state's LDAP URLs read: the bound on their work that the count
of entries tested (special_values.py: MAX_SCANNED) misses.

A test of one entry reads, for each assertion, the values of its attribute (decoded,
folded, searched): one 8 MB value under a URL of 31 substring assertions is 250 MB read,
and 100 such URLs on it took `validate` a minute (2,000 would take 40). So each URL is
charged, before its scope is tested, the bytes its assertions read over that scope, each
value counted VALUE_COST bytes more (what a value costs beyond its bytes); a presence
assertion reads no value. The URLs of a state read at most MAX_READ in all (10-20 s of
work): 100 dynamic groups over 100k entries, whose filters read a few short values of each
(objectClass and a department number: about 200 bytes as counted), read half of it.
"""

from __future__ import annotations

from itertools import compress

from ldifctl.mail.ldap_filter import And, Filter, Not, Or, Present
from ldifctl.mail.tree import Rows, Tree
from ldifctl.model import dn as dnmod
from ldifctl.model.snapshot import Values

MAX_READ = 2**32  # bytes, over all the URLs of a state
VALUE_COST = 32


def reads(node: Filter | None) -> list[str]:
    """The attribute each assertion of the filter reads the values of (once per assertion)."""
    if node is None or isinstance(node, Present):
        return []
    if isinstance(node, And | Or):
        return [name for part in node.parts for name in reads(part)]
    if isinstance(node, Not):
        return reads(node.part)
    return [node.attr]


def read(tree: Tree, node: Filter | None, base: dnmod.DnKey, scope: str) -> int:
    """The bytes the filter's tests read over the entries of the scope (an upper bound)."""
    names = [tree.schema.attribute(name).name for name in reads(node)]
    return sum(_in_scope(tree, name, base, scope) for name in names)


def _in_scope(tree: Tree, name: str, base: dnmod.DnKey, scope: str) -> int:
    """The cost of reading `name` in every entry of the scope (kept: URLs share bases)."""
    return tree.derived((_in_scope, name, base, scope), lambda: _total(tree, name, base, scope))


def _total(tree: Tree, name: str, base: dnmod.DnKey, scope: str) -> int:
    costs = tree.derived((_cost, name), lambda: list(map(_cost, tree.column(name))))
    flags = tree.flags(Rows(base, scope))
    return sum(costs if flags is None else compress(costs, flags))


def _cost(values: Values) -> int:
    return sum(map(len, values)) + VALUE_COST * len(values) if values else 0
