"""Comments in YAML text: a `#` outside every scalar, at a line start or after whitespace,
found so that a rewrite of the file can keep them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import yaml


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
        if number == 0 and line.startswith("\ufeff"):
            # A BOM (Windows editors write one) is no column to the parser's marks, and
            # no text before a comment: `\ufeff# owner` is the file's first comment.
            line = line[1:]
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
