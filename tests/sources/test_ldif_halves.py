"""A big LDIF file read as two halves, one per core (ldif_records.halves, ldif_reader._read):
the two runs give the records a read from the start gives, line numbers included, on
generated files of every shape; and on files big enough for the fork, the entries and
every error are those of a read from the start, whichever process meets them."""

from __future__ import annotations

import errno
import os

import pytest
from hypothesis import given, settings
from test_ldif_records_property import ldif_files

from ldifctl import bulk
from ldifctl.model.dn import is_within
from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.model.schema import build_schema
from ldifctl.policy.structure import entry_checks, keyed_checks
from ldifctl.sources import ldif_reader, ldif_records
from ldifctl.sources.ldif_entries import Entries
from ldifctl.sources.ldif_reader import load_changed, load_ldif
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


def test_each_half_is_cut_by_the_process_that_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """`halves` cuts nothing: cut before the fork, both halves' pieces were held by the
    parent, and the second's by both processes (24 MB more at a 100k `diff`'s peak)."""
    cut_sizes: list[int] = []
    cut = ldif_records._cut

    def noting(data: bytes) -> ldif_records.Cut:
        cut_sizes.append(len(data))
        return cut(data)

    monkeypatch.setattr(ldif_records, "_cut", noting)
    data = big_file()
    split = halves(data, "big.ldif")
    assert split is not None
    first, second, _ = split
    assert cut_sizes == []
    next(first)
    assert len(cut_sizes) == 1 and 0 < cut_sizes[0] < len(data)
    next(second)
    assert len(cut_sizes) == 2 and sum(cut_sizes) <= len(data)


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
    entries = Entries("big.ldif", SCHEMA)
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


def entry_findings(data: bytes, base: str | None = None) -> list[Finding]:
    """What the checks of each entry alone find, run after a whole read (below `base`)."""
    alone, inside = entry_checks(SCHEMA), SCHEMA.dn_key(base) if base else None
    return sorted(
        f
        for key, e in load_ldif(data, "new.ldif", SCHEMA).items()
        if inside is None or is_within(key, inside)
        for f in alone(e)
    )


def odd_entries(early: int, late: int) -> dict[int, str]:
    """A wrong RDN value, no objectClass and a single-valued attribute twice, each in
    both halves of big_file."""
    odd: dict[int, str] = {}
    for i in (early, late):
        odd[i] = f"dn: cn=n{i},dc=example,dc=net\nobjectClass: device\ncn: other{i}\n"
        odd[i + 1] = f"dn: cn=n{i + 1},dc=example,dc=net\ncn: n{i + 1}\n"
        odd[i + 2] = (
            f"dn: cn=n{i + 2},ou=in,dc=example,dc=net\nobjectClass: inetOrgPerson\n"
            f"cn: n{i + 2}\nsn: S\ndisplayName: one\ndisplayName: two\n"
        )
    return odd


def test_each_entry_is_checked_as_it_is_read_in_both_halves() -> None:
    """The checks run by the reader, in either process, find what they find of the
    whole file read first: every finding once, at its entry's line."""
    new = big_file(odd=odd_entries(10, BIG - 10))
    files = load_changed(
        (lambda: big_file(), "old.ldif"),
        (lambda: new, "new.ldif"),
        SCHEMA,
        keyed_checks(SCHEMA, ["dc=example,dc=net"]),
    )
    assert files.checked is not None
    expected = entry_findings(new)
    assert sorted(files.checked) == expected
    assert sorted((f.rule, f.dn) for f in expected) == sorted(
        (rule, f"cn=n{i},{ou}dc=example,dc=net")
        for n in (10, BIG - 10)
        for rule, i, ou in (
            ("structure/rdn-value", n, ""),
            ("structure/objectclass", n + 1, ""),
            ("schema/single-value", n + 2, "ou=in,"),
        )
    )
    late = next(f for f in expected if f.dn == f"cn=n{BIG - 10},dc=example,dc=net")
    dn_line = new.decode().splitlines().index(f"dn: cn=n{BIG - 10},dc=example,dc=net") + 1
    assert late.where == f"new.ldif:{dn_line}"  # its record's, read by the child


def test_a_dump_is_checked_only_below_its_base_dns() -> None:
    """Of an LDIF file (not entry files), entries outside base_dn are not judged."""
    new = big_file(odd=odd_entries(10, BIG - 10))
    files = load_changed(
        (lambda: big_file(), "old.ldif"),
        (lambda: new, "new.ldif"),
        SCHEMA,
        keyed_checks(SCHEMA, ["ou=in,dc=example,dc=net"], repo=False),
    )
    assert files.checked is not None
    assert sorted(files.checked) == entry_findings(new, "ou=in,dc=example,dc=net")
    assert [f.rule for f in files.checked] == ["schema/single-value"] * 2


def test_unchecked_the_reader_reports_no_findings() -> None:
    files = load_changed(
        (lambda: big_file(), "old.ldif"), (lambda: big_file(odd=odd_entries(10, 20)), "new"),
        SCHEMA,
    )
    assert files.checked is None


def test_value_lists_of_few_shapes_are_shared_and_the_rest_are_not_pooled() -> None:
    """objectClass: device is one tuple for every entry; the pool of the descriptions,
    all distinct, is let go within the first thousand entries."""
    entries = Entries("big.ldif", SCHEMA)
    read = [entries.entry(r) for r in records(big_file(3000), "big.ldif")]
    classes = {id(e.attrs["objectClass"]) for e in read}
    assert len(classes) == 1 and read[0].attrs["objectClass"] == (b"device",)
    assert entries.pools[b"objectClass"] == {(b"device",): (b"device",)}
    assert entries.pools[b"description"] is None
    assert len({e.attrs["description"] for e in read}) == 3000
    # Read in two processes, the entries are still the same.
    snapshot = load_ldif(big_file(), "big.ldif", SCHEMA)
    assert {e.attrs["objectClass"] for e in snapshot} == {(b"device",)}


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child's half sent in many parts, not one."""
    monkeypatch.setattr(ldif_reader, "_ROWS_PER_PART", 300)


@pytest.mark.usefixtures("small_parts")
def test_a_half_sent_in_many_parts_is_taken_whole_and_in_order() -> None:
    data = big_file()
    snapshot = load_ldif(data, "big.ldif", SCHEMA)
    got = [(e.dn, e.origin.line if e.origin else None, dict(e.attrs)) for e in snapshot]
    assert got == one_read(data)


@pytest.mark.usefixtures("small_parts")
def test_an_error_in_an_early_part_of_the_childs_half_ends_the_read_there() -> None:
    """Broken records in the child's first and last parts: the first is reported."""
    early, late = BIG // 2 + 50, BIG - 10
    broken = "dn: cn=x,dc=example,dc=net\nobjectClass device\n"
    assert error_of(big_file(odd={early: broken, late: broken})).startswith(
        f"big.ldif:{line_of(big_file(), early) + 1}: not valid LDIF"
    )


def test_where_no_process_can_be_forked_the_file_is_read_here_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file big enough for two processes, and fork refused (no process left): both
    halves are read here, each entry once and at its line."""

    def refused() -> int:
        raise OSError(errno.EAGAIN, "no process left")

    monkeypatch.setattr(os, "fork", refused)
    data = big_file()
    snapshot = load_ldif(data, "big.ldif", SCHEMA)
    got = [(e.dn, e.origin.line if e.origin else None, dict(e.attrs)) for e in snapshot]
    assert got == one_read(data)
