"""Entry files: reading (both paths), every error message, canonical writing, comments."""

from __future__ import annotations

import ldap.dn
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ldifctl.model import dn as dnmod
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Schema, build_schema
from ldifctl.model.snapshot import Entry, Origin
from ldifctl.repo.entries.read import ParsedEntry, parse_entry, read_fast, read_yaml
from ldifctl.repo.entries.render import render_entry, rewrite_entry
from ldifctl.repo.yamlio import nodes as yamlio
from ldifctl.repo.yamlio.scalars import quote

SCHEMA = build_schema()
DN = "cn=a,ou=people,dc=example,dc=net"
WHERE = "directory/dc=net/dc=example/ou=people/cn=a.yaml"


def parse(text: str | bytes, expected: str | None = DN) -> ParsedEntry:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_entry(data, WHERE, expected, SCHEMA)


def error(text: str | bytes, expected: str | None = DN) -> str:
    with pytest.raises(LdifctlError) as caught:
        parse(text, expected)
    return str(caught.value)


# --- Reading.


def test_reads_an_entry_with_canonical_names_and_lines() -> None:
    parsed = parse(
        "dn: cn=a,ou=people,dc=example,dc=net\n"
        "objectclass: [top, inetOrgPerson]\n"
        "commonName: a\n"
        "Mail:\n"
        "- a@example.net\n"
        "- b@example.net\n"
    )
    assert parsed.entry == Entry(
        DN,
        {
            "objectClass": (b"top", b"inetOrgPerson"),
            "cn": (b"a",),
            "mail": (b"a@example.net", b"b@example.net"),
        },
        Origin(WHERE, 1, {"objectclass": 2, "cn": 3, "mail": 4}),
    )
    assert parsed.comments == ()


@pytest.mark.parametrize("text", ["no", "0755", "TRUE", "1e3", "~", "null", "2001-12-14", "<<"])
def test_every_value_is_the_text_written(text: str) -> None:
    entry = parse(f"dn: {DN}\ndescription: {text}\n").entry
    assert entry.attrs["description"] == (text.encode(),)


def test_binary_values_are_bytes_and_text_is_utf8() -> None:
    entry = parse(f"dn: {DN}\njpegPhoto: !!binary /9j/4A==\ndescription: grüße\n").entry
    assert entry.attrs["jpegPhoto"] == (b"\xff\xd8\xff\xe0",)
    assert entry.attrs["description"] == ("grüße".encode(),)


def test_a_dn_spelled_differently_but_equal_is_kept_as_written() -> None:
    entry = parse("dn: CN=A, OU=People,DC=example,DC=net\n").entry
    assert entry.dn == "CN=A, OU=People,DC=example,DC=net"


def test_an_entry_without_object_class_is_fine() -> None:
    assert parse(f"dn: {DN}\nmail: a@example.net\n").entry.attrs == {"mail": (b"a@example.net",)}


def test_attribute_options_are_kept_lower_case() -> None:
    entry = parse(f"dn: {DN}\ndescription;LANG-DE: hallo\n").entry
    assert entry.attrs == {"description;lang-de": (b"hallo",)}


# --- Errors: one line each, file:line, what is wrong, what to do.

