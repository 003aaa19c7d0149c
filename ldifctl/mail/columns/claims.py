"""A table read backwards: every key each entry answers to, for all entries in one pass.

Keys are read back out of the values of the filter's key atoms (`mail: a@x` answers
`(mail=%s)` for the key `a@x`) and then confirmed. For the usual filter, an AND of
fixed tests and one `(attr=%s)`, the fixed part is tested once per distinct value of
what it reads (objectClass) and the keys are the values themselves, lower-cased in one
string operation: the answer is the same as a lookup's, at a fraction of the cost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import chain, compress, repeat
from operator import and_

from ldifctl.mail.columns.text import column_text
from ldifctl.mail.filter_keys import without
from ldifctl.mail.ldap_filter import Filter, attributes, placeholders
from ldifctl.mail.ldap_match import CASE_IGNORE, compile_filter
from ldifctl.mail.tables import Table
from ldifctl.mail.templates import reverse_keys
from ldifctl.mail.tree import EVERY, Node, Rows

NO_SUBSTITUTIONS: dict[str, str] = {}
_FEW = 16  # a scope of less than 1/16 of the entries is small


@dataclass
class Columns:
    """One table's claims, entry by entry: `nodes[i]` answers to the next `counts[i]` of
    `keys`, each held in the attribute at the same place in `attributes`."""

    nodes: list[Node]
    counts: list[int]
    keys: list[str]
    attributes: list[str]
    held: list[bool] | None = None  # which entries of the tree `nodes` are, when known

    def owners(self) -> list[Node]:
        """The entry of each key."""
        if len(self.keys) == len(self.nodes):  # a key each (no entry has none)
            return self.nodes
        return list(chain.from_iterable(map(repeat, self.nodes, self.counts)))


class Claims:
    def __init__(self, table: Table) -> None:
        self.table = table
        schema = table.tree.schema
        self.atoms = [
            (atom, schema.attribute(atom.attr).name, compile_filter(atom, schema))
            for atom in table.atoms or ()
        ]
        rest = self._fixed_part()
        self.fixed = None if rest is None else compile_filter(rest, schema)
        reads = attributes(rest) if rest is not None else set()
        self.fixed_reads = sorted({schema.attribute(a).name for a in reads})
        # `(mail=%s)` on a case-insensitive attribute: an ASCII value is itself the key.
        self.quick = (
            self.fixed is not None
            and self.atoms[0][0].value in (("s",), ("S",))
            and (schema.attribute(self.atoms[0][0].attr).equality in CASE_IGNORE)
        )

    def _fixed_part(self) -> Filter | None:
        """The filter without its one key atom, when that leaves no placeholder."""
        if len(self.atoms) != 1 or self.table.dynamic_base:
            return None
        rest = without(self.table.spec.filter, self.atoms[0][0])
        return None if rest is None or placeholders(rest) else rest

    def columns(self, domains: tuple[str, ...]) -> Columns:
        """Every entry that answers to some key, with its keys."""
        flags = self.candidates()
        # A small scope (the domain entries, say) is read entry by entry: a whole column
        # of 100k entries costs more than a few hundred entries read one by one.
        few = flags is not None and flags.count(True) * _FEW < len(flags)
        if self.quick and not self.table.may_skip and not few:
            found = self._quick_columns(flags)
            if found is not None:
                return found
        cols = Columns([], [], [], [])
        keys_of = self._quick_keys if self.quick else self.keys_of
        nodes = self.table.tree.nodes
        for node in nodes if flags is None else compress(nodes, flags):
            keys = keys_of(node, domains)
            if keys:
                cols.nodes.append(node)
                cols.counts.append(len(keys))
                cols.keys += [k for k, _ in keys]
                cols.attributes += [a for _, a in keys]
        return cols

    def candidates(self) -> list[bool] | None:
        """Which entries of the tree are in scope and pass the fixed part of the filter
        (None: all of them)."""
        table, tree, fixed = self.table, self.table.tree, self.fixed
        scope = EVERY if table.base is None else Rows(table.base, table.spec.scope)
        if fixed is None:
            return tree.flags(scope)
        if not self.fixed_reads:  # what is left reads nothing, as `(&)`: it is a constant
            passes = fixed({}, NO_SUBSTITUTIONS)
            return tree.flags(scope) if passes else [False] * len(tree.keys)
        if len(self.fixed_reads) != 1:
            views = tree.views_of(scope)
            return tree.flags(replace(scope, picked=[fixed(v, NO_SUBSTITUTIONS) for v in views]))
        # It reads one attribute (objectClass, as a rule): one test per distinct value.
        name = self.fixed_reads[0]
        groups, values = tree.kinds(name)
        verdict = {g: fixed({name: v}, NO_SUBSTITUTIONS) for g, v in values.items()}
        passing = list(map(verdict.__getitem__, groups))
        inside = tree.flags(scope)
        return passing if inside is None else list(map(and_, inside, passing))

    def _quick_columns(self, flags: list[bool] | None) -> Columns | None:
        """`(attr=%s)` keys for all entries in a few string operations; None when some value
        is not ASCII (or holds a newline) and needs the entry-by-entry reading."""
        name, tree = self.atoms[0][1], self.table.tree
        text = column_text(tree, name)
        if text.lines is None:
            return None
        held = text.holders if flags is None else list(map(and_, flags, text.holders))
        keys = text.picked(held)
        counts = list(compress(text.counts, held))
        cols = Columns(list(compress(tree.nodes, held)), counts, keys, [name] * len(keys), held)
        # One value per entry cannot repeat a key within the entry.
        return cols if text.single or len(set(keys)) == len(keys) else _once_per_entry(cols)

    def _quick_keys(self, node: Node, domains: tuple[str, ...]) -> list[tuple[str, str]]:
        """`(attr=%s)` on a case-insensitive attribute: an ASCII value is itself the key."""
        name = self.atoms[0][1]
        values = node.view.get(name, ())
        if not all(v.isascii() for v in values):
            return self.keys_of(node, domains)
        keys = (v.decode().lower() for v in values)
        found = [(k, name) for k in keys if not self.table.skips(k)]
        return found if len(found) < 2 else list(dict(found).items())

    def keys_of(self, node: Node, domains: tuple[str, ...]) -> list[tuple[str, str]]:
        """`domains` completes `%u`-only templates (the table's `domain` list wins)."""
        keys: dict[str, str] = {}
        for atom, name, _ in self.atoms:
            for value in node.view.get(name, ()):
                if self.quick and value.isascii():
                    key = value.decode().lower()
                    if not self.table.skips(key):
                        keys.setdefault(key, name)
                    continue
                for key in reverse_keys(atom, value, self.table.spec.domains or domains):
                    if self._holds(node, key):
                        keys.setdefault(key, name)
        return list(keys.items())

    def _holds(self, node: Node, key: str) -> bool:
        if self.fixed is None:
            return self.table.finds(node, key)
        subst = self.table.substitutions(key)
        return subst is not None and self.atoms[0][2](node.view, subst)


def _once_per_entry(cols: Columns) -> Columns:
    """Keep each key once per entry (`A@x` and `a@x` are one key): a lookup finds an entry
    once. Runs only when some key repeats, usually across entries, which needs nothing."""
    if len(set(zip(cols.owners(), cols.keys, strict=True))) == len(cols.keys):
        return cols
    out, pos = Columns([], [], [], [], cols.held), 0
    for node, count in zip(cols.nodes, cols.counts, strict=True):
        own: dict[str, str] = {}
        end = pos + count
        for key, attribute in zip(cols.keys[pos:end], cols.attributes[pos:end], strict=True):
            own.setdefault(key, attribute)
        pos = end
        out.nodes.append(node)
        out.counts.append(len(own))
        out.keys += own
        out.attributes += own.values()
    return out


def searched(table: Table) -> list[Node]:
    """The entries a lookup in `table` reaches for some key: in the scope of its search,
    passing the fixed part of its filter."""
    flags = Claims(table).candidates()
    nodes = table.tree.nodes
    return nodes if flags is None else list(compress(nodes, flags))
