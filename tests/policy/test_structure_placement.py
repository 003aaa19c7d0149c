"""Where an entry sits (policy/structure.py): `check_entries` asks once per parent what
it once asked of each entry. On random trees (bases nested in one another, parents
missing, entries outside every base, an LDIF dump's `repo=False`), it finds what asking
of each entry alone finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from snapshots import SCHEMA, snapshot

from ldifctl.model import dn as dnmod
from ldifctl.model.findings import Finding
from ldifctl.model.snapshot import Entry
from ldifctl.policy.structure import _placement, check_entries, entry_checks

RDNS = st.sampled_from(["ou=a", "ou=B", "cn=x", "uid=u1", "uid=U2", "dc=example", "dc=net"])
DNS = st.lists(RDNS, min_size=1, max_size=4).map(",".join)
BASES = st.lists(st.sampled_from(["dc=net", "dc=example,dc=net", "ou=a,dc=net", "cn=x"]),
                 min_size=1, max_size=3, unique=True)


def _each_alone(entries: list[Entry], bases: list[str], repo: bool) -> list[Finding]:
    """What `check_entries` found when it asked every question of every entry."""
    keys = [SCHEMA.dn_key(b) for b in bases]
    held = {SCHEMA.dn_key(e.dn) for e in entries}
    texts = {e.dn for e in entries}
    alone = entry_checks(SCHEMA)
    found: list[Finding] = []
    for entry in entries:
        key = SCHEMA.dn_key(entry.dn)
        inside = any(dnmod.is_within(key, b) for b in keys)
        if not repo and not inside:
            continue
        found += _placement(entry, key, inside, keys, texts.__contains__, held.__contains__,
                            "directory")
        found += alone(entry)
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(DNS, max_size=12, unique_by=lambda d: str(SCHEMA.dn_key(d))), BASES,
       st.booleans())
def test_placement_asked_per_parent_finds_what_each_entry_alone_finds(
    dns: list[str], bases: list[str], repo: bool
) -> None:
    state = snapshot({d: {"objectClass": "top", d.split(",")[0].split("=")[0]:
                          d.split(",")[0].split("=")[1]} for d in dns})
    entries = list(state)
    found = check_entries(state, SCHEMA, bases, lambda d: state.get_dn(d) is not None,
                          "directory", repo)
    assert found == _each_alone(entries, bases, repo)
