"""A settings or policy file as plain data (str, None, lists, mappings) with the line of
every key and item, so each check can point at what it refuses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from ldifctl.model.errors import LdifctlError, located
from ldifctl.repo.yamlio.nodes import (
    Budget,
    alias_error,
    check_nodes,
    check_tag,
    compose,
    decode,
    line_of,
    mapping_items,
    scalar_text,
)

# A config or policy document as plain data. None is an empty value (`key:` and nothing).
Plain = str | None | list["Plain"] | dict[str, "Plain"]
KeyPath = tuple[str | int, ...]


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


def load_document(data: bytes, where: str, budget: Budget | None = None) -> Document:
    """Read a config or policy file's bytes into a Document; `budget`: the nodes it
    shares with the files read with it."""
    text = decode(data, where)
    if budget is None:
        check_nodes(text, where)
    else:
        budget.take(text, where)
    return to_plain(compose(text, where), where, text)
