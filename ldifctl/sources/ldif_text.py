"""Content LDIF as ldif_records.py reads it: CRLF made LF, folds undone, checked to be
UTF-8, and the way back from a place in that text to the line of the file."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right

from ldifctl.model.errors import LdifctlError

_FOLD = re.compile(rb"\n ")


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
        if not data.isascii():
            self._check_utf8()

    def _check_utf8(self) -> None:
        try:
            self.data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = self.line_at(self.data.count(b"\n", 0, err.start) + 1, err.start)
            raise self.error(line, f"not UTF-8 ({err.reason})", "fix the encoding") from None

    def let_go(self) -> None:
        """Drop the text, once cut into records: the way back to lines stays."""
        self.data = b""

    def line_at(self, unfolded_line: int, offset: int) -> int:
        return unfolded_line + bisect_right(self.folds, offset) if self.folds else unfolded_line

    def error(self, line: int, what: str, todo: str = "fix the record") -> LdifctlError:
        return LdifctlError(f"{self.where}:{line}: {what}: {todo}")
