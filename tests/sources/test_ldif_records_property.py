"""The one-pass LDIF reader (sources/ldif_records.py) reads what python-ldap's own parser
reads (`ldif.LDIFRecordList`), on generated files: every value shape (safe text, text
that needs base64, a leading space, colon or `<`, non-ASCII, empty, binary, Unicode
spaces after `: ` that python-ldap strips), values written plain, base64 or without the
space after the colon, lines folded at random widths, comments (folded too) before and
inside records, CRLF and LF line ends mixed, blank lines in runs, attribute options,
`version: 1`, and no newline at the end.

And `load_changed` (only records whose text differs are parsed) gives `diff` the same
change records as reading both files whole, on random edits of a file; the old file,
read once (`OldFile`), gives the records and lines a second read of it gives.
"""

from __future__ import annotations

import base64
import io
import random

import ldif
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from ldifctl.diff.entries import sorted_attrs
from ldifctl.diff.ldif_writer import render_content
from ldifctl.diff.snapshots import diff
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry
from ldifctl.sources.ldif_reader import load_changed, load_ldif
from ldifctl.sources.ldif_records import OldFile, records

SAFE = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30)
UNICODE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)
ODD_STARTS = st.sampled_from([" ", ":", "<", "\u3000", "\xa0", "\x1c", "\t", "#", "-"])
VALUES = st.one_of(
    SAFE.map(str.encode),
    UNICODE.map(str.encode),
    st.tuples(ODD_STARTS, SAFE).map(lambda p: (p[0] + p[1]).encode()),
    SAFE.map(lambda s: (s + " ").encode()),
    st.just(b""),
    st.binary(max_size=40),
)
NAMES = st.tuples(
    st.sampled_from(["cn", "CN", "description", "mail", "jpegPhoto", "x-Attr1", "o"]),
    st.lists(st.sampled_from(["lang-de", "LANG-FR", "x-opt", "binary"]), max_size=2),
).map(lambda p: ";".join([p[0], *p[1]]))
RDN_VALUES = st.text(
    st.characters(whitelist_categories=("L", "Nd")), min_size=1, max_size=12
)


def value_lines(name: str, value: bytes, rng: random.Random) -> list[str]:
    """Any way a writer may put the value that python-ldap reads: plain (`name: v`,
    `name:   v`, `name:v`, which python-ldap strips differently) where it is text of one
    line, base64 always."""
    encoded = f"{name}:: {base64.b64encode(value).decode()}"
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return [encoded]
    if "\n" in text or "\r" in text:
        return [encoded]
    forms = [encoded, f"{name}: {text}", f"{name}:   {text}"]
    if text[:1] not in (":", "<"):  # `name::` is base64, `name:<` a URL
        forms.append(f"{name}:{text}")
    return [rng.choice(forms)]


def fold(line: str, rng: random.Random) -> list[str]:
    """Fold at random widths (between characters: python-ldap decodes line by line)."""
    out, width = [], rng.randint(2, 20)
    while len(line) > width and rng.random() < 0.7:
        out.append(line[:width])
        line, width = " " + line[width:], rng.randint(2, 20)
    return [*out, line]


@st.composite
def ldif_files(draw: st.DrawFn) -> bytes:
    rng = random.Random(draw(st.integers(0, 2**32)))
    lines: list[str] = []
    if draw(st.booleans()):
        lines += ["version: 1", ""]
    for _ in range(draw(st.integers(1, 5))):
        if rng.random() < 0.3:
            lines += fold("# a comment, maybe folded onto the next lines " * 2, rng)
        rdn = draw(RDN_VALUES)
        dn = f"cn={rdn},dc=example,dc=net"
        dn_line = f"dn: {dn}" if dn.isascii() else f"dn:: {base64.b64encode(dn.encode()).decode()}"
        lines += fold(dn_line, rng)
        for name, value in draw(st.lists(st.tuples(NAMES, VALUES), min_size=1, max_size=6)):
            if rng.random() < 0.1:
                lines += fold("# inside the record", rng)
            for line in value_lines(name, value, rng):
                lines += fold(line, rng)
        lines += [""] * rng.randint(1, 3)
    ends = [rng.choice(["\n", "\r\n"]) for _ in lines]
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    return (text.rstrip("\r\n") if rng.random() < 0.3 else text).encode("utf-8")


def python_ldap(data: bytes) -> list[tuple[str, dict[str, list[bytes]]]]:
    parser = ldif.LDIFRecordList(io.BytesIO(data))
    parser.parse()
    return [(dn, dict(entry)) for dn, entry in parser.all_records]


