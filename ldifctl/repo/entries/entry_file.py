"""One entry file: YAML text <-> Entry, keeping the user's comments.

Reading has two paths that yield the same `RawAttr` list: a line-based one for exactly the
canonical layout `render_entry` writes, and libyaml for everything else. One function then
checks the attributes, so both paths accept and reject the same files the same way.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from ldifctl.model import dn as dnmod
from ldifctl.model.errors import LdifctlError, located
from ldifctl.model.schema import ATTRIBUTE_NAME, Normalised, Schema
from ldifctl.model.snapshot import Entry, Origin, Values
from ldifctl.repo.entries.empty_values import check_empty
from ldifctl.repo.yamlio import nodes as yamlio

# A line of the canonical layout: `  - item`, `name:` (a list follows), or `name: scalar`.
_CANONICAL_LINE = re.compile(rf"  - (.*)\n|({ATTRIBUTE_NAME.pattern}):(?: (.+))?\n")
_CANONICAL_LAYOUT = re.compile(rf"(?:  - .*\n|{ATTRIBUTE_NAME.pattern}:(?: .+)?\n)+")
_DN_EXAMPLE = "cn=name,ou=people,dc=example,dc=net"


@dataclass(frozen=True)
class EntryComment:
    """A comment and what it sits with, so a rewrite can put it back there."""

    attr: str  # lower-case attribute name; "dn" for the DN; "" for the end of the file
    value: Normalised | None  # the value it belongs to (equality-normalised); None: the key
    text: str  # from '#' to the end of the line
    trailing: bool  # at the end of its key's/value's line rather than on a line above it


Comments = tuple[EntryComment, ...]


@dataclass(frozen=True)
class ParsedEntry:
    entry: Entry
    comments: Comments = ()


@dataclass(slots=True)
class RawValue:
    value: str | bytes | None  # None: written empty
    line: int


@dataclass(slots=True)
class RawAttr:
    """One key of the file as written, before any check."""

    name: str
    line: int
    values: list[RawValue]
    is_list: bool


@dataclass(frozen=True)
class _Anchor:
    """A key (value_index None) or a value node, for placing comments."""

    node: yaml.ScalarNode
    attr_index: int
    value_index: int | None


def parse_entry(data: bytes, where: str, expected_dn: str | None, schema: Schema) -> ParsedEntry:
    """Read one entry file; `where` names it in errors, `expected_dn` is what its path says."""
    text = yamlio.decode(data, where)
    raw = read_fast(text)
    if raw is not None:
        return ParsedEntry(build_entry(raw, where, expected_dn, schema))
    raw, anchors = read_yaml(yamlio.compose(text, where), where, text)
    entry = build_entry(raw, where, expected_dn, schema)
    return ParsedEntry(entry, _comments(text, anchors, raw, schema))


# --- Reading: the fast path and libyaml.


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
            value = yamlio.read_canonical(item)
            if value is None or in_list is None:
                return None
            in_list.values.append(RawValue(value, number))
        elif scalar:
            value = yamlio.read_canonical(scalar)
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
) -> tuple[list[RawAttr], list[_Anchor]]:
    """The attributes of any YAML mapping, and the scalar nodes comments can sit with.

    An alias (`*name`) is refused: an entry file has no use for one, and 10,000 aliases
    of a 200 kB value are 2 GB of values from a 500 kB file."""
    mapping = _root_mapping(root, where)
    raw: list[RawAttr] = []
    anchors: list[_Anchor] = []
    seen: set[int] = set()  # ids of the value nodes read: an alias is a node met twice
    for key_node, value_node in mapping.value:
        name = _attribute_name(key_node, where)
        nodes, is_list = _value_nodes(name, value_node, where)
        for node in [value_node, *nodes] if is_list else nodes:
            if id(node) in seen:
                raise yamlio.alias_error(where, text)
            seen.add(id(node))
        anchors.append(_Anchor(key_node, len(raw), None))
        anchors += [_Anchor(node, len(raw), j) for j, node in enumerate(nodes)]
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


# --- Checking: one place for both paths.


def build_entry(
    raw: list[RawAttr], where: str, expected_dn: str | None, schema: Schema
) -> Entry:
    """Check the attributes as written and make the Entry (errors in line order)."""
    seen: dict[str, RawAttr] = {}
    attrs: dict[str, Values] = {}
    lines: dict[str, int] = {}
    dn: tuple[str, int] | None = None
    for attr in raw:
        name = _register(attr, seen, where, schema)
        if name == "dn":
            dn = (_check_dn(attr, where, expected_dn, schema), attr.line)
        else:
            attrs[name] = _values(attr, name, where, schema)
            lines[name.lower()] = attr.line
    if dn is None:
        message = f"missing dn: add 'dn: {expected_dn or _DN_EXAMPLE}' as the first line"
        raise located(where, 1, message)
    return Entry(dn[0], attrs, Origin(where, dn[1], lines))


def _register(attr: RawAttr, seen: dict[str, RawAttr], where: str, schema: Schema) -> str:
    """The canonical name; a second spelling of one attribute is an error."""
    name = "dn" if attr.name.lower() == "dn" else schema.canonical_name(attr.name)
    if name[0].isdigit() and not schema.knows(name):
        # Kept as an OID, the type would escape every check that compares names.
        raise located(
            where, attr.line, f"{attr.name!r} is a numeric OID of no attribute type ldifctl "
            "knows: write the attribute's name, or declare it under `attributes:` in "
            "ldifctl.yaml"
        )
    first = seen.setdefault(name.lower(), attr)
    if first is not attr:
        raise _duplicate_key(attr, first, where)
    return name


def _duplicate_key(attr: RawAttr, first: RawAttr, where: str) -> LdifctlError:
    if attr.name == first.name:
        message = f"duplicate key {attr.name!r} (first at line {first.line})"
        return located(where, attr.line, f"{message}: merge the values into one list")
    return located(
        where, attr.line, f"{attr.name!r} is the same attribute as {first.name!r} "
        f"(line {first.line}): merge the values under one name",
    )


def _check_dn(attr: RawAttr, where: str, expected_dn: str | None, schema: Schema) -> str:
    value = attr.values[0].value if len(attr.values) == 1 and not attr.is_list else None
    if not isinstance(value, str) or not value:
        message = f"dn must be one DN written as text: write 'dn: {_DN_EXAMPLE}'"
        raise located(where, attr.line, message)
    try:
        dnmod.parse(value)
    except dnmod.DnError as err:
        raise located(
            where, attr.line, f"invalid dn: {err}: write it as attribute=value pairs, "
            f"like {_DN_EXAMPLE}"
        ) from None
    if (
        expected_dn is not None
        and expected_dn != value
        and schema.dn_key(value) != schema.dn_key(expected_dn)
    ):
        raise located(
            where, attr.line, f"dn {value!r} does not match the file's path, which means "
            f"{expected_dn!r}: move the file to {_path_for(value, where, expected_dn)} or fix dn:"
        )
    return value


def _path_for(dn: str, where: str, expected_dn: str) -> str:
    """Where the file for `dn` belongs, in the same directory tree as `where`."""
    parts = where.split("/")
    prefix = parts[: max(len(parts) - dnmod.depth(expected_dn), 0)]
    return "/".join([*prefix, dnmod.to_relpath(dn)])


def _values(attr: RawAttr, name: str, where: str, schema: Schema) -> Values:
    if len(attr.values) == 1:  # most attributes: no duplicate to look for
        return (_value_bytes(attr.values[0], attr.name, where, schema),)
    if not attr.values:
        message = f"attribute {attr.name!r} has an empty list: give it a value or remove the line"
        raise located(where, attr.line, message)
    normalise = schema.normaliser(name)
    seen: dict[Normalised, tuple[bytes, int]] = {}
    for raw in attr.values:
        value = _value_bytes(raw, attr.name, where, schema)
        key = normalise(value)
        if key in seen:
            raise _duplicate_value(attr.name, value, seen[key], schema, where, raw.line)
        seen[key] = (value, raw.line)
    return tuple(value for value, _ in seen.values())


def _value_bytes(raw: RawValue, name: str, where: str, schema: Schema) -> bytes:
    value = raw.value
    if not value:
        check_empty(value, name, where, raw.line, schema)
        return b""
    return value.encode("utf-8") if isinstance(value, str) else value


def _duplicate_value(
    name: str, value: bytes, first: tuple[bytes, int], schema: Schema, where: str, line: int
) -> LdifctlError:
    at = f" at line {first[1]}" if first[1] else ""  # 0: not read from a file (import)
    if value == first[0]:
        detail = f" (first{at})" if at else ""
    else:
        rule = schema.attribute(name).equality
        detail = f" ({_show(first[0])}{at} is the same under {rule})"
    message = f"attribute {name!r} has the value {_show(value)} twice{detail}: remove one"
    return located(where, line, message)


def _show(value: bytes) -> str:
    try:
        return repr(value.decode("utf-8"))
    except UnicodeDecodeError:
        return "!!binary " + base64.b64encode(value).decode("ascii")


# --- Comments.


def _comments(text: str, anchors: list[_Anchor], raw: list[RawAttr], schema: Schema) -> Comments:
    if "#" not in text:
        return ()
    found = yamlio.find_comments(text, [a.node for a in anchors])
    return tuple(_attach(c, anchors, raw, schema) for c in found)


def _attach(
    comment: yamlio.Comment, anchors: list[_Anchor], raw: list[RawAttr], schema: Schema
) -> EntryComment:
    """A trailing comment sits with the node before it; any other with the next one."""
    here = (comment.line, comment.column)
    before = [a for a in anchors if _position(a) < here]
    if before and not comment.own_line:
        return _target(_trailing_target(before, comment.line), raw, schema, comment.text, True)
    after = [a for a in anchors if _position(a) > here]
    if after:
        return _target(min(after, key=_position), raw, schema, comment.text, trailing=False)
    return EntryComment("", None, comment.text, trailing=False)


def _trailing_target(before: list[_Anchor], line: int) -> _Anchor:
    """The one value on the comment's line; its key when there are several (`[a, b] # x`)."""
    on_line = [a for a in before if a.node.start_mark.line == line]
    values = [a for a in on_line if a.value_index is not None]
    keys = [a for a in on_line if a.value_index is None]
    return keys[-1] if keys and len(values) != 1 else max(before, key=_position)


