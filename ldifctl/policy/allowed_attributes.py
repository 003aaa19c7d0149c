"""schema/allowed-attributes: an attribute that none of an entry's object classes allows.

Both servers refuse such an entry (Object class violation, 65), and `apply` stopped there
in the middle of its writes; judged here, `validate` and `plan` refuse it first. Only
where ldifctl can know: an entry with extensibleObject (which allows any attribute) or
with a class ldifctl does not know (a site's own) is not judged, nor is a type ldifctl
does not model (389-DS takes its operational types, `nsSizeLimit` and more, on an entry
of any class; a type no server knows is attribute_types.py's), nor an operational,
ignored or secret one (never written).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ldifctl.model.findings import Finding
from ldifctl.model.object_classes import ALLOWED_ANYWHERE
from ldifctl.model.schema import NEVER_WRITTEN, Schema
from ldifctl.model.snapshot import Entry, Values

RULE = "schema/allowed-attributes"
MAX_LISTS = 4096  # distinct objectClass lists kept: a directory has a handful


@dataclass
class _Classes:
    """What one objectClass list allows: type keys, and the names as entries spell them
    (`cn;lang-de`, `surname`) found allowed so far."""

    allowed: frozenset[str]
    fine: set[str] = field(default_factory=set)


class AllowedAttributes:
    """The check, made once per process that parses entries. A 100k-entry directory has
    a handful of distinct objectClass lists: what each allows is worked out once, and an
    entry costs one look-up of its list and a set test of its attribute names (at C
    speed), not a set of allowed names built again for every entry."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._lists: dict[Values, _Classes | None] = {}  # as written
        self._sets: dict[frozenset[str], _Classes | None] = {}  # the classes, in lower case
        self._hints: dict[str, str] | None = None

    def __call__(self, entry: Entry) -> list[Finding]:
        values = entry.attrs.get("objectClass") or entry.get("objectClass")
        classes = self._lists.get(values, _UNSEEN)
        if classes is _UNSEEN:
            classes = self._lists[values] = self._shared(values)
        if classes is None or classes.fine.issuperset(entry.attrs):
            return []
        refused = sorted((n for n in entry.attrs if not self._allows(classes, n)), key=str.lower)
        return [self._finding(entry, values, refused)] if refused else []

    def _shared(self, values: Values) -> _Classes | None:
        """One answer for every spelling and order of the same classes; both caches are
        emptied past MAX_LISTS (a pull request's 100k case variants of one list took
        500 MB as as many answers)."""
        if len(self._lists) > MAX_LISTS:
            self._lists.clear()
        if len(self._sets) > MAX_LISTS:
            self._sets.clear()
        key = frozenset(v.decode("utf-8", "replace").lower() for v in values)
        found = self._sets.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self._sets[key] = self._judged(values)
        return found

    def _judged(self, values: Values) -> _Classes | None:
        """None unless ldifctl knows every class of the list (with no class, the entry is
        structure/objectclass's)."""
        names = [v.decode("utf-8", "replace").lower() for v in values]
        known = self.schema.object_classes
        if not names or "extensibleobject" in names or any(n not in known for n in names):
            return None
        # Every known class has `top` above it, so objectClass is always allowed.
        allowed = {
            self.schema.type_key(attribute)
            for name in names
            for above in self.schema.superiors(name)
            for attribute in (*known[above].must, *known[above].may)
        }
        allowed.update(self.schema.type_key(a) for a in ALLOWED_ANYWHERE)
        return _Classes(frozenset(allowed))

    def _allows(self, classes: _Classes, name: str) -> bool:
        key = self.schema.type_key(name)
        fine = (
            key in classes.allowed
            or key in self.schema.ignored
            or key in NEVER_WRITTEN
            or not self.schema.knows(name)
        )
        if fine:
            classes.fine.add(name)
        return fine

    def _finding(self, entry: Entry, values: Values, refused: list[str]) -> Finding:
        written = ", ".join(v.decode("utf-8", "replace") for v in values)
        verb = "is" if len(refused) == 1 else "are"
        message = (
            f"{', '.join(refused)} {verb} allowed by none of the entry's object classes "
            f"({written}): {self._advice(refused)}"
        )
        return Finding(entry.where(refused[0]), RULE, "error", entry.dn, message)

    def _advice(self, refused: list[str]) -> str:
        hints = self._hint_classes()
        adds: dict[str, list[str]] = {}
        for name in refused:
            if hint := hints.get(self.schema.type_key(name)):
                adds.setdefault(hint, []).append(name)
        if len(refused) == 1:
            add = f"add objectClass {next(iter(adds))}, which allows it, or " if adds else ""
            return f"{add}remove {refused[0]}"
        named = " and ".join(f"{c} (for {', '.join(names)})" for c, names in adds.items())
        return f"add objectClass {named}, or remove them" if adds else "remove them"

    def _hint_classes(self) -> dict[str, str]:
        """A known class that allows each type: an auxiliary one where there is one (an
        entry takes any number of those, and one structural chain only), else the first
        in the table."""
        if self._hints is None:
            known = self.schema.object_classes.values()
            hints: dict[str, str] = {}
            for oc in sorted(known, key=lambda oc: oc.kind != "auxiliary"):
                for attribute in (*oc.must, *oc.may):
                    hints.setdefault(self.schema.type_key(attribute), oc.name)
            self._hints = hints
        return self._hints


_UNSEEN = _Classes(frozenset())  # a list not yet worked out (None: one not judged)
