"""`ldifctl fmt`: rewrite entry files in canonical form, keeping their comments."""

from __future__ import annotations

from pathlib import Path

from ldifctl.entry_file import parse_entry, render_entry
from ldifctl.schema import Schema


def canonical_text(data: bytes, where: str, schema: Schema) -> str:
    """The canonical form of one entry file's content (the same entry, the same comments)."""
    parsed = parse_entry(data, where, None, schema)
    return render_entry(parsed.entry, schema, parsed.comments)


def format_files(paths: list[Path], root: Path, schema: Schema, check: bool) -> list[Path]:
    """The files that are not canonical, in the given order; rewritten unless `check`.

    Raises LdifctlError for a file that is not a valid entry: fmt cannot guess its meaning.
    """
    changed = []
    for path in paths:
        data = path.read_bytes()
        text = canonical_text(data, _display(path, root), schema)
        if text.encode("utf-8") != data:
            changed.append(path)
            if not check:
                path.write_text(text, encoding="utf-8", newline="\n")
    return changed


def _display(path: Path, root: Path) -> str:
    """The path as messages show it: relative to the repository root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
