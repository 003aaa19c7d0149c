"""YAML nodes with line numbers and no type coercion, for entry, config and policy files."""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import yaml

from ldifctl.model.errors import LdifctlError, located

# A config or policy document as plain data. None is an empty value (`key:` and nothing).
Plain = str | None | list["Plain"] | dict[str, "Plain"]
KeyPath = tuple[str | int, ...]

STR_TAG = "tag:yaml.org,2002:str"
BINARY_TAG = "tag:yaml.org,2002:binary"
_PLAIN_TAGS = {STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_VALUE_TAGS = {STR_TAG, BINARY_TAG}


def decode(data: bytes, where: str) -> str:
    """The file's text; an error names the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - data.rfind(b"\n", 0, err.start)
        raise located(
            where, line, f"not UTF-8 (byte 0x{data[err.start]:02x} at column {column}): "
            "save the file as UTF-8, write binary values as !!binary base64"
        ) from None


def compose(text: str, where: str) -> yaml.Node | None:
    """The document's node tree (None for an empty file), every scalar kept as text.

    CBaseLoader resolves no implicit types: `no`, `0755` and `~` stay the text written,
    and only an explicit tag gives a node another tag than str/seq/map.
    """
    try:
        return yaml.compose(text, Loader=yaml.CBaseLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        raise located(where, line, f"malformed YAML: {err.problem}; fix the YAML syntax") from None
    except yaml.reader.ReaderError as err:
        # libyaml reads the text as UTF-8: the position is a byte offset.
        line = text.encode("utf-8").count(b"\n", 0, err.position) + 1
        raise located(
            where, line, f"character U+{err.character:04X} is not allowed in YAML: remove it, "
            "or write the value in double quotes with an escape"
        ) from None


def line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def check_tag(node: yaml.Node, where: str, allowed: set[str] = _PLAIN_TAGS) -> None:
    """Reject explicit tags (`!!int`, `!python/...`): values are text, never typed."""
    if node.tag not in allowed:
        hint = " or use !!binary for base64 binary data" if BINARY_TAG in allowed else ""
        raise located(
            where, line_of(node),
            f"tag {short_tag(node.tag)!r} is not supported: remove it (values are text){hint}"
        )


KeyedItem = tuple[str, yaml.Node, yaml.Node]


def mapping_items(node: yaml.MappingNode, where: str) -> list[KeyedItem]:
    """(key text, key node, value node) in file order; a key given twice is an error."""
    seen: dict[str, int] = {}
    items = []
    for key_node, value_node in node.value:
        key = key_text(key_node, where)
        if key in seen:
            raise located(
                where, line_of(key_node), f"duplicate key {key!r} (first at line {seen[key]}): "
                "merge the values into one list"
            )
        seen[key] = line_of(key_node)
        items.append((key, key_node, value_node))
    return items


def key_text(node: yaml.Node, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG or not node.value:
        raise located(where, line_of(node), "a key must be a name written as plain text")
    return str(node.value)


def scalar_value(node: yaml.ScalarNode, where: str) -> str | bytes | None:
    """The exact text written, bytes for !!binary, None for an empty plain value."""
    check_tag(node, where, _VALUE_TAGS)
    if node.tag == BINARY_TAG:
        return _binary(node, where)
    if node.value == "" and not node.style:  # libyaml's composer marks plain style ''
        return None
    return str(node.value)


def _binary(node: yaml.ScalarNode, where: str) -> bytes:
    try:
        return base64.b64decode("".join(str(node.value).split()), validate=True)
    except (binascii.Error, ValueError):
        raise located(
            where, line_of(node), "!!binary value is not valid base64: fix it or re-encode the data"
        ) from None


def scalar_text(node: yaml.ScalarNode, where: str) -> str | None:
    check_tag(node, where)
    return None if node.value == "" and node.style is None else str(node.value)


@dataclass(frozen=True)
class Document:
    """A config or policy document as plain data, with the line of every key and item."""

    where: str
    value: Plain
    lines: Mapping[KeyPath, int]

    def line(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, path: KeyPath, message: str) -> LdifctlError:
        return located(self.where, self.line(path), message)

    def child(self, key: str) -> Document | None:
        """The document below a top-level key, with its lines (None when absent)."""
        if not isinstance(self.value, dict) or key not in self.value:
            return None
        lines = {p[1:]: n for p, n in self.lines.items() if p[:1] == (key,)}
        return Document(self.where, self.value[key], lines)


# Settings and policies need a few levels (mail: > virtual_alias_maps: > - > query_filter:);
# a document nested deeper is a mistake or an attack (500 levels ran out of Python stack).
MAX_DEPTH = 16


def to_plain(node: yaml.Node | None, where: str, text: str = "") -> Document:
    """Convert a composed document to str / None / list / dict, keeping line numbers.

    An alias (`*name`) is refused rather than expanded: a few of them nested make a
    small file expand to gigabytes (a "billion laughs"), and no setting needs one.
    """
    lines: dict[KeyPath, int] = {(): line_of(node) if node is not None else 1}
    value = None if node is None else _plain(node, _Walk(where, text, lines, set()), ())
    return Document(where, value, lines)


@dataclass(frozen=True)
class _Walk:
    """What converting one document carries along: where it is, and the nodes seen."""

    where: str
    text: str
    lines: dict[KeyPath, int]
    seen: set[int]  # ids of the nodes converted: an alias is a node met twice


def _plain(node: yaml.Node, walk: _Walk, path: KeyPath) -> Plain:
    _check_shape(node, walk, path)
    check_tag(node, walk.where)
    if isinstance(node, yaml.ScalarNode):
        return scalar_text(node, walk.where)
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            walk.lines[(*path, i)] = line_of(item)
        return [_plain(item, walk, (*path, i)) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.MappingNode)
    out: dict[str, Plain] = {}
    for key, key_node, value_node in mapping_items(node, walk.where):
        walk.lines[(*path, key)] = line_of(key_node)
        out[key] = _plain(value_node, walk, (*path, key))
    return out


def _check_shape(node: yaml.Node, walk: _Walk, path: KeyPath) -> None:
    if id(node) in walk.seen:
        raise alias_error(walk.where, walk.text)
    walk.seen.add(id(node))
    if len(path) > MAX_DEPTH:
        raise located(
            walk.where, line_of(node), f"nested more than {MAX_DEPTH} levels deep: no "
            "setting or policy needs that many; flatten the document"
        )


def alias_error(where: str, text: str) -> LdifctlError:
    """An alias was met (a node seen twice): the error names the first alias's line."""
    return located(
        where, _alias_line(text), "an alias (*name) repeats a value written elsewhere: "
        "aliases and anchors are not supported here; write the value out"
    )


def _alias_line(text: str) -> int | None:
    """The line of the first alias (only asked once an alias was found)."""
    for event in yaml.parse(text, Loader=yaml.CBaseLoader):
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
            return int(event.start_mark.line) + 1
    return None


def load_document(data: bytes, where: str) -> Document:
    """Read a config or policy file's bytes into a Document."""
    text = decode(data, where)
    return to_plain(compose(text, where), where, text)


# --- Canonical scalars: one line, plain only where every YAML reader sees the same text.

_RESOLVER = yaml.resolver.Resolver()
# Besides PyYAML's YAML 1.1 types, quote what YAML 1.2 readers (yq, editors) would type.
_YAML12_TYPED = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)|0o[0-7]+|0x[0-9a-fA-F]+|[yYnN~]|null|Null|NULL"
    r"|true|True|TRUE|false|False|FALSE"
)
_PLAIN_FIRST = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\(?:[\\"0tnr]|x[0-9A-F]{2}|u[0-9A-F]{4}|U[0-9A-F]{8}))*)"')
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


# --- Comments: a `#` outside every scalar, at a line start or after whitespace.


@dataclass(frozen=True)
class Comment:
    line: int  # 0-based, like libyaml marks
    column: int
    text: str  # from '#' to the end of the line, trailing spaces dropped
    own_line: bool  # nothing but indentation before it


def find_comments(text: str, scalars: Iterable[yaml.ScalarNode]) -> list[Comment]:
    covered = _covered_columns(scalars)
    found = []
    for number, line in enumerate(text.splitlines()):
        column = _comment_start(line, covered.get(number, ()))
        if column is not None:
            own_line = not line[:column].strip()
            found.append(Comment(number, column, line[column:].rstrip(), own_line))
    return found


def _comment_start(line: str, spans: Iterable[tuple[int, float]]) -> int | None:
    column = line.find("#")
    while column >= 0:
        after_space = column == 0 or line[column - 1] in " \t"
        if after_space and not any(a <= column < b for a, b in spans):
            return column
        column = line.find("#", column + 1)
    return None


def _covered_columns(scalars: Iterable[yaml.ScalarNode]) -> dict[int, list[tuple[int, float]]]:
    """Line -> column ranges that belong to some scalar's text."""
    covered: dict[int, list[tuple[int, float]]] = {}
    for node in scalars:
        start, end = node.start_mark, node.end_mark
        first = (start.line + 1, 0) if node.style in ("|", ">") else (start.line, start.column)
        for line in range(first[0], end.line + 1):
            a = first[1] if line == first[0] else 0
            b = end.column if line == end.line else float("inf")
            covered.setdefault(line, []).append((a, b))
    return covered