def _position(anchor: _Anchor) -> tuple[int, int]:
    return anchor.node.start_mark.line, anchor.node.start_mark.column


def _target(
    anchor: _Anchor, raw: list[RawAttr], schema: Schema, text: str, trailing: bool
) -> EntryComment:
    attr = raw[anchor.attr_index]
    name = "dn" if attr.name.lower() == "dn" else schema.canonical_name(attr.name).lower()
    if name == "dn" or anchor.value_index is None:
        return EntryComment(name, None, text, trailing)
    value = attr.values[anchor.value_index].value
    assert value is not None  # build_entry rejected values written without one
    data = value.encode("utf-8") if isinstance(value, str) else value
    return EntryComment(name, schema.normalise_value(name, data), text, trailing)


# --- Writing.


def render_entry(entry: Entry, schema: Schema, comments: Comments = ()) -> str:
    """The canonical file for `entry`, with `comments` placed back where they belong."""
    lines: list[str] = []
    rendered = set()
    for name, values in _in_order(entry, schema):
        lines += _render_attribute(name, values, schema, comments)
        rendered.add(name.lower())
    lines += [c.text for c in comments if c.attr not in rendered]
    return "\n".join(lines) + "\n"


def rewrite_entry(old_data: bytes, where: str, new_entry: Entry, schema: Schema) -> str:
    """`new_entry` in canonical form, keeping every comment of the file it replaces."""
    old = parse_entry(old_data, where, None, schema)
    return render_entry(new_entry, schema, old.comments)


