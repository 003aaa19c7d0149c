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
   text plus the folds before it (a bisection, per record). A file with a comment is
   refused if one is a search continuation reference (`# refldap://...`, one `find`).
3. Records are the stretches between empty lines (`split(b"\\n\\n")`; extra blank lines
   leave empty pieces); the line number runs on by each piece's newline count. A big
   file is read as two halves (`halves`), one per core: a piece's line is one more than
   the newlines before it, so each half numbers its lines on its own.
4. Each record's lines are read by ldif_lines.py (python-ldap's value rules).

A `diff` reads the old file once (`OldFile`): its records are first compared by their
text, and the few that differ are read from the pieces kept.
"""

from __future__ import annotations

from array import array
from collections.abc import Container, Iterable, Iterator
from itertools import accumulate, repeat

from ldifctl.sources.ldif_lines import Record, after_version, leading_comments, record
from ldifctl.sources.ldif_text import UnfoldedText


def records(
    data: bytes, where: str, skip: Container[bytes] = (), noted: dict[bytes, int] | None = None
) -> Iterator[Record]:
    """Every record of a content LDIF file, in order (the `version:` line read and dropped),
    but those whose text is in `skip` (see `OldFile`), which are not even parsed: `noted`, if
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
    """The records of text.data[begin:end], which begins a record or a blank line. The
    text is cut only as the first record is asked for: `halves` gives one half to each
    process, and cut before the fork, both halves' pieces were held by the first (and
    the second's by both), 24 MB more at the peak of a 100k `diff`."""
    line = 1 + text.data.count(b"\n", 0, begin)
    placed = _placed(*_cut(text.data[begin:end]), line, begin)
    yield from _records_of(text, placed, begin == 0, skip, noted)


Piece = tuple[bytes, int, int]  # a record's text, and its first line and offset
# A text cut at blank lines: its pieces, and the newlines and bytes before each, counted
# in C at once (a piece's line and offset are worked out only when it is reached).
Cut = tuple[list[bytes], "array[int]", "array[int]"]


def _cut(data: bytes) -> Cut:
    pieces = data.split(b"\n\n")
    newlines = array("q", accumulate(map(bytes.count, pieces, repeat(b"\n")), initial=0))
    return pieces, newlines, array("q", accumulate(map(len, pieces), initial=0))


def _placed(
    pieces: list[bytes], newlines: array[int], sizes: array[int], line: int = 1, offset: int = 0
) -> Iterator[Piece]:
    """The pieces that hold more than newlines, stripped of them, each with the
    (unfolded) line and offset it starts at, the first piece at `line` and `offset`:
    before piece i stand i separators of two newlines."""
    for i, piece in enumerate(pieces):
        body = piece.strip(b"\n")
        if body:
            lead = len(piece) - len(piece.lstrip(b"\n")) if piece[:1] == b"\n" else 0
            yield body, line + newlines[i] + 2 * i + lead, offset + sizes[i] + 2 * i + lead


def _records_of(
    text: UnfoldedText, pieces: Iterable[Piece], first: bool, skip: Container[bytes] = (),
    noted: dict[bytes, int] | None = None,
) -> Iterator[Record]:
    """The records of these pieces; `first`: they begin the file (a `version:` line may
    come first)."""
    for body, start_line, start in pieces:
        if body in skip and body[:1] != b"#" and not (first and body.startswith(b"version:")):
            first = False
            if noted is not None:  # as `record` numbers it: no comment, no version before
                noted[body] = text.line_at(start_line, start)
            continue
        lines = body.split(b"\n")
        skipped = leading_comments(lines) if text.comments else 0
        if skipped == len(lines):
            continue
        if first:
            first = False
            if lines[skipped].startswith(b"version:"):
                skipped = after_version(lines, skipped, text, start_line, start)
                if skipped == len(lines):
                    continue
        if skipped:
            start += sum(len(x) + 1 for x in lines[:skipped])
            start_line, lines = start_line + skipped, lines[skipped:]
        yield record(lines, text, start_line, start, body)


class OldFile:
    """A file read once to be compared by its records' texts (`texts`: each as
    `Record.text`, unparsed; a piece starting with a comment is left out, as `records`
    never skips one: ldapsearch repeats the same comment after every page), then read
    for the records that differ (`records`, as `records()` with `skip`), from the pieces
    kept: not read, unfolded and cut up a second time (0.36 s of a `diff` at 100k
    entries). Kept are the file's `Cut` (its pieces, held by the caller anyway as the
    texts, and 16 bytes a piece of counts), not the file."""

    def __init__(self, data: bytes, where: str) -> None:
        self._text = UnfoldedText(data, where)
        self._cut = _cut(self._text.data)
        self._text.let_go()
        self.texts = [t for p in self._cut[0] if (t := p.strip(b"\n")) and t[:1] != b"#"]

    def records(self, skip: Container[bytes], noted: dict[bytes, int]) -> Iterator[Record]:
        """`records()` of the file, `skip` and `noted` as there; the pieces go as read."""
        placed = _placed(*self._cut)
        self.texts, self._cut = [], ([], array("q"), array("q"))
        return _records_of(self._text, placed, True, skip, noted)
