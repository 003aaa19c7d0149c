"""One Postfix LDAP table evaluated over a state: what `postmap -q KEY ldap:table.cf` prints.

Follows Postfix's dict_ldap and db_common: the key is case-folded; `domain` skips keys
outside the listed domains; `%s %u %d %1-%9` are filled in (a key without the parts a
template needs is not looked up at all); every matching entry contributes the values of
its result attributes, each passed through `result_format`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ldifctl.mail.addresses import fold, is_plain_list, split_targets
from ldifctl.mail.filter_keys import key_atoms
from ldifctl.mail.ldap_filter import Template, expand, placeholders
from ldifctl.mail.ldap_match import OBJECT_CLASS, compile_filter
from ldifctl.mail.settings import TableSpec
from ldifctl.mail.special_values import LookupFailed as LookupFailed
from ldifctl.mail.special_values import References
from ldifctl.mail.templates import SPEC, format_result, parts_of, rfc2253
from ldifctl.mail.tree import RANK, Node, Tree
from ldifctl.model import dn as dnmod
from ldifctl.model.schema import Normalised

_ByValue = dict[Normalised, list[Node]]


@dataclass(frozen=True)
class Hit:
    """One entry that matched, and the results it gave (possibly none)."""

    node: Node
    values: tuple[str, ...]


class Table:
    def __init__(self, spec: TableSpec, tree: Tree) -> None:
        self.spec, self.tree, schema = spec, tree, tree.schema
        self.test = compile_filter(spec.filter, schema)
        self.atoms = key_atoms(spec.filter)
        used = placeholders(spec.filter) | set(SPEC.findall(spec.search_base))
        used |= {c for c in SPEC.findall(spec.result_format) if not c.islower()}
        self.needs_domain = bool(used & set("dD123456789"))
        self.needs_user = bool(used & set("uU"))
        spots = SPEC.findall(spec.query_filter + spec.search_base + spec.result_format)
        self.labels = max((int(c) for c in spots if c.isdigit()), default=0)
        self.dynamic_base = "%" in spec.search_base.replace("%%", "")
        self.base = None if self.dynamic_base else schema.dn_key(spec.search_base)
        self._index: list[tuple[Template, Callable[[bytes], Normalised], _ByValue]] | None = None
        self.terminal = self._names(spec.terminal_result_attributes)
        self.special = self._names(spec.special_result_attributes)
        self.regular = self._names(spec.result_attributes)
        self.leafy = self._names(spec.result_attributes + spec.leaf_result_attributes)
        # Values that do not depend on the key are worked out once per entry.
        self._key_free = not any(
            c.isupper() or c.isdigit() for c in SPEC.findall(spec.result_format)
        )
        self._values: dict[Node, tuple[str, ...]] = {}
        self._domain_keys: dict[str, list[Hit]] = {}
        self._targets: dict[Node, tuple[str, ...]] = {}
        self._plain = spec.result_format == "%s" and not (
            self.terminal or self.special or spec.leaf_result_attributes
        )

    # --- Forward: a key to the entries that match and their results.

    def result(self, key: str) -> tuple[str, ...] | None:
        """The values Postfix returns for `key`, in its order; None when not found."""
        return tuple(v for hit in self.lookup(key) for v in hit.values) or None

    def lookup(self, key: str) -> list[Hit]:
        key = fold(key)  # as Postfix sends it; the equality rule (the index's) does the rest
        if key[:1] != "@":
            return self._lookup(key)
        if key not in self._domain_keys:  # asked for every address of the domain
            self._domain_keys[key] = self._lookup(key)
        return self._domain_keys[key]

    def _lookup(self, key: str) -> list[Hit]:
        subst = self.substitutions(key)
        if subst is None:
            return []
        nodes = [n for n in self.candidates(subst) if self.test(n.view, subst)]
        return [Hit(n, self.values(n, key)) for n in sorted(nodes, key=RANK)]

    @property
    def may_skip(self) -> bool:
        """Some keys are never looked up (see `skips`)."""
        return bool(self.spec.domains or self.needs_domain or self.needs_user or self.labels)

    def skips(self, key: str) -> bool:
        """Postfix does not look this key up at all (`domain` list, missing key parts)."""
        if not self.may_skip:
            return False
        local, domain = parts_of(key)
        if self.spec.domains and (not local or domain not in self.spec.domains):
            return True
        at_only = domain is not None and not local  # `@domain`: no user part
        if (self.needs_domain and not domain) or (self.needs_user and at_only):
            return True
        return len([p for p in (domain or "").split(".") if p]) < self.labels

    def substitutions(self, key: str) -> dict[str, str] | None:
        """Values for the placeholders; None when Postfix would skip this key."""
        if self.skips(key):
            return None
        local, domain = parts_of(key)
        labels = [p for p in (domain or "").split(".") if p]
        subst = {"s": key, "S": key, "u": local, "U": local, "d": domain or "", "D": domain or ""}
        subst.update({str(i): labels[-i] for i in range(1, self.labels + 1)})
        return subst

    def candidates(self, subst: dict[str, str]) -> list[Node]:
        base = self.base_for(subst)
        if base is None:
            return []
        if self.atoms is None:
            return self.tree.scope(base, self.spec.scope)
        found = {n for v, norm, by in self.index() for n in by.get(norm(expand(v, subst)), ())}
        if not self.dynamic_base:
            return list(found)  # the index holds only entries in scope
        return [n for n in found if Tree.in_scope(n, base, self.spec.scope)]

    def base_for(self, subst: dict[str, str]) -> dnmod.DnKey | None:
        """The search base for this key; None when it is no entry (nothing is found)."""
        if self.base is not None:
            return self.base
        text = SPEC.sub(
            lambda m: "%" if m[1] == "%" else rfc2253(subst[m[1]]), self.spec.search_base
        )
        try:
            base = self.tree.schema.dn_key(text)
        except dnmod.DnError:
            return None
        return base if not base or base in self.tree.by_key else None

    def finds(self, node: Node, key: str) -> bool:
        """Does a lookup of `key` find this entry?"""
        subst = self.substitutions(key)
        base = None if subst is None else self.base_for(subst)
        if subst is None or base is None:
            return False
        return Tree.in_scope(node, base, self.spec.scope) and self.test(node.view, subst)

    def index(self) -> list[tuple[Template, Callable[[bytes], Normalised], _ByValue]]:
        """For each key atom: its value, its attribute's equality rule, and the entries in
        scope by normalised value (made once: a lookup only fills in and normalises)."""
        if self._index is None:
            tree = self.tree
            scope = tree.nodes if self.base is None else tree.scope(self.base, self.spec.scope)
            self._index = []
            for atom in self.atoms or ():
                name = self.tree.schema.attribute(atom.attr).name
                norm = self.tree.schema.normaliser(atom.attr)
                by_value: _ByValue = {}
                for node in scope:
                    for value in node.view.get(name, ()):
                        by_value.setdefault(norm(value), []).append(node)
                self._index.append((atom.value, norm, by_value))
        return self._index

    # --- The results an entry gives.

    def values(self, node: Node, key: str, via: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Result values in server order: terminal, leaf and special attributes as Postfix.

        `via` are the DNs a special_result_attribute chain came through: one coming back
        recurses until Postfix's recursion_limit, and the lookup fails.
        """
        if node.entry.dn.lower() in via:
            chain = " -> ".join((*via, node.entry.dn.lower()))
            raise LookupFailed(f"{self.spec.name}: special_result_attribute loops: {chain}")
        if self._key_free and node in self._values:
            return self._values[node]
        if self._plain:  # the usual table: result attributes only, result_format %s
            found = tuple(v.decode("utf-8", "replace") for v in self._pick(node, self.regular) if v)
        else:
            found = self._collect(node, key, (*via, node.entry.dn.lower()))
        if self._key_free:
            self._values[node] = found
        return found

    @property
    def key_free(self) -> bool:
        """Do an entry's results not depend on the key looked up (result_format %s)?"""
        return self._key_free

    @property
    def plain_attribute(self) -> str | None:
        """The attribute whose values, as they are, are the results (one result attribute,
        result_format %s); None for any other table."""
        return self.regular[0] if self._plain and len(self.regular) == 1 else None

    def targets(self, node: Node, key: str) -> tuple[str, ...]:
        """The addresses (case-folded) Postfix reads from this entry's values for `key`."""
        if self._key_free and node in self._targets:
            return self._targets[node]
        values = (
            node.view.get(self.regular[0], ()) if self._plain and len(self.regular) == 1 else ()
        )
        text = values[0].decode("utf-8", "replace") if len(values) == 1 else ","
        if "," not in text and is_plain_list(text):  # one plain value, the usual answer
            text = fold(text.strip())
            found: tuple[str, ...] = (text,) if text else ()
        else:
            found = split_targets(fold(",".join(self.values(node, key))))
        if self._key_free:
            self._targets[node] = found
        return found

    def safe_targets(self, node: Node, key: str) -> tuple[str, ...]:
        """`targets`, or none where Postfix's lookup fails (`resolve` shows why)."""
        try:
            return self.targets(node, key)
        except LookupFailed:
            return ()

    def _collect(self, node: Node, key: str, via: tuple[str, ...]) -> tuple[str, ...]:
        """Terminal, leaf and special attributes as dict_ldap (special_values.py)."""
        return self.references.expand(node, lambda values: self._format(values, key))

    @cached_property
    def references(self) -> References:
        """One per table and state: the routing and validate's special-values finding
        share its searches (and the state's bound on them, special_values.py)."""
        names = (self.terminal, self.special, self.regular, self.leafy)
        make = lambda: References(self.tree, self.spec, *names)  # noqa: E731
        return self.tree.derived((References, self.spec), make)

    def _names(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Schema names in the order the server lists them (objectClass first)."""
        canonical = {self.tree.schema.attribute(n).name for n in names}
        return tuple(sorted(canonical, key=lambda n: (n != OBJECT_CLASS, n.lower())))

    def result_attribute(self, node: Node) -> str:
        """The attribute an entry's results come from, to point at its line."""
        names = self.regular or self.terminal
        return next((n for n in names if n in node.view), names[0] if names else "")

    @staticmethod
    def _pick(node: Node, names: tuple[str, ...]) -> list[bytes]:
        return [v for name in names for v in sorted(node.view.get(name, ()))]

    def _format(self, values: list[bytes], key: str) -> tuple[str, ...]:
        texts = (v.decode("utf-8", "replace") for v in values)
        return tuple(r for t in texts if (r := format_result(self.spec.result_format, t, key)))