def _in_order(entry: Entry, schema: Schema) -> list[tuple[str, list[bytes]]]:
    """dn, objectClass, then the rest by name (case-insensitive); values sorted."""
    named = [(schema.canonical_name(n), v) for n, v in entry.attrs.items() if v]
    named.sort(key=lambda item: (item[0].lower() != "objectclass", item[0].lower(), item[0]))
    ordered = [(name, sorted(values, key=_value_order)) for name, values in named]
    return [("dn", [entry.dn.encode("utf-8")]), *ordered]


def _value_order(value: bytes) -> tuple[int, str, bytes]:
    try:
        return 0, value.decode("utf-8").casefold(), value
    except UnicodeDecodeError:
        return 1, "", value


def _render_attribute(
    name: str, values: list[bytes], schema: Schema, comments: Comments
) -> list[str]:
    normalise = schema.normaliser(name)
    keys = [normalise(v) for v in values]
    mine = [c for c in comments if c.attr == name.lower()]
    on_key = [c for c in mine if c.value is None or c.value not in keys]
    if len(values) == 1:
        notes = on_key + [c for c in mine if c.value is not None and c.value == keys[0]]
        return _with_notes(f"{name}: {render_value(values[0])}", notes, "")
    lines = _with_notes(f"{name}:", on_key, "")
    for value, key in zip(values, keys, strict=True):
        notes = [c for c in mine if c.value is not None and c.value == key]
        lines += _with_notes(f"  - {render_value(value)}", notes, "  ")
    return lines


def _with_notes(line: str, notes: Iterable[EntryComment], indent: str) -> list[str]:
    """Comments above the line, then the line with the trailing ones."""
    notes = list(notes)
    above = [indent + c.text for c in notes if not c.trailing]
    return [*above, " ".join([line, *(c.text for c in notes if c.trailing)])]


def render_value(value: bytes) -> str:
    try:
        return yamlio.quote(value.decode("utf-8"))
    except UnicodeDecodeError:
        return "!!binary " + base64.b64encode(value).decode("ascii")
