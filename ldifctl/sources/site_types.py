"""After an import: the attribute types of its entries that `validate` will refuse as
known to no server (schema/unknown-attribute), most often the types of a site's own
schema, and how to declare them under `attributes:` in ldifctl.yaml.

Import never edits ldifctl.yaml: a schema declaration is for a reviewer to see in a pull
request. From the server, each type comes with the rule its schema gives it
(server_schema.py); from an LDIF file there is no schema to read, and no rule is guessed.

A hostile or broken source may spell thousands of unknown types: at most MAX_LISTED are
listed (the most used first), and only names that are plain LDAP descriptors are printed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ldifctl.model.schema import Schema, attribute_type
from ldifctl.model.snapshot import Entry
from ldifctl.model.stock_types import refused_as_unknown

MAX_LISTED = 20
# RFC 4512's descr: nothing else from a source reaches the terminal or the YAML block.
DESCRIPTOR = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_DECLARE = (
    "declare each under attributes: in ldifctl.yaml with the equality rule and SINGLE-VALUE "
    "the server's schema gives it ({name: {equality: <its EQUALITY rule>, single_value: "
    "true}}; {equality: none} for a type it gives no rule)"
)


class UnknownType(NamedTuple):
    name: str  # as the entries spell it, without options
    entries: int  # how many entries hold it


class Definition(NamedTuple):
    """What the server's schema says of a type: the declaration ldifctl.yaml takes, or
    why there is none to make."""

    equality: str = ""  # a rule ldifctl knows, or "none": the schema gives the type none
    single_value: bool = False
    problem: str = ""


def sweep(entries: Sequence[Entry], schema: Schema) -> list[UnknownType]:
    """The types validate will refuse, most used first, each named as most of its entries
    spell it (a dump may hold `siteRoom` and `SITEROOM;lang-de`). Each distinct spelling
    is judged once; the entries are counted only when some spelling is unknown (most
    imports have none, and cost one union of their attribute names)."""
    unknown = {n for n in set().union(*(e.attrs for e in entries)) if refused_as_unknown(schema, n)}
    if not unknown:
        return []
    spellings: Counter[str] = Counter()  # entries per spelling
    counts: Counter[str] = Counter()  # entries per type
    for entry in entries:
        if not unknown.isdisjoint(entry.attrs):
            names = {attribute_type(n) for n in entry.attrs if n in unknown}
            spellings.update(names)
            counts.update({name.lower() for name in names})
    spelled: dict[str, str] = {}
    for name, _ in sorted(spellings.items(), key=lambda each: (-each[1], each[0])):
        spelled.setdefault(name.lower(), name)
    found = (UnknownType(spelled[key], n) for key, n in counts.items())
    return sorted(found, key=lambda t: (-t.entries, t.name.lower()))


def listed(found: Sequence[UnknownType]) -> list[UnknownType]:
    """The types a note names: plain descriptors only, at most MAX_LISTED."""
    return [t for t in found if DESCRIPTOR.fullmatch(t.name)][:MAX_LISTED]


def ldif_notes(found: Sequence[UnknownType]) -> list[str]:
    """From an LDIF dump: the types and what to do, with no rule (none is known here)."""
    if not found:
        return []
    return [
        f"{_refused(found)}: {_names(found)}",
        f"{_DECLARE}; or run `ldifctl import --from-server`, which prints them with the "
        "rules the server's schema gives them",
    ]


def unread_notes(found: Sequence[UnknownType], reason: str) -> list[str]:
    """From the server, whose schema could not be read: as from a dump."""
    return [f"{_refused(found)}: {_names(found)}", f"{reason}: {_DECLARE}"]


def server_notes(found: Sequence[UnknownType], defined: Mapping[str, Definition]) -> list[str]:
    """From the server: a block for ldifctl.yaml, each type as the server's schema has it."""
    if not found:
        return []
    shown = listed(found)
    declared = [_declaration(t, defined[t.name]) for t in shown]
    comments = any(d.startswith("  #") for d in declared)
    some = " (the ones it can: see the comments)" if comments else ""
    lines = [
        f"{_refused(found)}; declared as the server's schema defines them, validate takes "
        f"them{some}: add to ldifctl.yaml (import never edits it, so that the declaration "
        "is reviewed in a pull request):",
        "attributes:",
        *declared,
    ]
    if rest := _rest(found, shown):
        lines.append(f"  # {rest}: declare the ones above, then import again to list them")
    return lines


def _refused(found: Sequence[UnknownType]) -> str:
    types = "attribute type" if len(found) == 1 else "attribute types"
    return (
        f"validate will refuse {len(found)} {types} of these entries, which no "
        "server knows out of the box (schema/unknown-attribute)"
    )


def _names(found: Sequence[UnknownType]) -> str:
    shown = listed(found)
    names = [f"{t.name} ({_entries(t.entries)})" for t in shown]
    rest = _rest(found, shown)
    return ", ".join([*names, rest] if rest else names)


def _rest(found: Sequence[UnknownType], shown: Sequence[UnknownType]) -> str:
    if len(found) == len(shown):
        return ""
    odd = sum(1 for t in found if not DESCRIPTOR.fullmatch(t.name))
    plain = f" ({odd} of them named by no plain LDAP descriptor, not shown)" if odd else ""
    return f"and {len(found) - len(shown)} more{plain}"


def _declaration(found: UnknownType, defined: Definition) -> str:
    used = _entries(found.entries)
    if defined.problem:
        return f"  # {found.name} ({used}): {defined.problem}"
    single = ", single_value: true" if defined.single_value else ""
    why = "; the server's schema gives it no equality rule" if defined.equality == "none" else ""
    return f"  {found.name}: {{equality: {defined.equality}{single}}}  # {used}{why}"


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"
