"""Canonical scalars, as entry files are written: one line, plain only where every YAML
reader sees the same text; and the fast reading back of exactly that form."""

from __future__ import annotations

import base64
import functools
import re

import yaml

from ldifctl.repo.yamlio.nodes import STR_TAG

_RESOLVER = yaml.resolver.Resolver()
# Besides PyYAML's YAML 1.1 types, quote what YAML 1.2 readers (yq, editors) would type.
_YAML12_TYPED = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)|0o[0-7]+|0x[0-9a-fA-F]+|[yYnN~]|null|Null|NULL"
    r"|true|True|TRUE|false|False|FALSE"
)
_PLAIN_FIRST = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
# Possessive (`++`, `*+`): a quoted scalar has one way to match, and a plain `*` over an
# alternation keeps backtracking state for each character (a 16 MiB value in quotes, within
# the file size bound, took 2.3 GB and 6 s; 60 MB and 0.7 s without it).
_SINGLE = re.compile(r"'((?:[^']++|'')*+)'")
_DOUBLE = re.compile(r'"((?:[^"\\]++|\\(?:[\\"0tnr]|x[0-9A-F]{2}|u[0-9A-F]{4}|U[0-9A-F]{8}))*+)"')
_ESCAPE = re.compile(r'\\(?:([\\"0tnr])|x([0-9A-F]{2})|u([0-9A-F]{4})|U([0-9A-F]{8}))')
_ESCAPES = {"\\": "\\", '"': '"', "0": "\0", "t": "\t", "n": "\n", "r": "\r"}
_SHORT_ESCAPES = {v: "\\" + k for k, v in _ESCAPES.items()}
_BINARY = re.compile(r"!!binary ([A-Za-z0-9+/]+={0,2})")


def _plain_reads_back(text: str) -> bool:
    """Written plain, libyaml reads exactly `text` (whatever type a resolver would give it)."""
    return (
        text.isprintable()
        and _PLAIN_FIRST.match(text) is not None
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
    )


def _plain_is_text(text: str) -> bool:
    typed = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != STR_TAG  # type: ignore[no-untyped-call]
    return not typed and _YAML12_TYPED.fullmatch(text) is None


def quote(text: str) -> str:
    """Canonical scalar: plain when safe and untyped, else 'single', else "escaped"."""
    if _plain_reads_back(text) and _plain_is_text(text):
        return text
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escape(c) for c in text) + '"'


def _escape(c: str) -> str:
    if c in '\\"':
        return "\\" + c
    if c.isprintable():
        return c
    n = ord(c)
    if c in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[c]
    return f"\\x{n:02X}" if n < 0x100 else f"\\u{n:04X}" if n < 0x10000 else f"\\U{n:08X}"


# objectClass names, TRUE, domains: most scalars of a big tree repeat; read each once.
@functools.lru_cache(maxsize=65536)
def read_canonical(text: str) -> str | bytes | None:
    """A scalar as `quote` (or !!binary) writes it, or None when it is not in that form.

    Conservative: None sends the caller to libyaml, so anything unusual is read by it.
    """
    if _plain_reads_back(text):
        return text
    if (m := _SINGLE.fullmatch(text)) and m[1].isprintable():
        return m[1].replace("''", "'")
    if (m := _DOUBLE.fullmatch(text)) and m[1].isprintable():
        return _unescape(m[1])
    if m := _BINARY.fullmatch(text):
        return base64.b64decode(m[1]) if len(m[1]) % 4 == 0 else None
    return None


def _unescape_one(m: re.Match[str]) -> str:
    return _ESCAPES[m[1]] if m[1] else chr(int(m[2] or m[3] or m[4], 16))


def _unescape(body: str) -> str | None:
    try:
        text = _ESCAPE.sub(_unescape_one, body)
    except (ValueError, OverflowError):
        return None
    return None if any("\ud800" <= c <= "\udfff" for c in text) else text
