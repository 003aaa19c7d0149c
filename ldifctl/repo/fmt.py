"""`ldifctl fmt`: rewrite entry files in canonical form, keeping their comments."""

from __future__ import annotations

import os
from pathlib import Path

from ldifctl.model.schema import Schema
from ldifctl.repo import checkout_rewrites, tree
from ldifctl.repo import files as repo_files
from ldifctl.repo.entries.read import parse_entry
from ldifctl.repo.entries.render import render_entry
from ldifctl.repo.readers import worktree
from ldifctl.repo.workspace import Workspace


def canonical_text(data: bytes, where: str, schema: Schema) -> str:
    """The canonical form of one entry file's content (the same entry, the same comments)."""
    parsed = parse_entry(data, where, None, schema)
    return render_entry(parsed.entry, schema, parsed.comments)


def entry_files(ws: Workspace) -> list[Path]:
    """Every entry file of the working tree (files of other names are left alone); an
    error for a link or a submodule, as every command that reads the tree gives."""
    reader = worktree(ws)
    return [ws.directory / p for p in tree.entry_files(reader, reader.files())[0]]


def format_files(paths: list[Path], root: Path, schema: Schema, check: bool) -> list[Path]:
    """The files that are not canonical, in the given order; rewritten unless `check`.

    Raises LdifctlError for a file that is not a valid entry (fmt cannot guess its
    meaning), and for a link: what it points to is neither read nor written.
    """
    # Before any file is read or written: one git rewrites on checkout is refused.
    inside = [_display(p, root) for p in paths if Path(os.path.abspath(p)).is_relative_to(root)]
    checkout_rewrites.refuse_rewritten(root, inside, str, "entry file")
    changed = []
    for path in paths:
        where = _display(path, root)
        _refuse_links(path, root, where)
        data = repo_files.read_regular(str(path), where)
        text = canonical_text(data, where, schema)
        if text.encode("utf-8") != data:
            changed.append(path)
            if not check:
                repo_files.write_regular(path, text, where)
    return changed


def _refuse_links(path: Path, root: Path, where: str) -> None:
    full = Path(os.path.abspath(path))
    if full.is_relative_to(root):
        repo_files.check_inside(root, full, "an entry file")
    elif (kind := repo_files.disk_kind(str(full))) is not None:
        raise repo_files.refusal(where, kind)


def _display(path: Path, root: Path) -> str:
    """The path as messages show it: relative to the repository root when inside it (a
    link is named, not followed)."""
    full = Path(os.path.abspath(path))
    return full.relative_to(root).as_posix() if full.is_relative_to(root) else path.as_posix()
