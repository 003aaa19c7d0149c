"""`export`: a whole state as content LDIF, parents first, for slapadd or ldapadd.

The text is given out RECORDS_PER_PIECE records at a time, as it is made: made whole,
the 28 MB of a 100k-entry export were held three times over beside the state (its
records, the text, and the text encoded), the peak of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from ldifctl.diff.entries import sorted_attrs
from ldifctl.diff.ldif_writer import content_records
from ldifctl.model import dn as dnmod
from ldifctl.model.snapshot import Entry, Snapshot

RECORDS_PER_PIECE = 1024


def parent_first(entry: Entry) -> tuple[int, str]:
    return (dnmod.depth(entry.dn), entry.dn.lower())


def export_ldif(snapshot: Snapshot) -> str:
    return "".join(export_pieces(snapshot))


def export_pieces(snapshot: Snapshot) -> Iterator[str]:
    """The text of `export_ldif`, RECORDS_PER_PIECE records at a time."""
    entries = sorted(snapshot, key=parent_first)
    records = content_records((e.dn, sorted_attrs(e, snapshot.schema)) for e in entries)
    while piece := "".join(islice(records, RECORDS_PER_PIECE)):
        yield piece
