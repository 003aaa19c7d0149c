"""schema/unknown-attribute and schema/binary-option: an attribute the server refuses
whatever the entry's object classes, which `validate` passed and `apply` then stopped at
mid-run.

- A type in no schema ldifctl knows (schema_data.py, the servers' own lists in
  stock_types.py, `attributes:` and `ignore_attributes:` of ldifctl.yaml), a typo most
  often: slapd refuses it (Undefined attribute type, 17), 389-DS too (Object class
  violation, 65). schema/allowed-attributes judges only known types, so this is the one
  finding of such an attribute.
- `;binary` on a type slapd knows and does not transfer in binary (`cn;binary`): slapd
  refuses it (17); 389-DS takes it and keeps it apart from `cn`, so that one entry would
  hold other attributes on the two servers. A warning, not an error: a 389-DS directory
  may hold such values rightly (S/MIME clients write `userSMIMECertificate;binary`), and
  the spelling without the option is another attribute there, whose values clients do not
  read.

A hostile file may spell 100k distinct unknown types: an entry reports at most
MAX_PER_ENTRY of them (then one finding for the rest), and the closest names are looked
for only for the first MAX_HINTS spellings of a process (difflib is the costly part).
"""

from __future__ import annotations

import difflib

from ldifctl.model.findings import Finding, Severity
from ldifctl.model.schema import NEVER_WRITTEN, Schema, attribute_type
from ldifctl.model.snapshot import Entry
from ldifctl.model.stock_types import binary_refused, refused_as_unknown

UNKNOWN_RULE = "schema/unknown-attribute"
BINARY_RULE = "schema/binary-option"
MAX_SPELLINGS = 1 << 16  # answers kept: a directory spells a few hundred attributes
MAX_PER_ENTRY = 16  # findings of an entry, then one for the rest
MAX_HINTS = 256  # unknown spellings given a "did you mean", per process
_SEVERITY: dict[str, Severity] = {UNKNOWN_RULE: "error", BINARY_RULE: "warning"}

_Problem = tuple[str, str]  # rule, message


class AttributeTypes:
    """The check, made once per process that parses entries. What each spelling of an
    attribute (`cn;binary`, `mailAlais;lang-de`) calls for is worked out once: an entry
    whose spellings are all known to be fine costs one set test at C speed."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._fine: set[str] = set()
        self._problems: dict[str, _Problem] = {}
        self._hints: _Hints | None = None

    def __call__(self, entry: Entry) -> list[Finding]:
        if self._fine.issuperset(entry.attrs):
            return []
        found: list[Finding] = []
        for name in entry.attrs:
            if name not in self._fine and (problem := self._problem(name)):
                rule, message = problem
                if len(found) == MAX_PER_ENTRY:
                    return [*found, _the_rest(entry, self, rule)]
                found.append(Finding(entry.where(name), rule, _SEVERITY[rule], entry.dn, message))
        return found

    def problems(self, entry: Entry) -> int:
        """How many of the entry's attributes this check finds a problem with."""
        return sum(1 for name in entry.attrs if name not in self._fine and self._problem(name))

    def _problem(self, name: str) -> _Problem | None:
        problem = self._problems.get(name)
        if problem is None:
            if len(self._fine) + len(self._problems) > MAX_SPELLINGS:
                self._fine.clear()
                self._problems.clear()
            problem = self._judged(name)
            if problem is None:
                self._fine.add(name)
            else:
                self._problems[name] = problem
        return problem

    def _judged(self, name: str) -> _Problem | None:
        schema, key = self.schema, self.schema.type_key(name)
        if key in schema.ignored or key in NEVER_WRITTEN:
            return None  # never written (secrets), or left alone by ldifctl.yaml's word
        if refused_as_unknown(schema, name):
            return UNKNOWN_RULE, self._unknown(attribute_type(name))
        options = name.split(";")[1:]
        if "binary" in (o.lower() for o in options) and binary_refused(key):
            return BINARY_RULE, _binary(name, schema.attribute(name).name, options)
        return None

    def _unknown(self, written: str) -> str:
        if self._hints is None:
            self._hints = _Hints(self.schema)
        close = self._hints.closest(written) if self._hints.asked < MAX_HINTS else None
        self._hints.asked += 1
        hint = f" (did you mean {close}?)" if close else ""
        return (
            f"{written} is an attribute type neither slapd nor 389-DS defines out of the box "
            f"(nor their shipped schema files and modules){hint}: fix the name, or declare "
            "your site's own type under attributes: in ldifctl.yaml, with its equality rule "
            f"({{{written}: {{equality: caseIgnoreMatch}}}}, say)"
        )


def _the_rest(entry: Entry, check: AttributeTypes, rule: str) -> Finding:
    more = check.problems(entry) - MAX_PER_ENTRY
    message = (
        f"and {more} more attributes of this entry that no server takes as written, not "
        "listed one by one: fix the ones above first"
    )
    return Finding(entry.where(), rule, _SEVERITY[rule], entry.dn, message)


def _binary(name: str, type_name: str, options: list[str]) -> str:
    fixed = ";".join([type_name, *(o for o in options if o.lower() != "binary")])
    return (
        f"{name}: slapd takes the ;binary transfer option only on types whose values are "
        "certificates and the like (userCertificate, cACertificate, "
        f"certificateRevocationList, ...), and refuses it on {type_name} (Undefined "
        f"attribute type, 17), where 389-DS keeps it as an attribute apart from {type_name}: "
        f"on slapd write {fixed}; on 389-DS keep it if clients read it so"
    )


class _Hints:
    """The schema's name closest to a misspelt one, by difflib among the names that, less
    two letters at most, are the spelling less one at most (a letter left out, doubled,
    swapped or mistyped; two left out): difflib over every name took 1.3 ms a spelling,
    and an entry file may spell 100k types."""

    def __init__(self, schema: Schema) -> None:
        # Aliases too (`surnme` is close to `surname`), each named by its type's name.
        self.names = {k: a.name for k, a in schema.attributes.items() if not k[:1].isdigit()}
        self.longest = max(map(len, self.names))
        self.asked = 0
        self.index: dict[str, list[str]] = {}
        for key in sorted(self.names):
            for short in _shortened(key, 2):
                self.index.setdefault(short, []).append(key)

    def closest(self, written: str) -> str | None:
        word = written.lower()
        if len(word) > self.longest + 1:  # no name is within reach of it
            return None
        pool = {key for short in _shortened(word, 1) for key in self.index.get(short, ())}
        close = pool and difflib.get_close_matches(word, sorted(pool), n=1)
        return self.names[close[0]] if close else None


def _shortened(word: str, letters: int) -> set[str]:
    """The word, and each word made of it by deleting up to so many letters."""
    found = {word}
    for _ in range(letters):
        found |= {w[:i] + w[i + 1:] for w in found for i in range(len(w))}
    return found
