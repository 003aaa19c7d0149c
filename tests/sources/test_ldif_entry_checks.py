"""An LDIF file's entries pass the checks of an entry file (repo/entries/build.py), as
`import` applies them: `diff` must not plan what slapd refuses, and says the same as
`import` does, at the record's line."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, run

from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import build_schema
from ldifctl.sources.ldif_reader import load_ldif

SCHEMA = build_schema()
SUFFIX = "dn: dc=example,dc=net\nobjectClass: top\nobjectClass: domain\ndc: example\n\n"
PERSON = "dn: cn=n,dc=example,dc=net\nobjectClass: inetOrgPerson\ncn: n\nsn: n\n"


def error_of(text: str) -> str:
    with pytest.raises(LdifctlError) as err:
        load_ldif(text.encode(), "dump.ldif", SCHEMA)
    return str(err.value)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            "mail: X@example.net\nmail: x@example.net\n",
            "attribute 'mail' has the value 'x@example.net' twice ('X@example.net' is the "
            "same under caseIgnoreIA5Match): remove one",
        ),
        (
            "description: same\ndescription: same\n",
            "attribute 'description' has the value 'same' twice: remove one",
        ),
        ("cn;: x\n", "'cn;' is not an LDAP attribute name: rename it"),
        (
            "1.2.3: x\n",
            "'1.2.3' is a numeric OID of no attribute type ldifctl knows: write the "
            "attribute's name, or declare it under `attributes:` in ldifctl.yaml",
        ),
        (
            "description:\n",
            "attribute 'description' has an empty value, which its syntax does "
            "not allow (DN, IA5String, postal address, unique member and some binary attributes "
            "may be empty): give it a value or remove the line",
        ),
    ],
)
def test_what_an_entry_file_refuses_is_refused_at_the_record(lines: str, message: str) -> None:
    assert error_of(SUFFIX + PERSON + lines) == f"dump.ldif:6: {message}"


def test_what_slapd_takes_passes() -> None:
    text = SUFFIX + PERSON + "member:\nmail: a@x.net\nmail: b@x.net\nOID.2.5.4.4;lang-DE: m\n"
    entry = load_ldif(text.encode(), "dump.ldif", SCHEMA).get_dn("cn=n,dc=example,dc=net")
    assert entry is not None
    assert dict(entry.attrs) == {
        "objectClass": (b"inetOrgPerson",),
        "cn": (b"n",),
        "sn": (b"n",),
        "member": (b"",),
        "mail": (b"a@x.net", b"b@x.net"),
        "sn;lang-de": (b"m",),
    }


def test_a_line_without_a_name_is_refused_at_its_line() -> None:
    assert error_of(SUFFIX + PERSON + "#\n: x\n") == (
        "dump.ldif:11: an attribute line with no name before its colon in the record of "
        "'cn=n,dc=example,dc=net': write the attribute's name before the colon, or remove "
        "the line"
    )


def test_a_pooled_value_list_is_checked_in_every_record_that_holds_it() -> None:
    # objectClass lists are pooled: the first record to hold one checks it.
    records = [f"dn: cn={i},dc=example,dc=net\nobjectClass: device\ncn: {i}\n\n" for i in range(3)]
    twice = "dn: cn=x,dc=example,dc=net\nobjectClass: device\nobjectClass: Device\ncn: x\n"
    assert error_of(SUFFIX + "".join(records) + twice + "\n" + twice.replace("cn=x", "cn=y")) == (
        "dump.ldif:18: attribute 'objectClass' has the value 'Device' twice ('device' is the "
        "same under objectIdentifierMatch): remove one"
    )


def test_diff_and_import_refuse_alike(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo", "base_dn: dc=example,dc=net\n")
    old, new = tmp_path / "old.ldif", tmp_path / "new.ldif"
    old.write_text(SUFFIX + PERSON)
    # An entry that exists gains two spellings of one address: not the last one kept.
    new.write_text(SUFFIX + PERSON + "mail: Two@example.net\nmail: two@example.net\n")
    said = (
        f"error: {new}:6: attribute 'mail' has the value 'two@example.net' twice "
        "('Two@example.net' is the same under caseIgnoreIA5Match): remove one\n"
    )
    assert run(repo, "diff", str(old), str(new)) == (1, "", said)
    code, out, err = run(repo, "import", "--from-ldif", str(new))
    assert (code, out) == (1, "")
    assert err.startswith(said)