ERRORS = [
    (
        b"dn: cn=a,ou=people,dc=example,dc=net\nmail: a\xffb\n",
        f"{WHERE}:2: not UTF-8 (byte 0xff at column 8): save the file as UTF-8, "
        "write binary values as !!binary base64",
    ),
    (
        f"dn: {DN}\nmail: a: b\n",
        f"{WHERE}:2: malformed YAML: mapping values are not allowed in this context; "
        "fix the YAML syntax",
    ),
    (
        f"dn: {DN}\nmail: [a\n",
        f"{WHERE}:3: malformed YAML: did not find expected ',' or ']'; fix the YAML syntax",
    ),
    (
        f"dn: {DN}\n---\ndn: {DN}\n",
        f"{WHERE}:2: malformed YAML: but found another document; fix the YAML syntax",
    ),
    (
        f"dn: {DN}\ndescription: a\x01b\n",
        f"{WHERE}:2: character U+0001 is not allowed in YAML: remove it, "
        "or write the value in double quotes with an escape",
    ),
    (
        f"dn: {DN}\ndescription: ééé\nsn: é\x7f\n",
        f"{WHERE}:3: character U+007F is not allowed in YAML: remove it, "
        "or write the value in double quotes with an escape",
    ),
    (
        "",
        f"{WHERE}:1: the file is empty: write the entry as 'dn: ...' and its attributes",
    ),
    (
        "# only a comment\n",
        f"{WHERE}:1: the file is empty: write the entry as 'dn: ...' and its attributes",
    ),
    (
        f"- dn: {DN}\n",
        f"{WHERE}:1: expected a mapping of attributes, found a list: "
        "write the entry as 'dn: ...' followed by 'attribute: value' lines",
    ),
    (
        "just text\n",
        f"{WHERE}:1: expected a mapping of attributes, found a single value: "
        "write the entry as 'dn: ...' followed by 'attribute: value' lines",
    ),
    (
        f"dn: {DN}\nmail: a@example.net\ncn: a\nmail: b@example.net\n",
        f"{WHERE}:4: duplicate key 'mail' (first at line 2): merge the values into one list",
    ),
    (
        f"dn: {DN}\nmail: a@example.net\nMail: b@example.net\n",
        f"{WHERE}:3: 'Mail' is the same attribute as 'mail' (line 2): "
        "merge the values under one name",
    ),
    (
        f"dn: {DN}\ncn: a\ncommonName: b\n",
        f"{WHERE}:3: 'commonName' is the same attribute as 'cn' (line 2): "
        "merge the values under one name",
    ),
    (
        f"dn: {DN}\nDN: {DN}\n",
        f"{WHERE}:2: 'DN' is the same attribute as 'dn' (line 1): merge the values under one name",
    ),
    (
        "cn: a\nmail: a@example.net\n",
        f"{WHERE}:1: missing dn: add 'dn: {DN}' as the first line",
    ),
    (
        "dn: a\n",
        f"{WHERE}:1: invalid dn: 'a' is not a valid DN: write it as attribute=value pairs, "
        "like cn=name,ou=people,dc=example,dc=net",
    ),
    (
        "dn: 'cn=a,ou=people,dc=example,dc=net '\n",
        f"{WHERE}:1: invalid dn: DN 'cn=a,ou=people,dc=example,dc=net ' has leading or trailing "
        "spaces: write it as attribute=value pairs, like cn=name,ou=people,dc=example,dc=net",
    ),
    (
        "dn: cn=b,ou=people,dc=example,dc=net\n",
        f"{WHERE}:1: dn 'cn=b,ou=people,dc=example,dc=net' does not match the file's path, "
        "which means 'cn=a,ou=people,dc=example,dc=net': move the file to "
        "directory/dc=net/dc=example/ou=people/cn=b.yaml or fix dn:",
    ),
    (
        "dn: [cn=a,ou=people,dc=example,dc=net]\n",
        f"{WHERE}:1: dn must be one DN written as text: "
        "write 'dn: cn=name,ou=people,dc=example,dc=net'",
    ),
    (
        "dn: !!binary Y249YQ==\n",
        f"{WHERE}:1: dn must be one DN written as text: "
        "write 'dn: cn=name,ou=people,dc=example,dc=net'",
    ),
    (
        "dn:\n",
        f"{WHERE}:1: dn must be one DN written as text: "
        "write 'dn: cn=name,ou=people,dc=example,dc=net'",
    ),
    (
        f"dn: {DN}\nmail:\n  home: a@example.net\n",
        f"{WHERE}:3: attribute 'mail' has a mapping as its value: "
        "write one value as text, or several as a flat list",
    ),
    (
        f"dn: {DN}\nmail:\n  - a@example.net\n  - [b@example.net]\n",
        f"{WHERE}:4: attribute 'mail' has a list inside its list: "
        "write one value as text, or several as a flat list",
    ),
    (
        f"dn: {DN}\nmail:\n  - a@example.net\n  - home: b@example.net\n",
        f"{WHERE}:4: attribute 'mail' has a mapping inside its list: "
        "write one value as text, or several as a flat list",
    ),
    (
        f"dn: {DN}\nmail:\ncn: a\n",
        f"{WHERE}:2: attribute 'mail' has no value: give it a value, write '' for an empty "
        "one, or remove the line",
    ),
    (
        f"dn: {DN}\nsn:\ncn: a\n",
        f"{WHERE}:2: attribute 'sn' has no value: give it a value or remove the line",
    ),
    (
        f"dn: {DN}\nsn: ''\n",
        f"{WHERE}:2: attribute 'sn' has an empty value, which its syntax does not allow (DN, "
        "IA5String, postal address, unique member and some binary attributes may be empty): "
        "give it a value or remove the line",
    ),
    (
        f"dn: {DN}\nmail:\n  - a@example.net\n  -\n",
        f"{WHERE}:4: attribute 'mail' has no value: give it a value, write '' for an empty "
        "one, or remove the line",
    ),
    (
        f"dn: {DN}\nmail: []\n",
        f"{WHERE}:2: attribute 'mail' has an empty list: give it a value or remove the line",
    ),
    (
        f"dn: {DN}\nmail:\n  - a@example.net\n  - a@example.net\n",
        f"{WHERE}:4: attribute 'mail' has the value 'a@example.net' twice (first at line 3): "
        "remove one",
    ),
    (
        f"dn: {DN}\nmail: [A@Example.net, a@example.NET]\n",
        f"{WHERE}:2: attribute 'mail' has the value 'a@example.NET' twice "
        "('A@Example.net' at line 2 is the same under caseIgnoreIA5Match): remove one",
    ),
    (
        f"dn: {DN}\ncn: [a b, ' a b']\n",
        f"{WHERE}:2: attribute 'cn' has the value ' a b' twice "
        "('a b' at line 2 is the same under caseIgnoreMatch): remove one",
    ),
    (
        f"dn: {DN}\nuidNumber: !!int 1000\n",
        f"{WHERE}:2: tag '!!int' is not supported: remove it (values are text) "
        "or use !!binary for base64 binary data",
    ),
    (
        f"dn: {DN}\ndescription: !vault x\n",
        f"{WHERE}:2: tag '!vault' is not supported: remove it (values are text) "
        "or use !!binary for base64 binary data",
    ),
    (
        f"dn: {DN}\nmail: !!set {{a: b}}\n",
        f"{WHERE}:2: tag '!!set' is not supported: remove it (values are text)",
    ),
    (
        f"dn: {DN}\njpegPhoto: !!binary '@@@'\n",
        f"{WHERE}:2: !!binary value is not valid base64: fix it or re-encode the data",
    ),
    (
        f"dn: {DN}\nmail address: a@example.net\n",
        f"{WHERE}:2: 'mail address' is not an attribute name: use the attribute's LDAP name "
        "(a letter, then letters, digits or '-'; options after ';')",
    ),
    (
        f"dn: {DN}\n<<: {{cn: a}}\n",
        f"{WHERE}:2: '<<' is not an attribute name: use the attribute's LDAP name "
        "(a letter, then letters, digits or '-'; options after ';')",
    ),
    (
        f"dn: {DN}\n? [a, b]\n: c\n",
        f"{WHERE}:2: a key must be a name written as plain text",
    ),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_error_messages(text: str | bytes, message: str) -> None:
    assert error(text) == message


def test_dn_mismatch_suggests_a_path_in_the_same_tree() -> None:
    message = error("dn: cn=b,dc=example,dc=net\n")
    assert message.endswith("move the file to directory/dc=net/dc=example/cn=b.yaml or fix dn:")


def test_without_an_expected_dn_any_valid_dn_is_accepted() -> None:
    assert parse("dn: cn=b,dc=example,dc=net\n", expected=None).entry.dn == "cn=b,dc=example,dc=net"


def test_errors_come_in_line_order() -> None:
    assert error(f"dn: {DN}\nmail: []\ncn: []\n").startswith(f"{WHERE}:2:")


ALIASED = {
    "a scalar": "sn: &s b\ndescription: x\nseeAlso: *s\n",
    "a list": "seeAlso: &l [x, y]\ndescription: x\nsn: *l\n",
    "an item": "sn: b\ndescription: [x, &d y]\nseeAlso:\n  - *d\n",
    "within a list": "sn: b\ndescription: x\nseeAlso:\n  - &d x\n  - *d\n",
}


@pytest.mark.parametrize("body", ALIASED.values(), ids=ALIASED.keys())
def test_an_alias_is_an_error_at_its_line(body: str) -> None:
    """Never expanded (10,000 aliases of a 200 kB value are 2 GB): refused at the alias."""
    line = 3 + body.splitlines().index(next(x for x in body.splitlines() if "*" in x))
    assert error(f"dn: {DN}\ncn: a\n{body}") == (
        f"{WHERE}:{line}: an alias (*name) repeats a value written elsewhere: aliases and "
        "anchors are not supported here; write the value out"
    )


def test_an_anchor_alone_is_read_past() -> None:
    assert parse(f"dn: {DN}\ncn: &c a\n").entry.attrs["cn"] == (b"a",)


# --- Writing: the canonical form.


def test_canonical_form() -> None:
    entry = Entry(
        DN,
        {
            "mail": (b"b@example.net", b"A@example.net"),
            "sn": (b"no",),
            "objectClass": (b"top", b"inetOrgPerson"),
            "Description": (b"a: b", b"line\nbreak", b" lead", b"it's"),
            "jpegPhoto": (b"\xff\xd8",),
            "cn": (b"a",),
        },
    )
    assert render_entry(entry, SCHEMA) == (
        "dn: cn=a,ou=people,dc=example,dc=net\n"
        "objectClass:\n"
        "  - inetOrgPerson\n"
        "  - top\n"
        "cn: a\n"
        "description:\n"
        "  - ' lead'\n"
        "  - 'a: b'\n"
        "  - it's\n"
        '  - "line\\nbreak"\n'
        "jpegPhoto: !!binary /9g=\n"
        "mail:\n"
        "  - A@example.net\n"
        "  - b@example.net\n"
        "sn: 'no'\n"
    )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("plain text", "plain text"),
        ("Smith, John", "Smith, John"),
        ("a#b", "a#b"),
        ("no", "'no'"),
        ("0755", "'0755'"),
        ("TRUE", "'TRUE'"),
        ("1e3", "'1e3'"),
        ("null", "'null'"),
        ("~", "'~'"),
        ("y", "'y'"),
        ("2001-12-14", "'2001-12-14'"),
        ("a #b", "'a #b'"),
        ("-a", "'-a'"),
        ("@home", "'@home'"),
        ("trailing ", "'trailing '"),
        ("tab\there", '"tab\\there"'),
        ("nul\0", '"nul\\0"'),
        ("zero\u200bwidth", '"zero\\u200Bwidth"'),
        ('say "hi"\n', '"say \\"hi\\"\\n"'),
        ("grüße", "grüße"),
    ],
)
def test_quoting(text: str, written: str) -> None:
    assert quote(text) == written


