"""`export`: a whole state as content LDIF, parents first, for slapadd or ldapadd."""

from __future__ import annotations

from ldifctl.diff.entries import sorted_attrs
from ldifctl.diff.ldif_writer import render_content
from ldifctl.model import dn as dnmod
from ldifctl.model.snapshot import Entry, Snapshot


def parent_first(entry: Entry) -> tuple[int, str]:
    return (dnmod.depth(entry.dn), entry.dn.lower())


def export_ldif(snapshot: Snapshot) -> str:
    entries = sorted(snapshot, key=parent_first)
    return render_content((e.dn, sorted_attrs(e, snapshot.schema)) for e in entries)
