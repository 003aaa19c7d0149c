"""What a key decides in a templated filter: the atoms a lookup can read from an index,
and what is left to test once such an atom is known to hold."""

from __future__ import annotations

from ldifctl.mail.ldap_filter import And, Compare, Filter, Or


def key_atoms(node: Filter) -> list[Compare] | None:
    """Equality atoms with a placeholder such that any match satisfies at least one of them.

    They let a lookup read candidates from an index instead of testing every entry; None
    means the filter has no such atoms and every entry in scope must be tested.
    """
    if isinstance(node, Compare):
        keyed = node.op in ("=", "~=") and any(isinstance(s, str) for s in node.value)
        return [node] if keyed else None
    if isinstance(node, And):
        options = [a for a in (key_atoms(p) for p in node.parts) if a is not None]
        return min(options, key=len) if options else None
    if isinstance(node, Or):
        found = [key_atoms(p) for p in node.parts]
        if not found or any(a is None for a in found):
            return None
        return [atom for atoms in found if atoms for atom in atoms]
    return None


def without(node: Filter, atom: Compare) -> Filter | None:
    """What is left to test once `atom` is known to hold: the filter with the atom taken out
    of its top AND chain (an empty AND is true); None when the atom is not in that chain."""
    if node == atom:
        return And(())
    if isinstance(node, And):
        for i, part in enumerate(node.parts):
            rest = without(part, atom)
            if rest is not None:
                kept = () if rest == And(()) else (rest,)
                return And((*node.parts[:i], *kept, *node.parts[i + 1 :]))
    return None