def test_rewrite_of_an_unknown_attribute_uses_the_schema_spelling() -> None:
    entry = Entry(DN, {"MAIL": (b"a@example.net",), "objectclass": (b"top",)})
    assert render_entry(entry, SCHEMA) == f"dn: {DN}\nobjectClass: top\nmail: a@example.net\n"


# --- Comments.

COMMENTED = f"""\
# Alice, since 2019
dn: {DN}  # never rename
objectClass: [top, inetOrgPerson]
mail:
  # the old domain, until June
  - a@old.example.net # remove later
  - a@example.net
description: |
  text with # inside
sn: a # surname
# the end
"""


def test_comments_are_found_and_attached() -> None:
    comments = [(c.attr, c.value, c.text, c.trailing) for c in parse(COMMENTED).comments]
    assert comments == [
        ("dn", None, "# Alice, since 2019", False),
        ("dn", None, "# never rename", True),
        ("mail", "a@old.example.net", "# the old domain, until June", False),
        ("mail", "a@old.example.net", "# remove later", True),
        ("sn", "a", "# surname", True),
        ("", None, "# the end", False),
    ]


def test_fmt_keeps_every_comment_in_place() -> None:
    parsed = parse(COMMENTED)
    assert render_entry(parsed.entry, SCHEMA, parsed.comments) == f"""\
# Alice, since 2019
dn: {DN} # never rename
objectClass:
  - inetOrgPerson
  - top
description: "text with # inside\\n"
mail:
  - a@example.net
  # the old domain, until June
  - a@old.example.net # remove later
sn: a # surname
# the end
"""


