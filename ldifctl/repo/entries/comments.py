"""The comments of an entry file, each placed with the key or value it sits with, so a
rewrite of the file (entries/render.py) puts it back there."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ldifctl.model.schema import Normalised, Schema
from ldifctl.repo.entries.build import RawAttr
from ldifctl.repo.yamlio.comments import Comment, find_comments


@dataclass(frozen=True)
class EntryComment:
    """A comment and what it sits with, so a rewrite can put it back there."""

    attr: str  # lower-case attribute name; "dn" for the DN; "" for the end of the file
    value: Normalised | None  # the value it belongs to (equality-normalised); None: the key
    text: str  # from '#' to the end of the line
    trailing: bool  # at the end of its key's/value's line rather than on a line above it


Comments = tuple[EntryComment, ...]


@dataclass(frozen=True)
class Anchor:
    """A key (value_index None) or a value node, for placing comments."""

    node: yaml.ScalarNode
    attr_index: int
    value_index: int | None


def entry_comments(
    text: str, anchors: list[Anchor], raw: list[RawAttr], schema: Schema
) -> Comments:
    """Each comment of `text` with what it sits with (`anchors`: the keys and values read)."""
    if "#" not in text:
        return ()
    found = find_comments(text, [a.node for a in anchors])
    return tuple(_attach(c, anchors, raw, schema) for c in found)


def _attach(
    comment: Comment, anchors: list[Anchor], raw: list[RawAttr], schema: Schema
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


def _trailing_target(before: list[Anchor], line: int) -> Anchor:
    """The one value on the comment's line; its key when there are several (`[a, b] # x`)."""
    on_line = [a for a in before if a.node.start_mark.line == line]
    values = [a for a in on_line if a.value_index is not None]
    keys = [a for a in on_line if a.value_index is None]
    return keys[-1] if keys and len(values) != 1 else max(before, key=_position)


def _position(anchor: Anchor) -> tuple[int, int]:
    return anchor.node.start_mark.line, anchor.node.start_mark.column


def _target(
    anchor: Anchor, raw: list[RawAttr], schema: Schema, text: str, trailing: bool
) -> EntryComment:
    attr = raw[anchor.attr_index]
    name = "dn" if attr.name.lower() == "dn" else schema.canonical_name(attr.name).lower()
    if name == "dn" or anchor.value_index is None:
        return EntryComment(name, None, text, trailing)
    value = attr.values[anchor.value_index].value
    assert value is not None  # build_entry rejected values written without one
    data = value.encode("utf-8") if isinstance(value, str) else value
    return EntryComment(name, schema.normalise_value(name, data), text, trailing)
