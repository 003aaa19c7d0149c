"""YAML nodes with line numbers and no type coercion: every scalar stays the text written,
an explicit tag is refused, and every error names the file and line."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import yaml

from ldifctl.model.errors import LdifctlError, located

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


# A settings, policy or entry file holds at most this many nodes (keys, values, lists).
# libyaml's tree takes ~600 bytes a node: 16 MiB of `[a,a,a,…]`, 16 kB gzipped, took
# `validate` 33 s and 4.8 GB. No server takes an entry of this many values by default
# (OpenLDAP's 4 MiB request holds ~80k member DNs, 389-DS's 2 MiB half as many).
MAX_NODES = 200_000


def check_nodes(text: str, where: str) -> None:
    """Refuse a text of more than MAX_NODES nodes before anything is made of them. A node
    takes a character at least, and starts a line or follows `,`, `[`, `{`, `-`, `?` or a
    key (whose value it is): a short text, or one with few of those, is let through
    uncounted; any other is counted (`count_nodes`)."""
    if len(text) <= MAX_NODES or 2 * (sum(map(text.count, "\n,[{-?")) + 1) <= MAX_NODES:
        return
    count_nodes(text, where, MAX_NODES)


def count_nodes(text: str, where: str, limit: int) -> int:
    """The nodes of a text, counted by libyaml's events one at a time, never held; an
    error at the line of the node past `limit`. A malformed text is left to `compose` to
    report: what was counted of it is returned."""
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CBaseLoader):
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                nodes += 1
                if nodes > limit:
                    mark = event.start_mark
                    raise located(where, mark.line + 1 if mark else None, _too_many(limit))
    except yaml.YAMLError:
        pass
    return nodes


@dataclass
class Budget:
    """The nodes that files read together may hold between them: the policy files, each
    counted exactly (a bound would charge a file of long comments for nodes it does not
    hold, and refuse the next)."""

    left: int = MAX_NODES

    def take(self, text: str, where: str) -> None:
        self.left -= count_nodes(text, where, self.left)


def _too_many(limit: int) -> str:
    if limit == MAX_NODES:
        return _TOO_MANY
    return (f"more than {MAX_NODES:,} keys, values and lists in the policy files together, "
            "which they may hold: split the list, or keep such data out of the policies")


_TOO_MANY = (
    f"more than {MAX_NODES:,} keys, values and lists, which a file of the repo may hold "
    "(no LDAP server takes an entry of that many values by default): split the list, or "
    "keep such data out of the directory"
)


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
