"""Entry files of one state of `directory/`: the working tree, any folder, or a git revision."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ldifctl import bulk, gitrepo
from ldifctl import dn as dnmod
from ldifctl.errors import LdifctlError
from ldifctl.model import Entry, Snapshot
from ldifctl.schema import Schema

# Past this many broken files the rest of the list is noise.
MAX_REPORTED_ERRORS = 20
# Up to this many files are looked up by name in git; past it one listing is cheaper.
PRESENT_BY_NAME = 500
# What editors leave beside the file being edited: backups (`x.yaml~`), emacs' auto-save
# (`#x.yaml#`) and vim's swap files (`x.yaml.swp`, `.swo`, ...; usually dot files too).
_EDITOR_LEFTOVER = re.compile(r"~$|\.sw[a-p]$|^#.*#$")


class TreeReader(Protocol):
    label: str

    def files(self) -> dict[str, str | None]:
        """Entry-file path (relative to the directory root) -> content id (None: unknown)."""

    def read(self, relpaths: list[str]) -> dict[str, bytes]: ...

    def present(self, relpaths: set[str]) -> list[str]:
        """Which of these files exist, without listing the whole tree."""

    def names_in(self, folder: str) -> list[str]:
        """File and folder names directly in `folder` ('' for the root)."""

    def where(self, relpath: str) -> str:
        """How to name the file in a message."""


@dataclass
class FolderReader:
    """Files on disk: the working tree's `directory/`, or any folder of entry files."""

    root: Path
    display: str
    label: str = "working tree"

    def files(self) -> dict[str, str | None]:
        if not self.root.is_dir():
            raise LdifctlError(
                f"{self.display}: no such directory: create it, or set `directory:` in ldifctl.yaml"
            )
        found: dict[str, str | None] = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = os.path.relpath(dirpath, self.root)
            for name in filenames:
                if not hidden_name(name):
                    found[name if rel == "." else f"{rel}/{name}"] = None
        return found

    def read(self, relpaths: list[str]) -> dict[str, bytes]:
        root = str(self.root)
        return {p: _read(os.path.join(root, p)) for p in relpaths}

    def present(self, relpaths: set[str]) -> list[str]:
        return [p for p in relpaths if os.path.isfile(os.path.join(self.root, p))]

    def names_in(self, folder: str) -> list[str]:
        try:
            return [n for n in os.listdir(self.root / folder) if not hidden_name(n)]
        except OSError:
            return []

    def where(self, relpath: str) -> str:
        return f"{self.display}/{relpath}"


@dataclass
class GitTreeReader:
    """`directory/` as it is in a commit, read without a checkout."""

    repo: gitrepo.GitRepo
    commit: str
    prefix: str
    label: str
    _listing: dict[str, str | None] | None = None
    _known: dict[str, str | None] = field(default_factory=dict)

    def files(self) -> dict[str, str | None]:
        if self._listing is None:
            cut = len(self.prefix) + 1
            listing = gitrepo.list_tree(self.repo, self.commit, self.prefix)
            self._listing = {
                path[cut:]: blob
                for path, blob in listing.items()
                if not hidden(path)
            }
        return self._listing

    def read(self, relpaths: list[str]) -> dict[str, bytes]:
        ids = {**(self._listing or {}), **self._known}
        if any(p not in ids for p in relpaths):
            ids = self.files()
        blobs = gitrepo.read_blobs(self.repo, (str(ids[p]) for p in relpaths))
        return {p: blobs[str(ids[p])] for p in relpaths}

    def present(self, relpaths: set[str]) -> list[str]:
        if self._listing is not None or len(relpaths) > PRESENT_BY_NAME:
            files = self.files()
            return [p for p in relpaths if p in files]
        named = [f"{self.prefix}/{p}" for p in relpaths]
        found = gitrepo.list_tree(self.repo, self.commit, *named) if named else {}
        cut = len(self.prefix) + 1
        self._known.update({path[cut:]: blob for path, blob in found.items()})
        return [p for p in relpaths if p in self._known]

    def names_in(self, folder: str) -> list[str]:
        start = f"{folder}/" if folder else ""
        names = {p[len(start) :].split("/", 1)[0] for p in self.files() if p.startswith(start)}
        return sorted(names)

    def where(self, relpath: str) -> str:
        return f"{self.label}:{self.prefix}/{relpath}"


