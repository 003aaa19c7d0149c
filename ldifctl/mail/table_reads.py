"""What the `mail:` tables read, and so which changes can move mail at all: two `mail:`
sections that route alike, and changed entries that keep every attribute the tables
search or return (their lookups answer as before). Cheap tests on the changed entries
alone, asked before any routing (impact.py) is loaded or any whole state read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ldifctl.mail.ldap_filter import attributes
from ldifctl.mail.settings import MailConfig
from ldifctl.model.dn import DnKey
from ldifctl.model.snapshot import Entry, Snapshot


def same_tables(old: MailConfig, new: MailConfig) -> bool:
    """Do the two `mail:` sections route alike (where they stand in the file aside)?"""

    def routed(mail: MailConfig) -> tuple[object, ...]:
        tables = tuple(replace(t, line=0, base_line=0) for t in mail.tables())
        return tables, replace(mail.settings, bind_dn=None, bind_dn_line=0)

    return routed(old) == routed(new)


def may_route(mail: MailConfig, old: Snapshot, new: Snapshot) -> bool:
    """Can a change from `old` to `new` (the changed entries of each side) move mail? Not
    when each entry keeps its DN and every attribute the tables search or return: then
    every lookup answers as before, and no whole state need be read to know it."""
    if set(old.keys()) != set(new.keys()):
        return True
    return len(kept_for_routing(mail, old, new)) < len(old)


def kept_for_routing(
    mail: MailConfig, old: Snapshot, new: Snapshot, keys: Iterable[DnKey] | None = None
) -> set[DnKey]:
    """Those of `keys` (by default, every entry of `old`) whose entry is in both states
    with every attribute `mail`'s tables search or return the same: their lookups answer
    as before (see may_route)."""
    read, found = _read_by_tables(mail), set()
    for key in old.keys() if keys is None else keys:
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None and _held(before, read) == _held(after, read):
            found.add(key)
    return found


def _read_by_tables(mail: MailConfig) -> set[str]:
    names: set[str] = set()
    for table in mail.tables():
        names |= attributes(table.filter)
        names.update(
            *(
                table.result_attributes,
                table.special_result_attributes,
                table.terminal_result_attributes,
                table.leaf_result_attributes,
            )
        )
    return {n.lower() for n in names}


def _held(entry: Entry | None, names: set[str]) -> dict[str, list[bytes]]:
    if entry is None:
        return {}
    return {a.lower(): sorted(v) for a, v in entry.attrs.items() if a.lower() in names}
