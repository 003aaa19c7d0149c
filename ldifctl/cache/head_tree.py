"""The head state as git sees it: the base revision with the files git reports changed
replaced, each named by its content id (git's blob id, or `w:<blob id>` of the bytes on
disk). Named by content alone, it is what the caches key their answers by.

A blob id stands as it is, the very text the base's listing holds: at 100k files, a
copy of each with a prefix held 14 MB beside the entries of a cold run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import bounds, git_blobs, readers
from ldifctl.repo import files as repo_files
from ldifctl.repo.entry_names import hidden
from ldifctl.repo.readers import FolderReader, GitTreeReader, TreeReader


@dataclass
class HeadTree:
    """The head state as git sees it: the base revision with the changed files replaced.

    A TreeReader, so `tree.load` parses from it: files git reports unchanged are read from
    the base's blobs, the changed ones from the head (the disk, or a revision).
    """

    base: GitTreeReader
    head: TreeReader
    changed: set[str]
    label: str = ""
    _changed_ids: dict[str, str] | None = None
    _files: dict[str, str | None] | None = None

    def __post_init__(self) -> None:
        self.label = self.head.label
        # A change is judged without listing the head: its files are counted here.
        bounds.refuse_too_many(len(self.changed), readers.shown(self.head), "files changed")

    def changed_ids(self) -> dict[str, str]:
        """Content ids of the changed files that exist in the head (deleted ones do not)."""
        if self._changed_ids is None:
            self._changed_ids = self._read_changed_ids()
        return self._changed_ids

    def _read_changed_ids(self) -> dict[str, str]:
        if isinstance(self.head, GitTreeReader):
            listing = self.head.files()
            return {p: listing[p] or "" for p in self.changed if p in listing}
        assert isinstance(self.head, FolderReader)
        # Dot files (.gitkeep, an editor's swap file) are no entries, as when loading.
        present = self.head.present({p for p in self.changed if not hidden(p)})
        odd = self.head.not_regular(present)  # a link is never read: loading refuses it
        files = sorted(p for p in present if p not in odd)
        read = self.head.read(files)
        ids = {p: f"w:{git_blobs.blob_id(data)}" for p, data in read.items()}
        self.head.budget.give_back(sum(map(len, read.values())))  # loaded, they count
        return {**ids, **{p: f"w:{kind}" for p, kind in odd.items()}}

    def files(self) -> dict[str, str | None]:
        if self._files is None:  # loading asks twice: for the ids, then which are there
            base = self.base.files()
            if not self.changed:  # the base's listing names each file as the state does
                return base
            kept = {p: b for p, b in base.items() if p not in self.changed}
            self._files = readers.counted({**kept, **self.changed_ids()}, self)
        return self._files

    def read(self, relpaths: list[str]) -> dict[str, bytes]:
        unchanged = [p for p in relpaths if p not in self.changed]
        changed = [p for p in relpaths if p in self.changed]
        return {**self._unchanged(unchanged), **self.head.read(changed)}

    def _unchanged(self, relpaths: list[str]) -> dict[str, bytes]:
        """Files git reports unchanged: the base's blobs. With the working tree as head
        they are read from disk, each kept only if it hashes to its blob id, and the
        rest from git: a `git cat-file` per process, beside the two that parse, made a
        cold load of 100k files ~0.3 s slower than reading them where they are."""
        if not isinstance(self.head, FolderReader):
            return self.base.read(relpaths)
        found = _as_blobs(self.head.root, self.base.known_blobs(relpaths), self.head.budget)
        rest = [p for p in relpaths if p not in found]
        return {**found, **self.base.read(rest)} if rest else found

    def present(self, relpaths: set[str]) -> list[str]:
        files = self.files()
        return [p for p in relpaths if p in files]

    def not_regular(self, relpaths: Iterable[str]) -> dict[str, str]:
        paths, changed = list(relpaths), self.changed
        kept = self.base.not_regular(p for p in paths if p not in changed)
        return {**kept, **self.head.not_regular(p for p in paths if p in changed)}

    def names_in(self, folder: str) -> list[str]:
        return self.head.names_in(folder)

    def where(self, relpath: str) -> str:
        return self.head.where(relpath)


# Past this many files none of which was its blob, the rest are read from git.
BLOB_TRIES = 64


def _as_blobs(
    root: Path, blobs: dict[str, str], budget: bounds.StateBytes
) -> dict[str, bytes]:
    """The bytes of those files under `root` (path -> blob id) that are on disk as the
    blob: each read, hashed and kept only if it is that very blob. One that is not
    (changed since git looked, written through a checkout filter, a link, gone) is left
    out; so are all after the first BLOB_TRIES when none of those was its blob (a
    checkout filter that rewrites every file: each would be read twice)."""
    folder, tried = str(root), 0
    out: dict[str, bytes] = {}
    for path, blob in blobs.items():
        if tried >= BLOB_TRIES and not out:
            break
        tried += 1
        try:
            data = repo_files.read_regular(os.path.join(folder, path), path, budget=budget)
        except bounds.TooMuch:
            raise
        except (OSError, LdifctlError):
            continue
        if git_blobs.is_blob(data, blob):
            out[path] = data
    return out