def test_a_removed_value_leaves_its_comments_on_the_key() -> None:
    new = Entry(DN, {"mail": (b"a@example.net", b"c@example.net"), "sn": (b"b",)})
    assert rewrite_entry(COMMENTED.encode(), WHERE, new, SCHEMA) == f"""\
# Alice, since 2019
dn: {DN} # never rename
# the old domain, until June
mail: # remove later
  - a@example.net
  - c@example.net
sn: b # surname
# the end
"""


def test_a_removed_attribute_leaves_its_comments_at_the_end() -> None:
    new = Entry(DN, {"objectClass": (b"top",)})
    assert rewrite_entry(COMMENTED.encode(), WHERE, new, SCHEMA) == f"""\
# Alice, since 2019
dn: {DN} # never rename
objectClass: top
# the old domain, until June
# remove later
# surname
# the end
"""


def test_comments_follow_values_equal_under_the_attribute_rule() -> None:
    old = f"dn: {DN}\nmail:\n  - A@Example.net # primary\n  - b@example.net\n"
    new = Entry(DN, {"mail": (b"a@example.net", b"b@example.net")})
    assert rewrite_entry(old.encode(), WHERE, new, SCHEMA) == (
        f"dn: {DN}\nmail:\n  - a@example.net # primary\n  - b@example.net\n"
    )


