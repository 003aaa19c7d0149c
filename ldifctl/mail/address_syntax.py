"""Is a value a mail address Postfix can route? Judged value by value (a whole column at
once is mail/columns/text.py's `all_plain`, held to `is_plain` by the tests)."""

from __future__ import annotations

import re

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
# A plain address that is surely valid (short enough and well formed), as bytes.
PLAIN = rf"(?:{_ATOM}(?:\.{_ATOM})*)@{_LABEL}(?:\.{_LABEL})+"
_ADDRESS = re.compile(rf"(?=.{{1,254}}\Z)(?=[^@]{{1,64}}@){PLAIN}".encode())

def is_plain(value: bytes) -> bool:
    """Is the value surely an address (short enough and well formed)?"""
    return _ADDRESS.fullmatch(value) is not None


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
