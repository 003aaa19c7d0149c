"""One content record's lines read by python-ldap's rules (ldif_records.py cuts the
text into records): each line's `partition(b":")`, then the value rules: `: ` strips the
leading whitespace (str.lstrip, which Unicode spaces too: the rare value starting with a
byte that could be one takes the str way), `::` is base64 (binascii, as b64decode), `:`
alone takes the rest as is. Comment lines (`#`, folded ones too) are skipped only when the
file has one. `version:` is read before the first record only.

Refused with the file and line: a `:<` URL value (python-ldap would fetch it, or give
None), a line without a colon, a record not starting with `dn:` (one starting with `ref:`
is a search continuation reference, said as such), a DN that is not UTF-8, a second `dn:`
line, a line with nothing before its colon (python-ldap reads attribute `''`).
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass

from ldifctl.model.errors import LdifctlError
from ldifctl.sources.ldif_text import UnfoldedText

# First bytes after `: ` that str.lstrip() might strip and bytes.lstrip() does not
# (\x1c-\x1f, and whatever non-ASCII may be a Unicode space), or that both strip.
_MAYBE_SPACE = frozenset(b"\t\x0b\x0c\r\x1c\x1d\x1e\x1f ") | frozenset(range(0x80, 0x100))

RawAttrs = dict[bytes, list[bytes]]


@dataclass(frozen=True, slots=True)
class Record:
    """One content record: its `dn:` line's number, the DN, values by raw name (bytes, as
    written), and the record's text unfolded: two records of the same text read the same."""

    line: int
    dn: str
    attrs: RawAttrs
    text: bytes


def leading_comments(lines: list[bytes]) -> int:
    """How many of the lines, from the first, are comments."""
    count = 0
    while count < len(lines) and lines[count].startswith(b"#"):
        count += 1
    return count


def after_version(lines: list[bytes], at: int, text: UnfoldedText, line: int, offset: int) -> int:
    """The index of the line after the `version:` line lines[at] (and the comments after
    it); a version that is no number is refused."""
    value = _value(lines[at], text, *_where(lines, at, line, offset))[1]
    try:
        int(value.decode("ascii"))
    except ValueError:
        where = text.line_at(line + at, offset)
        raise text.error(where, f"version {value!r} is not a number") from None
    return at + 1 + leading_comments(lines[at + 1 :]) if text.comments else at + 1


def record(lines: list[bytes], text: UnfoldedText, line: int, offset: int, raw: bytes) -> Record:
    """The record of these lines (the first its `dn:` line, at this unfolded line and
    offset), whose text is `raw`."""
    name, value = _value(lines[0], text, line, offset)
    if name != b"dn":
        if name == b"ref":  # how ldapsearch without -L prints a continuation reference
            raise text.reference(text.line_at(line, offset), value)
        if name == b"version":
            raise text.error(
                text.line_at(line, offset),
                "not valid LDIF (version: again, after the first record: `ldapsearch -L` "
                "prints one for each page of a paged search)",
                "dump with ldapsearch -LLL, or remove the version: lines after the first",
            )
        raise text.error(
            text.line_at(line, offset),
            f"not valid LDIF (the record starts with {name.decode(errors='replace')!r}, "
            "not dn:)",
        )
    try:
        dn = value.decode("utf-8")
    except UnicodeDecodeError:
        where = text.line_at(line, offset)
        raise text.error(where, "the DN is not UTF-8", "fix the dn: line") from None
    attrs: RawAttrs = {}
    comments, dash = text.comments, 0
    for index in range(1, len(lines)):
        entry_line = lines[index]
        if comments and entry_line.startswith(b"#"):
            continue
        name, colon, value = entry_line.partition(b":")
        if not colon:
            if entry_line == b"-":  # a change record's separator: said below, if not one
                dash = dash or index
                continue
            _value(entry_line, text, *_where(lines, index, line, offset))
        head = value[:1]
        if head == b" ":
            value = value[1:]
            if value and value[0] in _MAYBE_SPACE:
                value = value.decode("utf-8").lstrip().encode("utf-8")
        elif head == b":" or head == b"<":
            value = _value(entry_line, text, *_where(lines, index, line, offset))[1]
        found = attrs.get(name)
        if found is None:
            attrs[name] = [value]
        else:
            found.append(value)
    if dash and not any(name.lower() == b"changetype" for name in attrs):
        _value(lines[dash], text, *_where(lines, dash, line, offset))
    if b"" in attrs:
        raise _no_name(lines, text, line, offset, dn)
    dn_line = text.line_at(line, offset)
    if b"dn" in attrs or b"DN" in attrs or b"Dn" in attrs or b"dN" in attrs:
        raise _second_dn(lines, text, line, offset, dn, dn_line)
    return Record(dn_line, dn, attrs, raw)


def _second_dn(
    lines: list[bytes], text: UnfoldedText, line: int, offset: int, dn: str, dn_line: int
) -> LdifctlError:
    # python-ldap reads a second `dn:` as an attribute: two entries run together.
    index = next(i for i, x in enumerate(lines) if i and x[:3].lower() == b"dn:")
    second = text.line_at(*_where(lines, index, line, offset))
    return text.error(
        second,
        f"a second dn: line in the record of {dn!r} (line {dn_line})",
        "end each record with a blank line",
    )


def _no_name(
    lines: list[bytes], text: UnfoldedText, line: int, offset: int, dn: str
) -> LdifctlError:
    index = next(i for i, x in enumerate(lines) if i and x[:1] == b":")
    return text.error(
        text.line_at(*_where(lines, index, line, offset)),
        f"an attribute line with no name before its colon in the record of {dn!r}",
        "write the attribute's name before the colon, or remove the line",
    )


def _where(lines: list[bytes], index: int, line: int, offset: int) -> tuple[int, int]:
    """The unfolded line number and offset of lines[index] (for the rare slow path)."""
    return line + index, offset + sum(len(x) + 1 for x in lines[:index])


def _value(entry_line: bytes, text: UnfoldedText, line: int, offset: int) -> tuple[bytes, bytes]:
    """(name, value) of one line, by python-ldap's rules; every refusal names the line."""
    name, colon, rest = entry_line.partition(b":")
    where = text.line_at(line, offset)
    if not colon:
        shown = entry_line.decode("utf-8", "replace")
        raise text.error(where, f"not valid LDIF (no value-spec in {shown!r})")
    if rest[:1] == b":":
        if not rest.isascii():
            raise text.error(where, f"not valid LDIF (base64 of {name.decode()} is not ASCII)")
        try:
            return name, binascii.a2b_base64(rest[1:])
        except (binascii.Error, ValueError) as err:
            raise text.error(where, f"not valid base64 after {name.decode()}:: ({err})") from None
    if rest[:1] == b"<":
        raise text.error(
            where,
            f"{name.decode(errors='replace')} takes its value from a URL "
            f"({rest[1:].strip().decode(errors='replace')}); ldifctl reads no file an LDIF "
            "file names",
            "put the value in the record (base64 after `::` for binary data)",
        )
    if rest[:1] == b" ":
        return name, rest.decode("utf-8").lstrip().encode("utf-8")
    return name, rest
