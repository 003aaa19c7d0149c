"""What the one-pass LDIF reader refuses, and where it says the problem is: the line in
the file, counted past folds, comments and CRLF; and the whole read's error when a diff
of two files reads only the records that differ."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, run

from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import build_schema
from ldifctl.sources.ldif_reader import load_changed, load_ldif

SCHEMA = build_schema()
HEAD = "version: 1\n\n# a comment\n#  folded\n\ndn: dc=example,dc=net\nobjectClass: domain\n"
FOLDED = "dn: cn=a,dc=example,dc=net\nobjectClass: dev\n ice\ndescription: a long\n  value\n"


def error_of(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(LdifctlError) as err:
        load_ldif(data, "dump.ldif", SCHEMA)
    return str(err.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.net/x"])
def test_a_value_from_a_url_is_refused_naming_file_and_line(url: str) -> None:
    text = HEAD + "dc: example\n\n" + FOLDED + f"jpegPhoto:< {url}\n"
    assert error_of(text) == (
        f"dump.ldif:15: jpegPhoto takes its value from a URL ({url}); ldifctl reads no file "
        "an LDIF file names: put the value in the record (base64 after `::` for binary data)"
    )
    # The same with CRLF line ends: the same line.
    assert error_of(text.replace("\n", "\r\n")).startswith("dump.ldif:15: jpegPhoto takes")


def test_an_import_of_a_url_value_writes_nothing(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo", "base_dn: dc=example,dc=net\n")
    dump = tmp_path / "dump.ldif"
    dump.write_text(HEAD + "dc: example\ndescription:< file:///etc/passwd\n")
    code, out, err = run(repo, "import", "--from-ldif", str(dump))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {dump}:9: description takes its value from a URL")
    assert "root:" not in err
    assert not list((repo.root / "directory").rglob("*.yaml"))


def test_lines_are_counted_past_folds_and_comments() -> None:
    text = HEAD + "dc: example\n\n" + FOLDED + "# a comment\n  folded\nnot a line\n"
    assert error_of(text) == (
        "dump.ldif:17: not valid LDIF (no value-spec in 'not a line'): fix the record"
    )
    second = HEAD + "dc: example\n\n" + FOLDED + "dn: cn=b,\n dc=example,dc=net\n"
    assert error_of(second) == (
        "dump.ldif:15: a second dn: line in the record of 'cn=a,dc=example,dc=net' "
        "(line 10): end each record with a blank line"
    )


def test_what_is_not_ldif_is_refused_naming_the_line() -> None:
    assert error_of("version: one\n\n" + FOLDED) == (
        "dump.ldif:1: version b'one' is not a number: fix the record"
    )
    assert error_of(HEAD + "dc: example\n\ncn: a\n") == (
        "dump.ldif:10: not valid LDIF (the record starts with 'cn', not dn:): fix the record"
    )
    assert error_of(HEAD + "dc:: é\n") == (
        "dump.ldif:8: not valid LDIF (base64 of dc is not ASCII): fix the record"
    )
    assert error_of(HEAD.encode() + b"description: caf\xe9\n") == (
        "dump.ldif:8: not UTF-8 (invalid continuation byte): fix the encoding"
    )
    # A change record's `-` in content LDIF: what it is, at its line.
    assert error_of(HEAD + "dc: example\n-\ndescription: d\n") == (
        "dump.ldif:9: not valid LDIF (no value-spec in '-'): fix the record"
    )
    assert error_of(b"dn:: " + b"//79\n") == (
        "dump.ldif:1: the DN is not UTF-8: fix the dn: line"
    )


def test_a_last_record_of_a_dn_alone_is_an_entry_without_attributes() -> None:
    # python-ldap's parser stops with EOFError here (it reads on for a second line).
    snapshot = load_ldif(b"dn: dc=example,dc=net", "dump.ldif", SCHEMA)
    entry = snapshot.get_dn("dc=example,dc=net")
    assert entry is not None and dict(entry.attrs) == {}


SAME = "dn: cn=x,dc=example,dc=net\nobjectClass: device\ncn: x\n\n"


@pytest.mark.parametrize(
    "old",
    [
        SAME + SAME,  # a record twice
        SAME + "dn: cn=X,dc=example,dc=net\nobjectClass: device\ncn: X\n",  # a DN respelled
    ],
)
def test_a_diff_of_an_old_file_holding_an_entry_twice_fails_as_a_whole_read(old: str) -> None:
    new = SAME + "dn: cn=y,dc=example,dc=net\nobjectClass: device\ncn: y\n"
    with pytest.raises(LdifctlError) as whole:
        load_ldif(old.encode(), "old.ldif", SCHEMA)
    with pytest.raises(LdifctlError) as changed:
        load_changed((old.encode, "old.ldif"), (new.encode, "new.ldif"), SCHEMA)
    assert str(changed.value) == str(whole.value)
    assert str(whole.value).startswith("old.ldif:5: DN ")


def test_a_comment_repeated_after_every_page_leaves_the_unchanged_records_unread() -> None:
    page = "# pagedresults: cookie=\n\n"  # ldapsearch -E pr=500 writes it after each page
    y = "dn: cn=y,dc=example,dc=net\nobjectClass: device\ncn: y\n"
    old = SAME + page + y + "\n" + page
    new = SAME + page + y.replace("cn: y\n", "cn: y\ndescription: d\n") + "\n" + page
    files = load_changed((old.encode, "old.ldif"), (new.encode, "new.ldif"), SCHEMA)
    assert [e.dn for e in files.old] == ["cn=y,dc=example,dc=net"]
    assert [e.dn for e in files.new] == ["cn=y,dc=example,dc=net"]
    assert len(files.whole_new) == 2


def _device(cn: str, extra: str = "") -> str:
    return f"dn: cn={cn},dc=example,dc=net\nobjectClass: device\ncn: {cn}\n{extra}"


@pytest.mark.parametrize(
    ("head", "sep", "fold"),
    [
        ("", "\n", False),
        ("version: 1\n", "\n", False),  # the first record after the version line
        ("version: 1\n\n", "\n", True),
        ("# a dump\n", "\n", True),
        ("version: 1\n# written by slapcat\n", "\r\n", True),
    ],
)
def test_unchanged_entries_as_old_stand_where_a_whole_read_of_the_old_file_puts_them(
    head: str, sep: str, fold: bool
) -> None:
    """`as_old` gives the entries of records of the same text in both files as a whole
    read of the old file gives them (its name, their lines there), though the old file's
    unchanged records are never parsed: the routing cites the old state's entries so."""
    folded = "description: one\n # folded\n"
    records = [_device(cn, folded if fold and cn == "c" else "") for cn in "abcde"]
    old = head + "\n# between\n\n".join(records)
    # The first record stays first: the text of its piece holds what comes before it.
    changed_b = _device("b", "description: new\n")
    new = head + "\n".join([records[0], *records[3:], changed_b, records[2]])
    old_bytes, new_bytes = old.replace("\n", sep).encode(), new.encode()
    files = load_changed((lambda: old_bytes, "old.ldif"), (lambda: new_bytes, "new.ldif"), SCHEMA)
    differ = {"cn=b,dc=example,dc=net"} | ({"cn=a,dc=example,dc=net"} if head[:1] == "#" else set())
    assert {e.dn for e in files.old} == {e.dn for e in files.new} == differ
    whole_old = load_ldif(old_bytes, "old.ldif", SCHEMA)
    unchanged = [e for e in files.whole_new if e.dn not in differ]
    assert files.as_old(unchanged) == [whole_old.get_dn(e.dn) for e in unchanged]
    assert files.as_old(unchanged) != unchanged  # the new file's lines are not the old's


