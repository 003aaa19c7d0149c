"""Content LDIF (RFC 2849) cut into records: what python-ldap's `LDIFParser` reads, in
one pass over the bytes, with the line number of every `dn:` line.

python-ldap reads a line at a time through four Python calls, decodes each line and
unfolds with a list; reading a file took longer than everything else `diff` did with
it. Here the work is done by a few C-level passes over the whole buffer, and Python
touches each attribute line once:

1. CRLF becomes LF (`bytes.replace`: line numbers stay, a lone CR stays data, as python-ldap
   strips only a line's CRLF or LF). This and 2. are ldif_text.py's.
2. Folds go (`\\n ` removed by one `re.sub`, only when the file has one). A fold may split
   a UTF-8 character (RFC 2849 folds octets; ldapadd takes it), so the text is checked to be
   UTF-8 after unfolding (`bytes.isascii` first: most dumps are ASCII). Each fold's offset
   in the unfolded text is kept: a line's number in the file is its number in the unfolded
   text plus the folds before it (a bisection, per record).
3. Records are the stretches between empty lines (`split(b"\\n\\n")`; extra blank lines
   leave empty pieces); the line number runs on by each piece's newline count. A big
   file is read as two halves (`halves`), one per core: a piece's line is one more than
   the newlines before it, so each half numbers its lines on its own.
4. Each record's lines: `partition(b":")`, then python-ldap's value rules: `: ` strips the
   leading whitespace (str.lstrip, which Unicode spaces too: the rare value starting with a
   byte that could be one takes the str way), `::` is base64 (binascii, as b64decode),
   `:` alone takes the rest as is. Comment lines (`#`, folded ones too) are skipped only
   when the file has one. `version:` is read before the first record only.

Refused with the file and line: a `:<` URL value (python-ldap would fetch it, or give
None), a line without a colon, a record not starting with `dn:`, a DN that is not UTF-8.
"""

from __future__ import annotations

import binascii
from collections.abc import Container, Iterator
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


def records(
    data: bytes, where: str, skip: Container[bytes] = (), noted: dict[bytes, int] | None = None
) -> Iterator[Record]:
    """Every record of a content LDIF file, in order (the `version:` line read and dropped),
    but those whose text is in `skip` (see `texts`), which are not even parsed: `noted`, if
    given, gets the line of each (a first record after a `version:` line is parsed)."""
    text = UnfoldedText(data, where)
    return _records(text, 0, len(text.data), skip, noted)


def halves(data: bytes, where: str) -> tuple[Iterator[Record], Iterator[Record], int] | None:
    """`records` as two runs for two processes, cut at the first blank line past the
    middle, and about how many records there are. None when the first half holds no `dn:`
    line (a `version:` line is read only before the first record)."""
    text = UnfoldedText(data, where)
    cut = text.data.find(b"\n\n", len(text.data) // 2)
    if cut < 0 or not (text.data.startswith(b"dn:") or text.data.find(b"\ndn:", 0, cut) >= 0):
        return None
    count = text.data.count(b"\n\n")
    return _records(text, 0, cut), _records(text, cut, len(text.data)), count


def _records(
    text: UnfoldedText, begin: int, end: int, skip: Container[bytes] = (),
    noted: dict[bytes, int] | None = None,
) -> Iterator[Record]:
    """The records of text.data[begin:end], which begins a record or a blank line."""
    first = begin == 0
    line, offset = 1 + text.data.count(b"\n", 0, begin), begin
    for piece in text.data[begin:end].split(b"\n\n"):
        body = piece.lstrip(b"\n")
        start_line, start = line + len(piece) - len(body), offset + len(piece) - len(body)
        line, offset = line + piece.count(b"\n") + 2, offset + len(piece) + 2
        body = body.rstrip(b"\n")
        if not body:
            continue
        if body in skip and body[:1] != b"#" and not (first and body.startswith(b"version:")):
            first = False
            if noted is not None:  # as _record numbers it: no comment, no version before
                noted[body] = text.line_at(start_line, start)
            continue
        lines = body.split(b"\n")
        skipped = _leading_comments(lines) if text.comments else 0
        if skipped == len(lines):
            continue
        if first:
            first = False
            if lines[skipped].startswith(b"version:"):
                skipped = _after_version(lines, skipped, text, start_line, start)
                if skipped == len(lines):
                    continue
        if skipped:
            start += sum(len(x) + 1 for x in lines[:skipped])
            start_line, lines = start_line + skipped, lines[skipped:]
        yield _record(lines, text, start_line, start, body)


def texts(data: bytes, where: str) -> list[bytes]:
    """The text of every record (as `Record.text`), unparsed: what two files are first
    compared by. A piece starting with a comment is left out (`records` never skips one:
    ldapsearch repeats the same comment after every page)."""
    pieces = UnfoldedText(data, where).data.split(b"\n\n")
    return [body for piece in pieces if (body := piece.strip(b"\n")) and body[:1] != b"#"]


def _leading_comments(lines: list[bytes]) -> int:
    count = 0
    while count < len(lines) and lines[count].startswith(b"#"):
        count += 1
    return count


def _after_version(lines: list[bytes], at: int, text: UnfoldedText, line: int, offset: int) -> int:
    value = _value(lines[at], text, *_where(lines, at, line, offset))[1]
    try:
        int(value.decode("ascii"))
    except ValueError:
        where = text.line_at(line + at, offset)
        raise text.error(where, f"version {value!r} is not a number") from None
    return at + 1 + _leading_comments(lines[at + 1 :]) if text.comments else at + 1


def _record(lines: list[bytes], text: UnfoldedText, line: int, offset: int, raw: bytes) -> Record:
    name, value = _value(lines[0], text, line, offset)
    if name != b"dn":
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