def test_hash_signs_that_are_not_comments() -> None:
    text = f"dn: {DN}\ndescription: ['a #b', \"c # d\", e#f]\nsn: |\n  # g\n"
    assert parse(text).comments == ()


def test_block_scalar_header_comment() -> None:
    parsed = parse(f"dn: {DN}\ndescription: | # header\n  text\n")
    assert [(c.attr, c.text, c.trailing) for c in parsed.comments] == [
        ("description", "# header", True)
    ]


# --- Properties: round trip, and the fast path agrees with libyaml.

NASTY = [
    " lead", "trail ", "a: b", "a #b", "'", '"', "''", "{}", "[", "]", "!", "&a", "*a", "%", "@",
    "`", "-", "- a", "? a", ": a", "no", "Yes", "off", "on", "y", "n", "~", "null", "0755",
    "0x1F", "1e3", "1_000", "1:20", ".5", ".inf", "2001-12-14", "2001-12-14 21:59:43.10 -5",
    "=", "<<", "#", "a\nb", "a\r\nb", "\t", "\x85", "\u2028", "\ufeff", "é", "😀", "\x00",
    "\\", "a\\nb", "...", "---", "|", ">", "a,b", "a]", "{a: b}", "\u00a0",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=4)),
)
VALUE = st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(min_size=1, max_size=8))
NAMES = ["objectClass", "mail", "mailAlias", "cn", "description", "userPassword", "jpegPhoto",
         "x-custom", "description;lang-de", "2.5.4.13", "telephoneNumber"]


