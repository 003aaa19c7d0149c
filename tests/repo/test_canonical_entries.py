"""The one-pass reader of canonical entry files (repo/entries/canonical.py) is held to the
general reader (read.py's `read_fast` then build.py's checks, or libyaml): on any file it
either gives the very Entry the general reader gives, or leaves the file to it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import AttributeType, build_schema
from ldifctl.model.snapshot import Entry
from ldifctl.repo.entries import canonical
from ldifctl.repo.entries.build import build_entry
from ldifctl.repo.entries.canonical import read_entry
from ldifctl.repo.entries.read import read_fast, read_yaml
from ldifctl.repo.entries.render import render_entry
from ldifctl.repo.yamlio import nodes as yamlio

SCHEMA = build_schema({"1.2.3.4": AttributeType("myOid", "caseIgnoreMatch")})
DN = "uid=jo,ou=people,dc=example,dc=net"
WHERE = "directory/dc=net/dc=example/ou=people/uid=jo.yaml"
NAMES = ["cn", "CN", "commonName", "mail", "MAIL", "uid", "sn", "objectClass", "member",
         "description;lang-de", "description;LANG-DE", "2.5.4.3", "1.2.3.4", "9.9.9", "dn",
         "DN", "mailEnabled", "uidNumber", "jpegPhoto", "x-custom"]
# Characters that change how YAML reads a scalar, that are not printable, or are neither.
ODD = ["é", "€", "\u00a0", "\x85", "\u2028", "\x7f", "\x00", "\t"]
TEXT = st.text(st.sampled_from([*"aZ09 :#-'\"!&*?,[]{}|>%@`\\.=+", *ODD]), max_size=8)


def scalar(text: str) -> st.SearchStrategy[str]:
    escaped = text.replace("'", "''")
    return st.sampled_from([text, f"'{escaped}'", f'"{text}"', "!!binary Zm9v", "''"])


@st.composite
def entry_files(draw: st.DrawFn) -> str:
    """A file of `name: scalar` and `name:` + items lines, most of them canonical."""
    lines = []
    if draw(st.booleans()):
        lines.append("dn: " + draw(st.sampled_from([DN, f"'{DN}'", DN.upper(), "x", "''"])))
    for _ in range(draw(st.integers(0, 5))):
        name = draw(st.sampled_from(NAMES))
        items = draw(st.lists(st.one_of(TEXT, st.sampled_from(["Jo", "jo", "top"])),
                              max_size=3))
        if draw(st.booleans()) or not items:
            lines.append(f"{name}: {draw(scalar(items[0] if items else draw(TEXT)))}")
        else:
            lines += [f"{name}:", *(f"  - {draw(scalar(t))}" for t in items)]
    end = draw(st.sampled_from(["\n", "\n", "", "\n\n", " \n"]))
    return "\n".join(lines) + end if lines else draw(st.sampled_from(["", "\n"]))


def reference(text: str) -> Entry | str:
    """What the general reader makes of the file: its Entry, or its error."""
    try:
        raw = read_fast(text)
        if raw is None:
            raw, _ = read_yaml(yamlio.compose(text, WHERE), WHERE, text)
        return build_entry(raw, WHERE, DN, SCHEMA)
    except LdifctlError as err:
        return str(err)


@settings(max_examples=600, deadline=None)
@given(entry_files())
def test_the_one_pass_reader_gives_the_general_readers_entry_or_none(text: str) -> None:
    fast = read_entry(text, WHERE, DN, SCHEMA)
    if fast is not None:
        expected = reference(text)
        assert fast == expected
        assert isinstance(expected, Entry) and list(fast.attrs) == list(expected.attrs)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["cn", "mail", "description", "sn", "mailAlias"]),
                          st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3)),
                max_size=6))
def test_what_fmt_writes_is_read_in_one_pass(attrs: list[tuple[str, list[str]]]) -> None:
    """Not a reader that leaves everything to the general one: any entry as `fmt`
    writes it, printable text only, is read here, to the same Entry."""
    values = {n: tuple(dict.fromkeys(v.encode() for v in vs)) for n, vs in attrs}
    printable = all(v.decode().isprintable() for vs in values.values() for v in vs)
    distinct = all(
        len(set(map(SCHEMA.normaliser(n), vs))) == len(vs) for n, vs in values.items()
    )
    entry = Entry(DN, {"objectClass": (b"top",), "uid": (b"jo",), **values})
    text = render_entry(entry, SCHEMA)
    fast = read_entry(text, WHERE, DN, SCHEMA)
    assert fast is None or fast == reference(text)
    if printable and distinct:
        assert fast == reference(text)


@pytest.mark.parametrize(
    "text",
    [
        f"dn: {DN}\ncn: a\nCN: b\n",  # a second spelling
        f"dn: {DN}\ncn: a\ncommonName: b\n",
        f"dn: {DN}\nmail:\n  - a@x\n  - A@X\n",  # the same value under the equality rule
        f"dn: {DN}\ncn: ''\n",  # empty: its syntax decides
        f"dn: {DN}\ncn: a #b\n",  # a comment, as YAML reads it
        f"dn: {DN}\ncn: 'a'b'\n",
        f"dn: {DN.upper()}\n",  # equal under LDAP rules, but not as written
        f"dn: {DN}\n9.9.9: x\n",  # a numeric OID of no known type
        f"cn: a\ndn: {DN}\n",
        f"dn: {DN}\ncn: a\u00a0b\n",  # not printable
        # A line that is not canonical, though its tail is: matched from its start only.
        f"dn: {DN}\n? cn: a\n",
        f"dn: {DN}\ncn:\n -  - a\n",
        f"dn: {DN}\nsn: b\n\tcn: a\n",
        f"dn: {DN}\ncn: a\nsn: b",  # the last line not ended
        f"dn: {DN}\ncn: a\n\n",  # an empty line
        f"dn: {DN}\r\ncn: a\r\n",
        f"dn: {DN}\nsn: b\n  - a\n",  # an item under a key that holds a scalar
        f"dn: {DN}\ncn:\nsn: b\n",  # a list key with no item
    ],
)
def test_what_needs_a_closer_look_is_left_to_the_general_reader(text: str) -> None:
    assert read_entry(text, WHERE, DN, SCHEMA) is None


def test_plain_and_single_quoted_scalars_are_the_text_they_say() -> None:
    text = f"dn: {DN}\ncn:\n  - O'Neil\n  - 'it''s'\n  - a:b c\nmailEnabled: 'TRUE'\nsn: é\n"
    entry = read_entry(text, WHERE, DN, SCHEMA)
    assert entry is not None
    assert entry.attrs == {"cn": (b"O'Neil", b"it's", b"a:b c"), "mailEnabled": (b"TRUE",),
                           "sn": ("é".encode(),)}
    assert entry.where("sn") == f"{WHERE}:7" and entry.where() == f"{WHERE}:1"


def test_the_names_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tree of a million attribute names (or lists of object classes) does not keep a
    million answers: each table starts again past MAX_NAMED, and every file still reads."""
    monkeypatch.setattr(canonical, "MAX_NAMED", 8)
    for i in range(40):
        text = f"dn: {DN}\nx-name{i}: a\nx-other{i}: b\n"
        entry = read_entry(text, WHERE, DN, SCHEMA)
        assert entry is not None and entry.attrs == {f"x-name{i}": (b"a",),
                                                     f"x-other{i}": (b"b",)}
        assert len(canonical._NAMED) <= 8
        classes = f"dn: {DN}\nobjectClass:\n  - top\n  - x-class{i}\n"
        entry = read_entry(classes, WHERE, DN, SCHEMA)
        assert entry is not None and entry.attrs["objectClass"] == (b"top", f"x-class{i}".encode())
        assert len(canonical._CLASS_LISTS) <= 8


def test_lists_of_object_classes_are_shared_one_class_or_more() -> None:
    """Entries of a kind hold one tuple of classes between them, a list of one too."""
    for classes in (["person"], ["top", "person"]):
        items = "".join(f"  - {c}\n" for c in classes)
        read = [read_entry(f"dn: {DN}\nobjectClass:\n{items}uid: jo\n", WHERE, DN, SCHEMA)
                for _ in range(2)]
        first, second = (e.attrs["objectClass"] for e in read if e is not None)
        assert first is second and first == tuple(c.encode() for c in classes)
