"""A dump holding a search continuation reference (what the real ldapsearch prints of a
referral entry below its base without -M: tests/ldif_fixtures/referrals/, printed again
by test_live_referrals.py) is refused by every reader of an LDIF file, at the line of
the reference: skipped as a comment, the entries behind the referral would count as
deleted. A dump made with -M, and every ordinary comment, reads as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from referral_kit import ARCHIVE_URLS, FIXTURES, LEGACY_URL, WITH_REFERENCES, fixture
from repo_kit import DirectoryRepo, run

from ldifctl import bulk
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import build_schema
from ldifctl.sources.ldif_reader import load_changed, load_ldif
from ldifctl.sources.ldif_records import halves

SCHEMA = build_schema()
CONFIG = "base_dn: dc=example,dc=net\n"
# The line of the first reference in each fixture (in -L's, past `# search reference`).
LINES = {"extended.ldif": 37, "L.ldif": 38, "LL.ldif": 26, "LLL.ldif": 24, "LLL-paged.ldif": 25}
MEANING = (
    "this dump is incomplete (the entries behind a referral entry live on another server, "
    "and ldapsearch run without -M prints only this line for them); read as it is, they "
    "would count as deleted: dump again with ldapsearch -M (ManageDsaIT), which prints the "
    "referral entry itself, or dump only the subtrees this server holds (-b); read the "
    "referred entries from the server the reference names"
)


def refusal(
    where: str | Path, line: int, url: str = LEGACY_URL, more: str = " (and 2 more)"
) -> str:
    return f"{where}:{line}: a search continuation reference to {url}??sub{more}: {MEANING}"


def error_of(data: bytes, where: str = "dump.ldif") -> str:
    with pytest.raises(LdifctlError) as err:
        load_ldif(data, where, SCHEMA)
    return str(err.value)


@pytest.mark.parametrize("name", WITH_REFERENCES)
def test_an_import_of_a_dump_with_a_reference_writes_nothing(tmp_path: Path, name: str) -> None:
    repo = DirectoryRepo(tmp_path / "repo", CONFIG)
    dump = FIXTURES / name
    code, out, err = run(repo, "import", "--from-ldif", str(dump))
    # Plain ldapsearch prints a `ref:` line, read as a record: it knows of no others.
    more = "" if name == "extended.ldif" else " (and 2 more)"
    assert (code, out, err) == (1, "", f"error: {refusal(dump, LINES[name], more=more)}\n")
    assert not list((repo.root / "directory").rglob("*.yaml"))


def test_a_folded_reference_is_named_whole_at_its_first_line() -> None:
    # The dump without the first referral's line: the archive's comes first, folded.
    text = fixture("LLL.ldif").replace(f"# ref{LEGACY_URL}??sub\n\n".encode(), b"")
    assert error_of(text) == refusal("dump.ldif", 24, ARCHIVE_URLS[0], " (and 1 more)")
    assert error_of(text.replace(b"\n", b"\r\n")) == error_of(text)
    # Without the comments before it, the reference is the file's first line.
    assert error_of(text[text.index(b"# ref") :]).startswith("dump.ldif:1: a search")


def test_diff_refuses_a_dump_with_a_reference_on_either_side(tmp_path: Path) -> None:
    """The dangerous case: a diff from a whole dump to an incomplete one would delete
    every entry behind the referral, and `diff | ldapmodify` would send it."""
    repo = DirectoryRepo(tmp_path / "repo", CONFIG)
    whole, partial = FIXTURES / "LLL-M.ldif", FIXTURES / "LLL.ldif"
    for pair in ((whole, partial), (partial, whole)):
        assert run(repo, "diff", *map(str, pair)) == (1, "", f"error: {refusal(partial, 24)}\n")


def test_the_old_file_of_a_diff_is_refused_before_the_new_is_read() -> None:
    def unread() -> bytes:
        raise AssertionError("the new file was read")

    with pytest.raises(LdifctlError) as err:
        load_changed((lambda: fixture("LL.ldif"), "old.ldif"), (unread, "new.ldif"), SCHEMA)
    assert str(err.value) == refusal("old.ldif", 26)


def test_a_big_file_read_on_two_cores_is_refused_before_the_fork() -> None:
    """The reference in the second half: the whole text is looked at before it is cut."""
    entry = b"dn: cn=u%d,ou=people,dc=example,dc=net\nobjectClass: person\ncn: u%d\nsn: U\n\n"
    head = b"".join(entry % (i, i) for i in range(bulk.MIN_SPLIT * 2))
    data = b"# a dump of everything\n" + head + fixture("LLL.ldif")
    assert halves(data[: len(head)], "big.ldif") is not None  # a file read on two cores
    line = head.count(b"\n") + 1 + 24
    assert error_of(data, "big.ldif") == refusal("big.ldif", line)


@pytest.mark.parametrize("name", ["L-M.ldif", "LLL-M.ldif"])
def test_a_dump_made_with_M_imports_with_its_referral_entries(tmp_path: Path, name: str) -> None:
    """-L's own comments (`# base <...>`, `# search result`, `# numEntries: 7`, and
    `# refunds, people, example.net`, which starts as a reference does) are read as
    comments; each referral entry is an entry of the dump."""
    repo = DirectoryRepo(tmp_path / "repo", CONFIG)
    code, out, err = run(repo, "import", "--from-ldif", str(FIXTURES / name))
    assert (code, out, err) == (0, "", "7 files written, 0 unchanged, 0 removed in directory\n")
    legacy = repo.path("ou=legacy,ou=people,dc=example,dc=net").read_text()
    assert legacy == (
        "dn: ou=legacy,ou=people,dc=example,dc=net\nobjectClass:\n  - extensibleObject\n"
        "  - referral\nou: legacy\n"
    )


def test_ordinary_comments_are_no_reference() -> None:
    body = b"dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n"
    for comment in (
        b"# extended LDIF", b"# search result", b"# numEntries: 3", b"# numReferences: 2",
        b"# base <dc=example,dc=net> with scope subtree", b"#refldap://x/", b"#  ref",
    ):
        assert len(load_ldif(comment + b"\n" + body + comment + b"\n", "f", SCHEMA)) == 1


def test_a_comment_starting_as_a_reference_is_one_but_above_a_dn_line() -> None:
    """-L heads each entry with a comment of its DN (`# refunds, people, example.net`
    for `cn=refunds,...`), right above its `dn:` line: that is an entry's, whatever it
    says. Anywhere else a `# ref` line is a reference: its value is the referral's as
    stored, which slapd and 389-DS send whether or not it is an LDAP URL."""
    body = b"dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n"
    for comment in (b"# refunds, people, example.net", b"# refx://y, people", b"# ref"):
        assert len(load_ldif(comment + b"\n" + body, "f", SCHEMA)) == 1
    for value in (b"urn:x-other:directory", b"ldap2.example.net", b"mailto:admin@example.net",
                  b"erences: see ldap://ldap2.example.net/"):
        comment = b"# ref" + value
        for data in (body + b"\n" + comment + b"\n", comment + b"\n\n" + body):
            line = data.split(b"\n").index(comment) + 1
            assert error_of(data, "f").startswith(
                f"f:{line}: a search continuation reference to {value.decode()}: this dump is "
                "incomplete"
            )

def test_a_flood_of_references_is_counted_up_to_a_bound() -> None:
    """Each distinct reference is kept to be counted, up to 4096: a file of millions of
    `# ref` lines is refused without holding each."""
    body = b"dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n\n"
    refs = b"".join(b"# refldap://h%d/\n" % i for i in range(5000))
    assert "reference to ldap://h0/ (and at least 4095 more): " in error_of(body + refs, "f")
    refs = b"".join(b"# refldap://h%d/\n" % (i % 3) for i in range(5000))  # pages repeat them
    assert "reference to ldap://h0/ (and 2 more): " in error_of(body + refs, "f")