# What the real `ldapsearch -L -M -E pr=2/noprompt` prints (tests/ldif_fixtures/referrals/):
# `version: 1` again after each page's comment, the first again at line 26.
PAGED_L = Path(__file__).parents[1] / "ldif_fixtures" / "referrals" / "L-M-paged.ldif"
PAGED_L_ERROR = (
    "26: not valid LDIF (version: again, after the first record: `ldapsearch -L` prints "
    "one for each page of a paged search): dump with ldapsearch -LLL, or remove the "
    "version: lines after the first"
)


def test_a_paged_dump_of_ldapsearch_l_is_refused_with_what_to_run_instead(
    tmp_path: Path,
) -> None:
    assert error_of(PAGED_L.read_bytes()) == f"dump.ldif:{PAGED_L_ERROR}"
    repo = DirectoryRepo(tmp_path / "repo", "base_dn: dc=example,dc=net\n")
    assert run(repo, "import", "--from-ldif", str(PAGED_L)) == (
        1, "", f"error: {PAGED_L}:{PAGED_L_ERROR}\n"
    )
    assert not list((repo.root / "directory").rglob("*.yaml"))
    # The same dump with its later version lines taken out reads whole.
    lines = PAGED_L.read_bytes().split(b"\n")
    fixed = b"\n".join(lines[:1] + [x for x in lines[1:] if x != b"version: 1"])
    assert len(load_ldif(fixed, "dump.ldif", SCHEMA)) == 7  # as its `# numEntries: 7`
    # A diff reads the new file whole, and the old one's records that differ.
    other = tmp_path / "fixed.ldif"
    other.write_bytes(fixed)
    for pair in ((other, PAGED_L), (PAGED_L, other)):
        assert run(repo, "diff", *map(str, pair)) == (
            1, "", f"error: {PAGED_L}:{PAGED_L_ERROR}\n"
        )
