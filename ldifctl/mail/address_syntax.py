"""Is a value a mail address Postfix can route? Judged value by value, or for a whole
column at once (the usual case: every value a short, plain address)."""

from __future__ import annotations

import re

from ldifctl.mail.columns.text import ColumnText

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
# A plain address that is surely valid (short enough and well formed), as bytes; and
# lines of them, to judge all the values of an attribute in one call.
_PLAIN = rf"(?:{_ATOM}(?:\.{_ATOM})*)@{_LABEL}(?:\.{_LABEL})+"
_ADDRESS = re.compile(rf"(?=.{{1,254}}\Z)(?=[^@]{{1,64}}@){_PLAIN}".encode())
_ADDRESS_LINES = re.compile(rf"(?:(?=[^\n]{{1,254}}\n)(?=[^@\n]{{1,64}}@){_PLAIN}\n)*+".encode())

# The same for lines of at most 63 characters, where no local part or label can be too
# long: without the length lookaheads, and with possessive runs that never backtrack, it
# takes a third of the time. Longer lines are judged by _ADDRESS_LINES.
_SHORT = 63
_POSSESSIVE_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]++"
_POSSESSIVE_LABEL = r"[A-Za-z0-9]++(?:-++[A-Za-z0-9]++)*+"
_SHORT_LINES = re.compile(
    rf"(?:{_POSSESSIVE_ATOM}(?:\.{_POSSESSIVE_ATOM})*+@"
    rf"{_POSSESSIVE_LABEL}(?:\.{_POSSESSIVE_LABEL})++\n)*+".encode()
)


def is_plain(value: bytes) -> bool:
    """Is the value surely an address (short enough and well formed)?"""
    return _ADDRESS.fullmatch(value) is not None


def all_plain(text: ColumnText) -> bool:
    """Is every value of the column plain (`is_plain`)? One line each, judged at once."""
    if text.lines is None:  # a value that is not ASCII, or holds a newline
        return False
    if not text.lines:
        return True
    lines = text.blob + b"\n"
    if _quickly_plain(text.lines, lines):
        return True
    return _ADDRESS_LINES.fullmatch(lines) is not None


def _quickly_plain(values: list[str], lines: bytes) -> bool:
    return max(map(len, values)) <= _SHORT and _SHORT_LINES.fullmatch(lines) is not None


def address_problem(text: str, catch_all_allowed: bool) -> str:
    """Why `text` is not an address Postfix can route ("" when it is one)."""
    if text != text.strip() or " " in text:
        return "it contains whitespace"
    local, at, domain = text.rpartition("@")
    if not at:
        return "it has no @domain"
    if not local and catch_all_allowed:
        local = "x"  # `@domain` is a catch-all key
    if len(text) > 254 or len(local) > 64:
        return "it is too long"
    if not _LOCAL.fullmatch(local):
        return f"the part before @ ({local!r}) is not a valid local part"
    if not _DOMAIN.fullmatch(domain):
        return f"{domain!r} is not a domain name"
    return ""
