"""Lookups whose answer depends on the server: Postfix sends the folded key, and slapd's
caseIgnoreMatch holds equal to it values 389-DS keeps apart (`ﬁnance@h1.test` for
`finance@h1.test`, the Kelvin sign for `k`, `ǅ` for `ǆ`: model/server_rules.py). The
table's index holds the values both servers find (what 389-DS finds); an entry slapd
alone finds makes the lookup CannotTell, naming both answers, rather than a guess.

Only non-ASCII values and keys can differ: per table and key atom, the entries whose
value slapd reads otherwise than 389-DS are indexed once by slapd's key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain

from ldifctl.mail.filter_keys import without
from ldifctl.mail.ldap_filter import Compare, expand
from ldifctl.mail.ldap_match import compile_filter
from ldifctl.mail.special_values import CannotTell
from ldifctl.mail.tables import Hit, Table
from ldifctl.mail.tree import RANK, Node, Tree
from ldifctl.model.schema import Normalised
from ldifctl.model.server_rules import MAX_KEY_BYTES, per_server

_Index = dict[Normalised, list[Node]]


def check(table: Table, key: str, hits: Sequence[Hit]) -> None:
    """Raise CannotTell where slapd finds an entry for `key` that 389-DS does not."""
    subst = table.substitutions(key)
    if subst is None or table.atoms is None:
        return
    found = {hit.node for hit in hits}
    for i, (atom, (_, both, by_value)) in enumerate(zip(table.atoms, table.index(), strict=True)):
        keys = per_server(table.tree.schema.attribute(atom.attr).equality)
        if keys is None:
            continue
        slapd = keys[0]
        asserted = expand(atom.value, subst)
        if len(asserted) > MAX_KEY_BYTES:
            continue  # no address: its lookup is what the cautious key says
        wanted = slapd(asserted)
        candidates = _disputed(table, i, atom, slapd, both).get(wanted, [])
        if not asserted.isascii():  # a key slapd reads as another: its values too
            candidates = candidates + by_value.get(wanted, [])
        if not candidates:  # the usual answer: no value slapd reads as this key
            continue
        name, rest = table.tree.schema.attribute(atom.attr).name, _rest(table, atom)
        extra = {
            n for n in candidates
            if n not in found
            and any(len(v) <= MAX_KEY_BYTES and slapd(v) == wanted for v in n.view.get(name, ()))
            and (table.base is not None or _in_scope(table, n, subst)) and rest(n.view, subst)
        }
        if extra:
            raise _cannot_tell(table, key, name, sorted(extra, key=RANK), hits)


def _disputed(
    table: Table, i: int, atom: Compare, slapd: Callable[[bytes], Normalised],
    both: Callable[[bytes], Normalised],
) -> _Index:
    """The entries in scope with a value of the atom's attribute that slapd reads
    otherwise than 389-DS, by slapd's key (made once per table and atom)."""
    def make() -> _Index:
        name = table.tree.schema.attribute(atom.attr).name
        tree = table.tree
        if b"".join(chain.from_iterable(tree.column(name))).isascii():
            return {}  # the usual directory: one pass in C, no loop over 100k entries
        scope = tree.nodes if table.base is None else tree.scope(table.base, table.spec.scope)
        index: _Index = {}
        for node in scope:
            for value in node.view.get(name, ()):
                if len(value) > MAX_KEY_BYTES or value.isascii():
                    continue  # no address's key, or read alike by both servers
                if (key := slapd(value)) != both(value):
                    index.setdefault(key, []).append(node)
        return index

    return table.tree.derived((_disputed, table.spec, i), make)


def _rest(table: Table, atom: Compare) -> Callable[..., bool]:
    """The table's filter once the atom holds; where the atom is not in its top AND
    chain (one of an OR's), nothing more is tested: slapd may find the entry."""
    left = without(table.spec.filter, atom)
    if left is None:
        return lambda view, subst: True
    return compile_filter(left, table.tree.schema)


def _in_scope(table: Table, node: Node, subst: dict[str, str]) -> bool:
    base = table.base_for(subst)
    return base is not None and Tree.in_scope(node, base, table.spec.scope)


def _cannot_tell(
    table: Table, key: str, name: str, extra: list[Node], hits: Sequence[Hit]
) -> CannotTell:
    slapd = _named(sorted({h.node for h in hits} | set(extra), key=RANK))
    ds389 = _named([h.node for h in hits]) or "nothing"
    return CannotTell(
        f"{table.spec.name}: ldifctl cannot tell what Postfix finds for {key}, which depends "
        f"on the server: slapd finds {slapd} (its caseIgnoreMatch holds the {name} of "
        f"{extra[0].entry.dn} equal to the folded key), 389-DS finds {ds389}"
    )


_NAMED = 5  # entries a message names: thousands made a message of 120 kB


def _named(nodes: list[Node]) -> str:
    shown = ", ".join(n.entry.dn for n in nodes[:_NAMED])
    return shown + (f" and {len(nodes) - _NAMED} more" if len(nodes) > _NAMED else "")
