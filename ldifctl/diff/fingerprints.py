"""Entries compared as `ldapsearch` prints them: the few that differ, found among many.

ldifctl writes an entry's attributes in one order (objectClass first, values sorted) and
slapd prints them back in the order they were written, so an entry the server holds as
the repo says is printed byte for byte as ldifctl renders the file. Three sieves, each
cheaper than the next one's work on what falls through:

1. the printed blocks and the repo's renderings as two sets: what is in both is the same
   entry (same DN spelling, names and values); no per-entry work at all;
2. the rest with attribute lines sorted: the same entry written in another order;
3. the rest without the attributes a server read drops (ignored ones, userPassword).

What is left is parsed and diffed as usual: a value in another case may still be equal.
The repo's renderings are kept under `.git/ldifctl/` (cache/renders.py), by file content
and by state, so a repo of 100k files is neither parsed nor even listed to be compared.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import methodcaller

from ldifctl.diff.entries import sorted_attrs
from ldifctl.model.schema import NEVER_WRITTEN, Schema, is_secret
from ldifctl.model.snapshot import Entry

# What LDIF may show as is: printable ASCII, not starting with a space, `:` or `<`, and
# not ending with a space (RFC 2849's SAFE-STRING, as libldap decides it).
_PLAIN = re.compile(rb"(?![ :<])[\x20-\x7e]*(?<! )")
# Ends the rendering of an entry holding userPassword: a server read drops that, so such
# an entry must never look equal to what the server prints.
_NEVER_EQUAL = b"\n#"
_BLANK_LINES = re.compile(rb"\n\n+")  # a comment taken out leaves two blank lines
# The one comment `ldapsearch -LLL` prints besides a search continuation reference (`#
# ref` and the referral's value, a URL or not): taken out with the other comments, the
# referred subtree would read as deleted, so any other comment sends the text to the
# plain read, which refuses a reference.
_PAGE_MARK = b"# pagedresults: "


def line(name: str, value: bytes) -> bytes:
    if not value:
        return b"%s:" % name.encode()  # ldapsearch prints an empty value without a space
    if _PLAIN.fullmatch(value):
        return b"%s: %s" % (name.encode(), value)
    return b"%s:: %s" % (name.encode(), base64.b64encode(value))


def render(entry: Entry, schema: Schema) -> bytes:
    """The entry as ldapsearch prints it once ldifctl has written it to the server."""
    lines = [line("dn", entry.dn.encode("utf-8"))]
    for name, values in sorted_attrs(entry, schema):
        lines += [line(name, v) for v in values]
    never = any(is_secret(name, schema) for name in entry.attrs)
    return b"\n".join(lines) + (_NEVER_EQUAL if never else b"")


def blocks(text: bytes) -> list[bytes] | None:
    """Each entry of `ldapsearch -LLL -o ldif-wrap=no` output; None when the text holds
    anything else (a referral, say) or cannot be cut cleanly."""
    if (b"\n#" in text or text.startswith(b"#")) and not _only_page_marks(text):
        return None  # the plain read refuses a reference, naming it
    text = _without_comments(text).strip(b"\n")
    found = _BLANK_LINES.split(text) if text else []
    # One `dn:` starting each block and no other: nothing merged, nothing else printed.
    starts = text.count(b"\ndn:") + text.startswith(b"dn:")
    if starts != len(found) or not all(map(methodcaller("startswith", b"dn:"), found)):
        return None
    return found


def _only_page_marks(text: bytes) -> bool:
    """Is every comment line of the text one that ends a page?"""
    comments = text.count(b"\n#") + text.startswith(b"#")
    return comments == text.count(b"\n" + _PAGE_MARK) + text.startswith(_PAGE_MARK)


def _without_comments(text: bytes) -> bytes:
    """The text without comment lines (ldapsearch prints one after each page, at times
    right before the next `dn:` line). No attribute line starts with `#`."""
    if text.startswith(b"#"):
        text = text.partition(b"\n")[2]
    parts = text.split(b"\n#")
    return b"\n".join([parts[0], *(part.partition(b"\n")[2] for part in parts[1:])])


@dataclass(frozen=True)
class Differing:
    """What the sieves leave: server entries (as printed) and repo files to compare."""

    server: list[bytes]
    repo: set[str]


def differing(printed: list[bytes], renders: dict[bytes, str], schema: Schema) -> Differing | None:
    """None when two entries on one side print the same `dn:` line (in any case). Entry
    by entry: the sorted and trimmed forms are made for one pair at a time, never for
    every entry at once (at 100k differing entries those copies took 200 MB)."""
    on_server = set(printed)
    if len(on_server) < len(printed):
        return None
    repo = _by_key(r for r in renders if r not in on_server)
    if repo is None:
        return None
    dropping, keys, equal = _unmanaged(schema), set[bytes](), set[bytes]()
    still: list[bytes] = []
    for block in printed:
        if block in renders:
            continue
        key, lines = _sorted_lines(block)
        if key in keys:
            return None
        keys.add(key)
        theirs = repo.get(key)
        mine = _sorted_lines(theirs)[1] if theirs is not None else None
        if mine is not None and (mine == lines or mine == _trimmed(block, dropping)):
            equal.add(key)
        else:
            still.append(block)
    gone = {renders[r] for k, r in repo.items() if k not in keys or k not in equal}
    return Differing(still, gone)


def _trimmed(block: bytes, dropping: re.Pattern[bytes]) -> bytes:
    """The block without the attributes a server read drops, its lines sorted."""
    return _sorted_lines(dropping.sub(b"", block + b"\n").rstrip(b"\n"))[1]


def _sorted_lines(block: bytes) -> tuple[bytes, bytes]:
    """(key, the block with its attribute lines sorted); the key is the `dn:` line in
    lower case."""
    head, _, body = block.partition(b"\n")
    return head.lower(), b"\n".join([head, *sorted(body.split(b"\n"))])


def _by_key(blocks: Iterable[bytes]) -> dict[bytes, bytes] | None:
    found: dict[bytes, bytes] = {}
    for block in blocks:
        key = block.partition(b"\n")[0].lower()
        if found.setdefault(key, block) is not block:
            return None
    return found


def _unmanaged(schema: Schema) -> re.Pattern[bytes]:
    """Lines of attributes a server read drops (see sources/server.py)."""
    names = sorted(schema.ignored | NEVER_WRITTEN)
    alternatives = b"|".join(re.escape(n.encode()) for n in names)
    return re.compile(rb"^(?:%s)(?:;[^:\n]*)?:[^\n]*\n" % alternatives, re.MULTILINE | re.I)
