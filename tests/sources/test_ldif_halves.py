"""A big LDIF file read as two halves, one per core (ldif_records.halves, ldif_reader._read):
the two runs give the records a read from the start gives, line numbers included, on
generated files of every shape; and on files big enough for the fork, the entries and
every error are those of a read from the start, whichever process meets them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from test_ldif_records_property import ldif_files

from ldifctl import bulk
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import build_schema
from ldifctl.sources.ldif_reader import _Entries, load_changed, load_ldif
from ldifctl.sources.ldif_records import halves, records

SCHEMA = build_schema()
BIG = bulk.MIN_SPLIT * 2  # records: the second half goes to a forked child


@settings(max_examples=300, deadline=None)
@given(ldif_files())
def test_the_two_halves_read_what_one_read_reads(data: bytes) -> None:
    split = halves(data, "f")
    if split is None:  # no dn: line before the middle
        return
    first, second, _ = split
    assert [*first, *second] == list(records(data, "f"))


def big_file(count: int = BIG, odd: dict[int, str] | None = None) -> bytes:
    """`count` device entries, each record `odd` names replaced by its text; folded
    lines and a comment on the way, so line numbers are not simply 4 per record."""
    parts = ["version: 1\n\n# a dump\n"]
    for i in range(count):
        parts.append(
            (odd or {}).get(i)
            or f"dn: cn=n{i},dc=example,dc=net\nobjectClass: device\ncn: n{i}\n"
            f"description: a long de\n scription {i}\n"
        )
    return "\n".join(parts).encode()


def one_read(data: bytes) -> list[tuple[str, int | None, dict[str, tuple[bytes, ...]]]]:
    entries = _Entries("big.ldif", SCHEMA)
    found = (entries.entry(r) for r in records(data, "big.ldif"))
    return [(e.dn, e.origin.line if e.origin else None, dict(e.attrs)) for e in found]


def test_a_file_read_on_two_cores_holds_each_entry_at_its_line() -> None:
    data = big_file()
    assert halves(data, "big.ldif") is not None
    snapshot = load_ldif(data, "big.ldif", SCHEMA)
    got = [(e.dn, e.origin.line if e.origin else None, dict(e.attrs)) for e in snapshot]
    assert sorted(got) == sorted(one_read(data))
    assert len(got) == BIG


def error_of(data: bytes) -> str:
    with pytest.raises(LdifctlError) as raised:
        load_ldif(data, "big.ldif", SCHEMA)
    return str(raised.value)


def line_of(data: bytes, i: int) -> int:
    """The line of record i's `dn:` line (a record is 5 lines, after 4 of preamble)."""
    line = 4 + 6 * i + 1
    assert data.decode().splitlines()[line - 1].startswith(f"dn: cn=n{i},")
    return line


def test_an_error_in_the_childs_half_names_its_line() -> None:
    late = BIG - 10
    data = big_file(odd={late: f"dn: cn=n{late},dc=example,dc=net\nobjectClass device\n"})
    assert error_of(data) == (
        f"big.ldif:{line_of(big_file(), late) + 1}: not valid LDIF (no value-spec in "
        "'objectClass device'): fix the record"
    )


def test_the_first_error_in_the_file_wins_whichever_process_meets_it() -> None:
    early, dup, late = 100, BIG - 500, BIG - 10
    same_dn = "dn: CN=n3, dc=example,dc=net\nobjectClass: device\ncn: n3\n"
    broken = "dn: cn=x,dc=example,dc=net\nobjectClass device\n"
    clean = big_file()
    # A second spelling of a DN in the child's half, before its broken record: the
    # duplicate is reported, as a read from the start meets it first.
    message = error_of(big_file(odd={dup: same_dn, late: broken}))
    assert message.startswith(f"big.ldif:{line_of(clean, dup)}: DN 'CN=n3, dc=example,dc=net' ")
    assert "same entry as big.ldif:" in message
    # A broken record in the first half wins over one in the second.
    assert error_of(big_file(odd={early: broken, late: broken})).startswith(
        f"big.ldif:{line_of(clean, early) + 1}: not valid LDIF"
    )


def test_two_big_files_give_the_diff_a_read_from_the_start_gives() -> None:
    old = big_file()
    changed = "dn: cn=n7,dc=example,dc=net\nobjectClass: device\ncn: n7\ndescription: new\n"
    new = big_file(odd={7: changed, BIG - 3: changed.replace("n7", f"n{BIG + 1}")})
    files = load_changed((lambda: old, "old.ldif"), (lambda: new, "new.ldif"), SCHEMA)
    assert sorted(e.dn for e in files.new) == [
        "cn=n7,dc=example,dc=net", f"cn=n{BIG + 1},dc=example,dc=net"
    ]
    assert sorted(e.dn for e in files.old) == [
        "cn=n7,dc=example,dc=net", f"cn=n{BIG - 3},dc=example,dc=net"
    ]
    assert len(files.whole_new) == BIG
    key = SCHEMA.dn_key("cn=n5000,dc=example,dc=net")
    assert files.old_lines[key] == line_of(old, 5000)
