"""RFC 4515 search filters, parsed once into a tree that ldifctl evaluates offline.

A filter may be a Postfix `query_filter` template: `%s`, `%u`, `%d`, `%1`..`%9` (and the
upper-case forms) stand in assertion values, `%%` is a literal `%`. Postfix expands them
into the text with `*()\\` escaped, so a key never adds wildcards or structure: keeping
placeholders as parts of the parsed values gives the same result as expanding and parsing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# A value is literal bytes and placeholders, e.g. (b"", "u", b"@example.net") for `%u@...`.
Segment = bytes | str
Template = tuple[Segment, ...]
PLACEHOLDERS = frozenset("sudSUD123456789")

_ATTRIBUTE = re.compile(r"(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)(?:;[A-Za-z0-9-]+)*")
_OPERATORS = ("~=", ">=", "<=", "=")


class FilterError(ValueError):
    """The text is not a filter ldifctl can evaluate; the message says where and why."""


@dataclass(frozen=True)
class And:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Not:
    part: Filter


@dataclass(frozen=True)
class Present:
    attr: str


@dataclass(frozen=True)
class Compare:
    """`=` (equality), `~=` (approximate, evaluated as equality), `>=` and `<=`."""

    attr: str
    op: str
    value: Template


@dataclass(frozen=True)
class Substrings:
    attr: str
    initial: Template | None
    middle: tuple[Template, ...]
    final: Template | None


Filter = And | Or | Not | Present | Compare | Substrings


def parse(text: str, templated: bool = False) -> Filter:
    """Parse a filter; `templated` reads `%` as a Postfix placeholder."""
    stripped = text.strip()
    # libldap takes `mail=%s` without the outer parentheses, and so does Postfix.
    body = stripped if stripped.startswith("(") else f"({stripped})"
    parser = _Parser(body, templated)
    node = parser.filter()
    if parser.pos != len(body):
        raise parser.error("text after the end of the filter")
    return node


def expand(value: Template, substitutions: Mapping[str, str]) -> bytes:
    """The assertion value with each placeholder replaced by its (unescaped) text."""
    if len(value) == 1:
        only = value[0]
        return only if isinstance(only, bytes) else substitutions[only].encode("utf-8")
    return b"".join(s if isinstance(s, bytes) else substitutions[s].encode("utf-8") for s in value)


def placeholders(node: Filter) -> set[str]:
    """Every placeholder the filter uses."""
    if isinstance(node, And | Or):
        return set().union(*(placeholders(p) for p in node.parts))
    if isinstance(node, Not):
        return placeholders(node.part)
    if isinstance(node, Present):
        return set()
    values = [node.value] if isinstance(node, Compare) else _pieces(node)
    return {s for v in values for s in v if isinstance(s, str)}


def attributes(node: Filter) -> set[str]:
    """Every attribute the filter reads, as written."""
    if isinstance(node, And | Or):
        return set().union(*(attributes(p) for p in node.parts))
    if isinstance(node, Not):
        return attributes(node.part)
    return {node.attr}


def _pieces(node: Substrings) -> list[Template]:
    return [v for v in (node.initial, *node.middle, node.final) if v is not None]


# A filter is evaluated against every entry, for each rule and table lookup: a policy
# file's filter of 50,000 comparisons took `validate` over 70 s at 3,000 entries, and
# 3,000 nested `(!` ran out of Python's stack. Real ones hold a few of each.
MAX_ITEMS, MAX_NESTING = 32, 16


class _Parser:
    def __init__(self, text: str, templated: bool) -> None:
        self.text, self.pos, self.templated = text, 0, templated
        self.items = self.nesting = 0

    def error(self, problem: str) -> FilterError:
        return FilterError(f"{problem} at character {self.pos + 1} of {self.text}")

    def expect(self, char: str) -> None:
        if not self.text.startswith(char, self.pos):
            raise self.error(f"expected {char!r}")
        self.pos += 1

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def filter(self) -> Filter:
        self.skip_spaces()
        self.expect("(")
        node = self.component()
        self.expect(")")
        self.skip_spaces()
        return node

    def component(self) -> Filter:
        head = self.text[self.pos : self.pos + 1]
        if head not in ("&", "|", "!"):
            return self.item()
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error(f"nested more than {MAX_NESTING} levels deep")
        self.pos += 1
        node: Filter = Not(self.filter()) if head == "!" else (
            And(self.filter_list()) if head == "&" else Or(self.filter_list())
        )
        self.nesting -= 1
        return node

    def filter_list(self) -> tuple[Filter, ...]:
        parts = []
        self.skip_spaces()
        while self.text.startswith("(", self.pos):
            parts.append(self.filter())
        if not parts:
            raise self.error("expected at least one filter in the list")
        return tuple(parts)

    def item(self) -> Filter:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise self.error(f"more than {MAX_ITEMS} comparisons")
        match = _ATTRIBUTE.match(self.text, self.pos)
        if match is None:
            if self.text.startswith(":", self.pos):
                raise self.error("extensible match filters are not supported")
            raise self.error("expected an attribute name")
        attr, self.pos = match.group(), match.end()
        if self.text.startswith(":", self.pos):
            raise self.error("extensible match filters are not supported")
        op = next((o for o in _OPERATORS if self.text.startswith(o, self.pos)), None)
        if op is None:
            raise self.error("expected =, ~=, >= or <=")
        self.pos += len(op)
        return self.assertion(attr, op)

    def assertion(self, attr: str, op: str) -> Filter:
        start = self.pos
        end = self.text.find(")", start)
        if end < 0:
            raise self.error("expected ')'")
        raw, self.pos = self.text[start:end], end
        if op != "=" or "*" not in raw:
            return Compare(attr, op, self.value(raw, start))
        if raw == "*":
            return Present(attr)
        return self.substrings(attr, raw, start)

    def substrings(self, attr: str, raw: str, start: int) -> Substrings:
        pieces, offset = [], start
        for piece in raw.split("*"):
            pieces.append(self.value(piece, offset) if piece else None)
            offset += len(piece) + 1
        middle = tuple(p for p in pieces[1:-1] if p is not None)
        return Substrings(attr, pieces[0], middle, pieces[-1])

    def value(self, raw: str, start: int) -> Template:
        """Split raw text into literal bytes (RFC 4515 escapes undone) and placeholders."""
        if "(" in raw:
            self.pos = start + raw.index("(")
            raise self.error("unescaped '(' in a value: write it as \\28")
        if not self.templated:
            return (self.unescape(raw, start),)
        segments: list[Segment] = []
        for i, part in enumerate(re.split(r"(%.?)", raw)):
            if i % 2 == 0:
                segments.append(self.unescape(part, start))
            elif part == "%%":
                segments.append(b"%")
            elif part[1:] in PLACEHOLDERS:
                segments.append(part[1:])
            else:
                self.pos = start + raw.index(part)
                raise self.error(f"unknown placeholder {part!r}: use %s, %u, %d, %1-%9 or %%")
        return _merge(segments)

    def unescape(self, raw: str, start: int) -> bytes:
        out, i, data = bytearray(), 0, raw.encode("utf-8")
        while i < len(data):
            if data[i : i + 1] == b"\\":
                pair = data[i + 1 : i + 3]
                if len(pair) != 2 or not all(c in b"0123456789abcdefABCDEF" for c in pair):
                    self.pos = start + len(data[:i].decode("utf-8", "replace"))
                    raise self.error("a backslash must start a two-digit hex escape like \\2a")
                out.append(int(pair, 16))
                i += 3
            else:
                out.append(data[i])
                i += 1
        return bytes(out)


def _merge(segments: list[Segment]) -> Template:
    """Join adjacent literals and drop empty ones, so equal templates compare equal."""
    merged: list[Segment] = []
    for segment in segments:
        if isinstance(segment, bytes) and merged and isinstance(merged[-1], bytes):
            merged[-1] += segment
        elif segment != b"":
            merged.append(segment)
    return tuple(merged) or (b"",)