def _distinct(schema: Schema, name: str, values: list[bytes]) -> tuple[bytes, ...]:
    seen: dict[object, bytes] = {}
    for value in values:
        seen.setdefault(schema.normalise_value(name, value), value)
    return tuple(seen.values())


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    rdn = draw(TEXT)
    dn = f"cn={ldap.dn.escape_dn_chars(rdn)},ou=people,dc=example,dc=net"
    try:
        dnmod.parse(dn)
    except dnmod.DnError:
        assume(False)
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=5))
    attrs = {}
    for name in names:
        canonical = SCHEMA.canonical_name(name)
        values = draw(st.lists(VALUE, min_size=1, max_size=4))
        attrs[canonical] = _distinct(SCHEMA, canonical, values)
    return Entry(dn, attrs)


def _sorted(attrs: dict[str, tuple[bytes, ...]]) -> dict[str, list[bytes]]:
    return {name: sorted(values) for name, values in attrs.items()}


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(entries())
def test_render_then_parse_gives_the_entry_back(entry: Entry) -> None:
    text = render_entry(entry, SCHEMA)
    parsed = parse_entry(text.encode("utf-8"), WHERE, entry.dn, SCHEMA).entry
    assert parsed.dn == entry.dn
    assert _sorted(dict(parsed.attrs)) == _sorted(dict(entry.attrs))
    assert render_entry(parsed, SCHEMA) == text


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(entries())
def test_fast_path_and_libyaml_agree_on_canonical_files(entry: Entry) -> None:
    text = render_entry(entry, SCHEMA)
    fast = read_fast(text)
    assert fast is not None, text
    assert fast == read_yaml(yamlio.compose(text, WHERE), WHERE)[0]


COMMENT = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=10).map(
    lambda t: ("# " + t).rstrip()
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(entries(), st.data())
def test_fmt_keeps_comments_and_is_idempotent(entry: Entry, data: st.DataObject) -> None:
    lines = render_entry(entry, SCHEMA).splitlines()
    comments = []
    for i in sorted(data.draw(st.lists(st.integers(0, len(lines)), max_size=4)), reverse=True):
        comment = data.draw(COMMENT)
        comments.append(comment)
        if i < len(lines) and data.draw(st.booleans()):
            lines[i] = f"{lines[i]} {comment}"
        else:
            lines.insert(i, comment)
    once = _fmt("\n".join(lines) + "\n")
    for comment in comments:
        assert comment in once
    assert _fmt(once) == once


def _fmt(text: str) -> str:
    parsed = parse_entry(text.encode("utf-8"), WHERE, None, SCHEMA)
    return render_entry(parsed.entry, SCHEMA, parsed.comments)



_YAMLISH_CHARS = st.sampled_from(list(" -?:,[]{}#&*!|>'\"%@`\\tnux0AF9=.~é\t\r\x85\u2028ab"))
_YAMLISH = st.text(_YAMLISH_CHARS, max_size=8)
YAMLISH = st.one_of(
    _YAMLISH, _YAMLISH.map(lambda t: f"'{t}'"), _YAMLISH.map(lambda t: f'"{t}"'),
    st.text(st.sampled_from("AZaz09+/= "), max_size=6).map(lambda t: f"!!binary {t}"),
)
LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(["dn", "mail", "cn", "2.5.4.3"]), YAMLISH),
    st.builds(lambda k: f"{k}:", st.sampled_from(["mail", "cn"])),
    st.builds(lambda v: f"  - {v}", YAMLISH),
)


@settings(max_examples=1000)
@given(st.lists(LINE, min_size=1, max_size=5))
def test_whatever_the_fast_path_accepts_libyaml_reads_the_same(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    fast = read_fast(text)
    if fast is not None:
        assert fast == read_yaml(yamlio.compose(text, WHERE), WHERE)[0]