def ours(data: bytes) -> list[tuple[str, dict[str, list[bytes]]]]:
    return [(r.dn, {k.decode(): v for k, v in r.attrs.items()}) for r in records(data, "f")]


@settings(max_examples=300, deadline=None)
@given(ldif_files())
def test_the_reader_reads_what_python_ldap_reads(data: bytes) -> None:
    assert ours(data) == python_ldap(data)


@settings(max_examples=300, deadline=None)
@given(ldif_files(), st.integers(0, 2**32))
def test_an_old_file_read_once_gives_what_a_second_read_gives(data: bytes, seed: int) -> None:
    """Its records but those skipped, each at its line, and the line of each skipped;
    its texts are the records' own, but those that start with a comment."""
    old = OldFile(data, "old.ldif")
    unfolded = data.replace(b"\r\n", b"\n").replace(b"\n ", b"")
    pieces = [t for p in unfolded.split(b"\n\n") if (t := p.strip(b"\n"))]
    assert old.texts == [t for t in pieces if t[:1] != b"#"]  # a lone `version:` too
    rng = random.Random(seed)
    skip = {t for t in old.texts if rng.random() < 0.6}
    noted_once: dict[bytes, int] = {}
    noted_twice: dict[bytes, int] = {}
    once = list(old.records(skip=skip, noted=noted_once))
    assert once == list(records(data, "old.ldif", skip=skip, noted=noted_twice))
    assert noted_once == noted_twice
    assert (old.texts, list(old.records(skip=skip, noted={}))) == ([], [])  # let go once read


SHAPES = [b"\r\n ", b"\n ", b":: ", b"version: 1", b"# a comment", b";lang-de", b"\n\n\n",
          b": \xe3\x80\x80", b":\x1c", b"x-Attr1:   ", b"\ncn:\n"]


def test_the_generated_files_hold_every_shape() -> None:
    """The generator makes each case (a property that never meets them proves nothing)."""
    seen = bytearray()

    @settings(max_examples=300, phases=[Phase.generate], database=None, derandomize=True)
    @given(ldif_files())
    def collect(data: bytes) -> None:
        seen.extend(data)

    collect()
    assert [part for part in SHAPES if part not in seen] == []


SCHEMA = build_schema()


def entry(i: int, rng: random.Random) -> Entry:
    attrs: dict[str, tuple[bytes, ...]] = {"objectClass": (b"device",), "cn": (f"n{i}".encode(),)}
    if rng.random() < 0.5:
        attrs["description"] = tuple({rng.choice([b"a", b"B", b"c \xc3\xa9"]) for _ in range(2)})
    return Entry(f"cn=n{i},dc=example,dc=net", attrs)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 30))
def test_only_the_differing_records_give_the_same_diff(seed: int, count: int) -> None:
    rng = random.Random(seed)
    old = [Entry("dc=example,dc=net", {"objectClass": (b"domain",), "dc": (b"example",)})]
    old += [entry(i, rng) for i in range(count)]
    new = [e for e in old if rng.random() > 0.2]
    for i, e in enumerate(list(new)):
        if rng.random() < 0.3 and e.dn != old[0].dn:
            new[i] = entry(int(e.dn[4:].split(",")[0]), rng)  # maybe another description
    new += [entry(count + i, rng) for i in range(rng.randint(0, 3))]
    rng.shuffle(new)
    texts = [render_content((e.dn, sorted_attrs(e, SCHEMA)) for e in side).encode()
             for side in (old, new)]
    records_of = [{r.text: r.dn for r in records(t, "f")} for t in texts]
    old_text, new_text = texts
    files = load_changed((lambda: old_text, "old.ldif"), (lambda: new_text, "new.ldif"), SCHEMA)
    whole_old, whole_new = load_ldif(texts[0], "old.ldif", SCHEMA), load_ldif(texts[1], "n", SCHEMA)
    assert diff(files.old, files.new) == diff(whole_old, whole_new)
    assert sorted(map(repr, files.whole_new.keys())) == sorted(map(repr, whole_new.keys()))
    # Only what differs was taken: each side holds the records whose text the other lacks.
    old_records, new_records = records_of
    for side, mine, other in ((files.old, old_records, new_records),
                              (files.new, new_records, old_records)):
        assert sorted(e.dn for e in side) == sorted(d for t, d in mine.items() if t not in other)
