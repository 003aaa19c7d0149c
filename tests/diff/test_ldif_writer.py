"""RFC 2849 details of the LDIF writer, pinned exactly."""

from __future__ import annotations

import base64

import pytest

from ldifctl.diff.ldif_writer import attr_line, render_changes, render_content
from ldifctl.model.changes import Add, Change, Delete, Mod, Modify, ModRdn


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        (b"plain value", True),
        (b" leading space", False),
        (b"trailing space ", False),
        (b"\tleading tab", False),
        (b"\x0cleading form feed", False),
        (b"trailing tab\t", False),
        (b":colon first", False),
        (b"<angle first", False),
        (b"two\nlines", False),
        (b"carriage\rreturn", False),
        (b"nul\x00byte", False),
        ("ünïcode".encode(), False),
        (b"inner: colon and <angle> are fine", True),
        (b"#hash first is fine in LDIF", True),
    ],
)
def test_values_are_base64_exactly_when_rfc_2849_requires(value: bytes, safe: bool) -> None:
    expected = f"mail: {value.decode()}" if safe else f"mail:: {b64(value)}"
    assert attr_line("mail", value) == [expected]


# RFC 2849: SAFE-CHAR is %x01-09 / %x0B-0C / %x0E-7F, SAFE-INIT-CHAR that without SPACE,
# colon and "<"; OpenLDAP's reader also skips a TAB, VT or FF after `: `, so those do not
# start a plain value either; a value ending in any of them is base64 too (a reader may
# strip it).
SAFE_CHARS = frozenset([*range(0x01, 0x0A), 0x0B, 0x0C, *range(0x0E, 0x80)])
STRIPPED = {0x20, 0x09, 0x0B, 0x0C}
SAFE_INIT = SAFE_CHARS - {0x3A, 0x3C} - STRIPPED


@pytest.mark.parametrize("byte", range(256))
def test_each_byte_is_written_plain_exactly_where_rfc_2849_allows_it(byte: int) -> None:
    for value, safe in (
        (bytes([byte]), byte in SAFE_INIT),
        (b"a" + bytes([byte]) + b"z", byte in SAFE_CHARS),
        (b"az" + bytes([byte]), byte in SAFE_CHARS and byte not in STRIPPED),
    ):
        plain = attr_line("description", value)[0].startswith("description: ")
        assert plain is safe, value


def test_an_empty_value_is_written_as_slapcat_and_ldapsearch_write_it() -> None:
    assert attr_line("member", b"") == ["member:"]


def test_a_newline_in_a_value_never_starts_an_ldif_line_of_its_own() -> None:
    text = render_changes(
        [
            Modify(
                "cn=a,dc=x", (Mod("add", "description", (b"x\ndn: cn=evil\nchangetype: delete",)),)
            )
        ]
    )
    assert "\ndn: cn=evil" not in text
    assert text.count("\n") == 6


def test_long_lines_fold_at_76_columns_with_one_leading_space() -> None:
    lines = attr_line("description", b"x" * 200)
    assert [len(line) for line in lines] == [76, 76, 63]
    assert lines[0] == "description: " + "x" * 63
    assert all(line.startswith(" ") for line in lines[1:])
    assert lines[0][13:] + "".join(line[1:] for line in lines[1:]) == "x" * 200


def test_utf8_dn_is_base64() -> None:
    dn = "cn=Émile,ou=people,dc=example,dc=net"
    assert render_changes([Delete(dn, ())]) == (f"dn:: {b64(dn.encode())}\nchangetype: delete\n\n")


def test_every_record_type() -> None:
    changes: list[Change] = [
        Add("cn=a,dc=x", (("objectClass", (b"device",)), ("cn", (b"a",)))),
        Modify(
            "cn=a,dc=x",
            (
                Mod("delete", "cn", (b"old",)),
                Mod("add", "cn", (b"new",)),
                Mod("replace", "jpegPhoto", (b"\xff\xd8",), (b"\x00",)),
            ),
        ),
        ModRdn("cn=a,dc=x", "cn=b", True, "ou=y,dc=x", "cn=b,ou=y,dc=x"),
        ModRdn("cn=c,dc=x", "cn=d", False, None, "cn=d,dc=x"),
        Delete("cn=e,dc=x", ()),
    ]
    assert render_changes(changes) == (
        "dn: cn=a,dc=x\nchangetype: add\nobjectClass: device\ncn: a\n\n"
        "dn: cn=a,dc=x\nchangetype: modify\ndelete: cn\ncn: old\n-\nadd: cn\ncn: new\n-\n"
        f"replace: jpegPhoto\njpegPhoto:: {b64(bytes([0xFF, 0xD8]))}\n-\n\n"
        "dn: cn=a,dc=x\nchangetype: modrdn\nnewrdn: cn=b\ndeleteoldrdn: 1\n"
        "newsuperior: ou=y,dc=x\n\n"
        "dn: cn=c,dc=x\nchangetype: modrdn\nnewrdn: cn=d\ndeleteoldrdn: 0\n\n"
        "dn: cn=e,dc=x\nchangetype: delete\n\n"
    )


def test_no_changes_is_empty_output() -> None:
    assert render_changes([]) == ""


def test_content_ldif_round_trips_through_python_ldap() -> None:
    import io

    import ldif

    attrs = (
        ("objectClass", (b"device",)),
        ("cn", (b"a",)),
        ("description", (b" lead", "ü".encode(), b"x" * 100)),
    )
    parsed = ldif.LDIFRecordList(io.BytesIO(render_content([("cn=a,dc=x", attrs)]).encode()))
    parsed.parse()
    assert parsed.all_records == [("cn=a,dc=x", {name: list(values) for name, values in attrs})]