def hidden(relpath: str) -> bool:
    """Is the file, or a folder it is in, a dot file (.gitkeep, .trash/), or is the file an
    editor's leftover (`x.yaml~`, `#x.yaml#`, `x.yaml.swp`)? Such are no entries, whichever
    way the directory is read (the disk, a commit)."""
    if relpath.startswith(".") or "/." in relpath:
        return True
    return not relpath.endswith(".yaml") and hidden_name(relpath.rsplit("/", 1)[-1])


def hidden_name(name: str) -> bool:
    """`hidden` for one file name."""
    if name.startswith("."):
        return True
    return not name.endswith(".yaml") and _EDITOR_LEFTOVER.search(name) is not None


def _read(path: str) -> bytes:
    # Plain open(): pathlib's per-call overhead is a third of the read time at 100k files.
    with open(path, "rb") as f:
        return f.read()


def entry_files(reader: TreeReader, found: Iterable[str]) -> tuple[list[str], list[str]]:
    """The entry files among `found`, sorted, and an error for each other file that is no
    dot file or editor leftover (a `.yml` typo would otherwise be ignored)."""
    paths = sorted(p for p in found if not hidden(p))
    stray = [
        f"{reader.where(p)}: not an entry file: entry files end in .yaml (rename it, or "
        "move it out of the directory)"
        for p in paths
        if not p.endswith(".yaml")
    ]
    return [p for p in paths if p.endswith(".yaml")], stray


def load(reader: TreeReader, schema: Schema, only: set[str] | None = None) -> Snapshot:
    """Parse every entry file (or just `only`) into a snapshot; report every broken file."""
    paths, stray = entry_files(reader, reader.files() if only is None else reader.present(only))
    return load_files(reader, schema, paths, stray)


def load_files(
    reader: TreeReader, schema: Schema, paths: list[str], stray: Iterable[str] = ()
) -> Snapshot:
    """Parse these entry files, known to be there (`load` finds out which are); `stray`
    are errors about other files, reported with the parse errors."""
    snapshot, errors = Snapshot(reader.label, schema), list(stray)
    with bulk.paused_gc():
        for _, parsed in parse_files(reader, schema, paths):
            if isinstance(parsed, str):
                errors.append(parsed)
                continue
            try:
                snapshot.add(parsed)
            except LdifctlError as err:
                errors.append(str(err))
    raise_collected(errors)
    return snapshot


def parse_files(
    reader: TreeReader, schema: Schema, paths: list[str]
) -> list[tuple[str, Entry | str]]:
    """Each file with its entry, or its error message (in the order the reader reads)."""

    from ldifctl.entry_file import parse_entry

    def parse(chunk: Sequence[str]) -> list[tuple[str, Entry | str]]:
        out: list[tuple[str, Entry | str]] = []
        # Each process reads its own half (a git reader starts a `cat-file` per read).
        for path, data in reader.read(list(chunk)).items():
            try:
                expected = _expected_dn(reader, path)
                out.append((path, parse_entry(data, reader.where(path), expected, schema).entry))
            except LdifctlError as err:
                out.append((path, str(err)))
        return out

    return bulk.split_map(parse, paths)


def _expected_dn(reader: TreeReader, path: str) -> str:
    try:
        return dnmod.from_relpath(path)
    except dnmod.NameTooLong as err:
        raise LdifctlError(f"{reader.where(path)}: {err}") from None
    except dnmod.DnError as err:
        raise LdifctlError(
            f"{reader.where(path)}: the path does not name a DN ({err}): each folder and the "
            "file name must be one RDN such as `ou=people` or `cn=john.yaml`"
        ) from None


def raise_collected(errors: list[str]) -> None:
    if not errors:
        return
    shown = errors[:MAX_REPORTED_ERRORS]
    more = len(errors) - len(shown)
    raise LdifctlError("\n".join(shown + ([f"... and {more} more"] if more else [])))
