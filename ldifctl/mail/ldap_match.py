"""Does an entry match a search filter? Decided the way the server would, offline.

Values compare by the attribute's equality rule (`schema.normaliser`), `objectClass`
assertions also match subclasses (OpenLDAP's objectSubClassMatch: `(objectClass=person)`
finds an `inetOrgPerson` entry), and approximate match is evaluated as equality.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ldifctl.mail.ldap_filter import (
    And,
    Compare,
    Filter,
    Not,
    Or,
    Present,
    Substrings,
    Template,
    expand,
)
from ldifctl.model.schema import Normalised, Schema, closure
from ldifctl.model.snapshot import Entry, Values

# An entry's attributes by schema name (its spelling), options (`;lang-de`) folded in.
AttrView = Mapping[str, Values]
Substitutions = Mapping[str, str]
Test = Callable[[AttrView, Substitutions], bool]

CASE_IGNORE = ("caseIgnoreMatch", "caseIgnoreIA5Match", "caseIgnoreListMatch")
_NO_SUBSTRINGS = ("integerMatch", "booleanMatch", "generalizedTimeMatch", "objectIdentifierMatch")
OBJECT_CLASS = "objectClass"


def attribute_view(
    entry: Entry, schema: Schema, memo: dict[tuple[str, ...], tuple[str, ...]] | None = None
) -> AttrView:
    """`memo` keeps, across many entries, the view keys of each list of attribute names.

    Entry files already spell every name the schema's way: their attributes are the view.
    """
    names = tuple(entry.attrs)
    keys = memo.get(names) if memo is not None else None
    if keys is None:
        keys = tuple(schema.attribute(n).name for n in names)
        if memo is not None:
            memo[names] = keys
    if keys == names:
        return entry.attrs
    if len(set(keys)) == len(keys):
        return dict(zip(keys, entry.attrs.values(), strict=True))
    view: dict[str, Values] = {}
    for key, values in zip(keys, entry.attrs.values(), strict=True):  # `cn` and `commonName`
        view[key] = view[key] + values if key in view else values
    return view


def compile_filter(node: Filter, schema: Schema) -> Test:
    """A function telling whether an entry (as an AttrView) matches the filter."""
    if isinstance(node, And):
        tests = [compile_filter(p, schema) for p in node.parts]
        if len(tests) < 2:  # a lone test runs as is; an empty AND is true
            return tests[0] if tests else lambda v, s: True
        return lambda v, s: all(t(v, s) for t in tests)
    if isinstance(node, Or):
        tests = [compile_filter(p, schema) for p in node.parts]
        return lambda v, s: any(t(v, s) for t in tests)
    if isinstance(node, Not):
        test = compile_filter(node.part, schema)
        return lambda v, s: not test(v, s)
    name = schema.attribute(node.attr).name
    if isinstance(node, Present):
        return lambda v, s: bool(v.get(name))
    if isinstance(node, Substrings):
        return _substrings(node, name, schema)
    if node.op in ("=", "~="):
        return _equality(node, name, schema)
    return _ordering(node, name, schema)


def _assertion(
    value: Template, norm: Callable[[bytes], Normalised]
) -> Callable[[Substitutions], Normalised]:
    if all(isinstance(s, bytes) for s in value):
        fixed = norm(expand(value, {}))
        return lambda s: fixed
    return lambda s: norm(expand(value, s))


def _equality(node: Compare, name: str, schema: Schema) -> Test:
    norm = schema.normaliser(node.attr)
    wanted = _assertion(node.value, norm)
    if name == OBJECT_CLASS:
        closure = ClassClosure(schema)
        return lambda v, s: wanted(s) in closure(v.get(name, ()))
    return lambda v, s: _any_equal(v.get(name, ()), norm, wanted(s))


def _any_equal(values: Values, norm: Callable[[bytes], Normalised], target: Normalised) -> bool:
    return any(norm(x) == target for x in values)


class ClassClosure:
    """An entry's object classes with all their superiors, lower-cased (memoised)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.known: dict[Values, frozenset[Normalised]] = {}

    def __call__(self, classes: Values) -> frozenset[Normalised]:
        found = self.known.get(classes)
        if found is None:
            found = frozenset(c.encode() for c in closure(classes, self.schema))
            self.known[classes] = found
        return found


def _ordering(node: Compare, name: str, schema: Schema) -> Test:
    norm = schema.normaliser(node.attr)
    wanted = _assertion(node.value, norm)
    sign = 1 if node.op == ">=" else -1

    def test(v: AttrView, s: Substitutions) -> bool:
        target = wanted(s)
        return any(_compare(norm(x), target) * sign >= 0 for x in v.get(name, ()))

    return test


def _compare(a: Normalised, b: Normalised) -> int:
    """-1, 0 or 1; values of different kinds never satisfy an ordering (Undefined)."""
    if isinstance(a, int | str | bytes | tuple) and type(a) is type(b):
        return (a > b) - (a < b)  # type: ignore[operator]
    return -2


def _substrings(node: Substrings, name: str, schema: Schema) -> Test:
    rule = schema.attribute(node.attr).equality
    if rule in _NO_SUBSTRINGS:
        return lambda v, s: False  # no SUBSTR rule: the server answers Undefined
    fold: Callable[[str], str] = str.casefold if rule in CASE_IGNORE else str

    def text(value: Template | None, s: Substitutions) -> str:
        return fold(expand(value, s).decode("utf-8", "replace")) if value is not None else ""

    def test(v: AttrView, s: Substitutions) -> bool:
        initial, final = text(node.initial, s), text(node.final, s)
        middle = [text(m, s) for m in node.middle]
        return any(
            _has_substrings(fold(x.decode("utf-8", "replace")), initial, middle, final)
            for x in v.get(name, ())
        )

    return test


def _has_substrings(value: str, initial: str, middle: list[str], final: str) -> bool:
    if len(initial) + len(final) > len(value) or not value.startswith(initial):
        return False
    pos, end = len(initial), len(value) - len(final)
    for piece in middle:
        found = value.find(piece, pos, end)
        if found < 0:
            return False
        pos = found + len(piece)
    return value.endswith(final)
