"""Content LDIF as ldif_records.py reads it: CRLF made LF, folds undone, checked to be
UTF-8 and whole (no search continuation reference), and the way back from a place in
that text to the line of the file."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator

from ldifctl.model.errors import LdifctlError

_FOLD = re.compile(rb"\n ")
# How `ldapsearch` prints a search continuation reference (a referral entry met below
# the search base, without -M) at -L, -LL and -LLL alike: `# ref` and the referral's value
# with no space between them, one line for each (tests/ldif_fixtures/referrals/). The
# value is what the entry stores, an LDAP URL or not (slapd sends `urn:x` or a bare host
# name as stored), so any `# ref` line is one, but -L's header of an entry whose RDN
# value starts with `ref` (`# refunds, people, example.net`), which a `dn:` line follows.
_REFERENCE = b"\n# ref"
_MAX_COUNTED = 4096  # distinct references counted for the message, at most


class UnfoldedText:
    """The unfolded text and the way back to the file's line numbers."""

    def __init__(self, data: bytes, where: str) -> None:
        # A byte is looked for first (memchr, ~10x the speed of a two-byte search over
        # 28 MB): most dumps hold no CR and no `#` at all.
        if b"\r" in data and b"\r\n" in data:
            data = data.replace(b"\r\n", b"\n")
        self.where = where
        # 16 MiB of one-byte continuation lines are 5.6M folds: an array of their offsets
        # (8 bytes each, not an int object and a list slot), and `bytes.replace`, which
        # writes the text once (`re.sub` held a piece per fold: 1 GB to diff such a file).
        self.folds = array("q")
        if b"\n " in data:
            # In unfolded coordinates: each fold removed before it shifts it by 2.
            self.folds.extend(m.start() - 2 * i for i, m in enumerate(_FOLD.finditer(data)))
            data = data.replace(b"\n ", b"")
        self.data = data
        self.comments = data.startswith(b"#") or (b"#" in data and b"\n#" in data)
        if self.comments:
            self._refuse_references()
        if not data.isascii():
            self._check_utf8()

    def _check_utf8(self) -> None:
        try:
            self.data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = self.line_at(self.data.count(b"\n", 0, err.start) + 1, err.start)
            raise self.error(line, f"not UTF-8 ({err.reason})", "fix the encoding") from None

    def _refuse_references(self) -> None:
        """A reference reads as a comment: skipped as one, the entries behind it would be
        missing from the state without a word, and taken as deleted. One `find` over the
        text, then one per `# ref` line: never a step per line."""
        data, first, url, urls = self.data, -1, b"", set[bytes]()
        for at in _line_starts(data, _REFERENCE):
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end
            if data.startswith(b"dn:", end + 1):
                continue  # -L's header of the entry below it
            value = data[at + len(_REFERENCE) - 1 : end]
            if first < 0:
                first, url = at, value
            if len(urls) < _MAX_COUNTED:  # slapd sends each again with the next page
                urls.add(value)
        if first >= 0:
            line = self.line_at(data.count(b"\n", 0, first) + 1, first)
            raise self.reference(line, url, len(urls) - 1, len(urls) == _MAX_COUNTED)

    def reference(
        self, line: int, url: bytes, more: int = 0, at_least: bool = False
    ) -> LdifctlError:
        """The refusal of a search continuation reference at this line of the file."""
        others = f" (and {'at least ' if at_least else ''}{more} more)" if more else ""
        return self.error(
            line,
            f"a search continuation reference to {url.decode(errors='replace')}{others}: "
            "this dump is incomplete (the entries behind a referral entry live on another "
            "server, and ldapsearch run without -M prints only this line for them); read "
            "as it is, they would count as deleted",
            "dump again with ldapsearch -M (ManageDsaIT), which prints the referral entry "
            "itself, or dump only the subtrees this server holds (-b); read the referred "
            "entries from the server the reference names",
        )

    def let_go(self) -> None:
        """Drop the text, once cut into records: the way back to lines stays."""
        self.data = b""

    def line_at(self, unfolded_line: int, offset: int) -> int:
        return unfolded_line + bisect_right(self.folds, offset) if self.folds else unfolded_line

    def error(self, line: int, what: str, todo: str = "fix the record") -> LdifctlError:
        return LdifctlError(f"{self.where}:{line}: {what}: {todo}")


def _line_starts(data: bytes, mark: bytes) -> Iterator[int]:
    """Where each line that starts with mark[1:] starts (`mark` is that, after a newline)."""
    if data.startswith(mark[1:]):
        yield 0
    at = data.find(mark)
    while at >= 0:
        yield at + 1
        at = data.find(mark, at + 1)
