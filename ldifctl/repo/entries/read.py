"""One entry file read: YAML text -> Entry, with the user's comments.

Reading has two paths that yield the same `RawAttr` list: a line-based one for exactly the
canonical layout `render_entry` writes (entries/render.py), and libyaml for everything
else. One function then checks the attributes (entries/build.py), so both paths accept
and reject the same files the same way. Before either, entries/canonical.py reads a
canonical file that passes every check straight into its Entry (the common case, in a
fraction of the time); what it does not vouch for comes here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ldifctl.model.errors import LdifctlError, located
from ldifctl.model.schema import ATTRIBUTE_NAME, Schema
from ldifctl.model.snapshot import Entry
from ldifctl.repo.entries import canonical
from ldifctl.repo.entries.build import RawAttr, RawValue, build_entry
from ldifctl.repo.entries.comments import Anchor, Comments, entry_comments
from ldifctl.repo.yamlio import nodes as yamlio
from ldifctl.repo.yamlio.scalars import read_canonical

# A line of the canonical layout: `  - item`, `name:` (a list follows), or `name: scalar`.
_CANONICAL_LINE = re.compile(rf"  - (.*)\n|({ATTRIBUTE_NAME.pattern}):(?: (.+))?\n")
# Possessive (`++`): the lines have one way to match, and a plain `+` keeps backtracking
# state for each of the millions of lines a 16 MiB file may hold.
_CANONICAL_LAYOUT = re.compile(rf"(?:  - .*\n|{ATTRIBUTE_NAME.pattern}:(?: .+)?\n)++")


@dataclass(frozen=True)
class ParsedEntry:
    entry: Entry
    comments: Comments = ()


def parse_entry(data: bytes, where: str, expected_dn: str | None, schema: Schema) -> ParsedEntry:
    """Read one entry file; `where` names it in errors, `expected_dn` is what its path says."""
    text = yamlio.decode(data, where)
    yamlio.check_nodes(text, where)
    entry = None if expected_dn is None else canonical.read_entry(text, where, expected_dn, schema)
    if entry is not None:
        return ParsedEntry(entry)
    raw = read_fast(text)
    if raw is not None:
        return ParsedEntry(build_entry(raw, where, expected_dn, schema))
    raw, anchors = read_yaml(yamlio.compose(text, where), where, text)
    entry = build_entry(raw, where, expected_dn, schema)
    return ParsedEntry(entry, entry_comments(text, anchors, raw, schema))


def read_fast(text: str) -> list[RawAttr] | None:
    """The attributes of a file in canonical layout, or None to let libyaml read it."""
    # One regex pass checks the layout of every line; findall then yields exactly one
    # match per line (each alternative ends at the line's newline), so `number` is right.
    if _CANONICAL_LAYOUT.fullmatch(text) is None:
        return None
    raw: list[RawAttr] = []
    in_list: RawAttr | None = None
    for number, (item, name, scalar) in enumerate(_CANONICAL_LINE.findall(text), 1):
        if not name:
            value = read_canonical(item)
            if value is None or in_list is None:
                return None
            in_list.values.append(RawValue(value, number))
        elif scalar:
            value = read_canonical(scalar)
            if value is None:
                return None
            raw.append(RawAttr(name, number, [RawValue(value, number)], is_list=False))
            in_list = None
        else:
            in_list = RawAttr(name, number, [], is_list=True)
            raw.append(in_list)
    return None if any(a.is_list and not a.values for a in raw) else raw


def read_yaml(
    root: yaml.Node | None, where: str, text: str = ""
) -> tuple[list[RawAttr], list[Anchor]]:
    """The attributes of any YAML mapping, and the scalar nodes comments can sit with.

    An alias (`*name`) is refused: an entry file has no use for one, and 10,000 aliases
    of a 200 kB value are 2 GB of values from a 500 kB file."""
    mapping = _root_mapping(root, where)
    raw: list[RawAttr] = []
    anchors: list[Anchor] = []
    seen: set[int] = set()  # ids of the value nodes read: an alias is a node met twice
    for key_node, value_node in mapping.value:
        name = _attribute_name(key_node, where)
        nodes, is_list = _value_nodes(name, value_node, where)
        for node in [value_node, *nodes] if is_list else nodes:
            if id(node) in seen:
                raise yamlio.alias_error(where, text)
            seen.add(id(node))
        anchors.append(Anchor(key_node, len(raw), None))
        anchors += [Anchor(node, len(raw), j) for j, node in enumerate(nodes)]
        values = [RawValue(yamlio.scalar_value(n, where), yamlio.line_of(n)) for n in nodes]
        raw.append(RawAttr(name, yamlio.line_of(key_node), values, is_list))
    return raw, anchors


def _attribute_name(node: yaml.Node, where: str) -> str:
    name = yamlio.key_text(node, where)
    if not ATTRIBUTE_NAME.fullmatch(name):
        raise located(
            where, yamlio.line_of(node), f"{name!r} is not an attribute name: use the "
            "attribute's LDAP name (a letter, then letters, digits or '-'; options after ';')"
        )
    return name


def _root_mapping(root: yaml.Node | None, where: str) -> yaml.MappingNode:
    if root is None:
        message = "the file is empty: write the entry as 'dn: ...' and its attributes"
        raise located(where, 1, message)
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise located(
            where, yamlio.line_of(root), f"expected a mapping of attributes, found {kind}: "
            "write the entry as 'dn: ...' followed by 'attribute: value' lines"
        )
    yamlio.check_tag(root, where)
    return root


def _value_nodes(name: str, node: yaml.Node, where: str) -> tuple[list[yaml.ScalarNode], bool]:
    if isinstance(node, yaml.ScalarNode):
        return [node], False
    yamlio.check_tag(node, where)
    if isinstance(node, yaml.MappingNode):
        raise _shape_error(name, node, where, "a mapping as its value")
    for item in node.value:
        if isinstance(item, yaml.SequenceNode):
            raise _shape_error(name, item, where, "a list inside its list")
        if isinstance(item, yaml.MappingNode):
            raise _shape_error(name, item, where, "a mapping inside its list")
    return list(node.value), True


def _shape_error(name: str, node: yaml.Node, where: str, what: str) -> LdifctlError:
    return located(
        where, yamlio.line_of(node),
        f"attribute {name!r} has {what}: write one value as text, or several as a flat list",
    )
