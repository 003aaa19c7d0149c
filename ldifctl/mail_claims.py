"""A table read backwards: every key each entry answers to, for all entries in one pass.

Keys are read back out of the values of the filter's key atoms (`mail: a@x` answers
`(mail=%s)` for the key `a@x`) and then confirmed. For the usual filter, an AND of
fixed tests and one `(attr=%s)`, the fixed part is tested once per entry and only the
key atom once per key: the answer is the same as a lookup's, at a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Iterator

from ldifctl.filter_keys import without
from ldifctl.ldap_filter import placeholders
from ldifctl.ldap_match import CASE_IGNORE, Test, compile_filter
from ldifctl.mail_tables import Table
from ldifctl.mail_templates import reverse_keys
from ldifctl.mail_tree import Node

NO_SUBSTITUTIONS: dict[str, str] = {}


class Claims:
    def __init__(self, table: Table) -> None:
        self.table = table
        schema = table.tree.schema
        self.atoms = [
            (atom, schema.attribute(atom.attr).name, compile_filter(atom, schema))
            for atom in table.atoms or ()
        ]
        self.fixed = self._fixed_part()
        # `(mail=%s)` on a case-insensitive attribute: an ASCII value is itself the key.
        self.quick = (
            self.fixed is not None
            and self.atoms[0][0].value in (("s",), ("S",))
            and (schema.attribute(self.atoms[0][0].attr).equality in CASE_IGNORE)
        )

    def _fixed_part(self) -> Test | None:
        """The filter without its one key atom, when that leaves no placeholder."""
        if len(self.atoms) != 1 or self.table.dynamic_base:
            return None
        rest = without(self.table.spec.filter, self.atoms[0][0])
        if rest is None or placeholders(rest):
            return None
        return compile_filter(rest, self.table.tree.schema)

    def by_entry(self, domains: tuple[str, ...]) -> Iterator[tuple[Node, list[tuple[str, str]]]]:
        """Each entry with the (key, attribute holding it) pairs it answers to."""
        table = self.table
        nodes = (
            table.tree.nodes
            if table.base is None
            else table.tree.scope(table.base, table.spec.scope)
        )
        fixed, keys_of = self.fixed, self._quick_keys if self.quick else self.keys_of
        for node in nodes:
            if fixed is None or fixed(node.view, NO_SUBSTITUTIONS):
                keys = keys_of(node, domains)
                if keys:
                    yield node, keys

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
