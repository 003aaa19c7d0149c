"""Where the entry files of one state of `directory/` are: the working tree, any folder,
or a git revision; listed and read without following a link."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import bounds, checkout_rewrites, git_blobs, git_trees, gitrepo
from ldifctl.repo import files as repo_files
from ldifctl.repo.disk_folder import DiskFolder, among
from ldifctl.repo.entry_names import hidden, hidden_name
from ldifctl.repo.workspace import Workspace

# Up to this many files are looked up by name in git; past it one listing is cheaper.
PRESENT_BY_NAME = 500
FOLDER = "a folder of entry files"


class TreeReader(Protocol):
    label: str

    def files(self) -> dict[str, str | None]:
        """Entry-file path (relative to the directory root) -> content id (None: unknown).
        Links and submodules are listed too: `not_regular` says which they are."""

    def read(self, relpaths: list[str]) -> dict[str, bytes]: ...

    def present(self, relpaths: set[str]) -> list[str]:
        """Which of these files exist, without listing the whole tree."""

    def not_regular(self, relpaths: Iterable[str]) -> dict[str, str]:
        """Those of these paths (listed or found present) that are no regular file, with
        what they are (files.LINK, ...): never entries, never read."""

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
    # Which of these folders git holds as submodules (a clone leaves them empty).
    submodules: Callable[[list[str]], set[str]] = lambda folders: set()
    disk: DiskFolder = field(init=False)  # what is there, seen without a link
    budget: bounds.StateBytes = field(init=False)  # what is left to read of it
    # Files git was asked of and does not rewrite on checkout (repo/checkout_rewrites.py).
    _unrewritten: set[str] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        self.disk = DiskFolder(str(self.root), self.submodules)
        self.budget = bounds.StateBytes(self.display)

    def files(self) -> dict[str, str | None]:
        if not self.root.is_dir():
            raise LdifctlError(
                f"{self.display}: no such directory: create it, or set `directory:` in ldifctl.yaml"
            )
        return counted(dict.fromkeys(p for p in self.disk.walk() if not hidden(p)), self)

    def read(self, relpaths: list[str]) -> dict[str, bytes]:
        self._refuse_rewritten(relpaths)
        root, budget = str(self.root), self.budget
        return {
            p: repo_files.read_regular(os.path.join(root, p), self.where(p), budget=budget)
            for p in relpaths
        }

    def _refuse_rewritten(self, relpaths: list[str]) -> None:
        """An error when git rewrites any of these files on checkout (asked once a file)."""
        asked = [p for p in relpaths if p not in self._unrewritten]
        checkout_rewrites.refuse_rewritten(self.root, asked, self.where, "entry file")
        self._unrewritten.update(asked)

    def present(self, relpaths: set[str]) -> list[str]:
        return self.disk.present(relpaths)

    def not_regular(self, relpaths: Iterable[str]) -> dict[str, str]:
        return self.disk.not_regular(relpaths)

    def names_in(self, folder: str) -> list[str]:
        if not self.disk.plain_folder(folder):
            return []  # behind a link: never listed
        try:
            names = os.listdir(self.root / folder)
        except OSError:
            return []
        # 60k names in a folder: first a few searches of them all at once, in C, for any
        # character a hidden name needs; then an entry file's name is decided without a call.
        joined = "\0".join(["", *names, ""])
        if not any(mark in joined for mark in ("\0.", "~\0", "#", ".sw")):
            return names
        return [n for n in names if (n[:1] != "." and n.endswith(".yaml")) or not hidden_name(n)]

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
    _odd: dict[str, str] = field(default_factory=dict)  # path -> what it is, if no file
    _folders: git_trees.Folders = field(default_factory=dict)  # listed for `present`
    _absent: set[str] = field(default_factory=set)  # known not to be in the commit
    budget: bounds.StateBytes = field(init=False)  # what is left to read of it

    def __post_init__(self) -> None:
        self.budget = bounds.StateBytes(f"{self.label}:{self.prefix}")

    @functools.cached_property
    def folder_id(self) -> str | None:
        """The id of the folder in the commit (None: the commit has none); an error when
        the path is a link or a submodule instead of a folder."""
        entry = gitrepo.folder_entry(self.repo, self.commit, self.prefix)
        kind = repo_files.GIT_KINDS.get(entry[0]) if entry else None
        if kind is not None:
            raise repo_files.refusal(f"{self.label}:{self.prefix}", kind, FOLDER)
        return entry[1] if entry else None

    def files(self) -> dict[str, str | None]:
        if self._listing is None:
            _ = self.folder_id  # a link or a submodule there is refused first
            listing = git_trees.list_tree(self.repo, self.commit, self.prefix)
            self._listing = counted(self._add(listing), self)
        return self._listing

    def _add(self, listing: git_trees.Listing) -> dict[str, str | None]:
        """The listing's paths relative to the folder (dot files left out), noting what
        is no regular file."""
        cut, others = len(self.prefix) + 1, listing.others.items()
        self._odd.update((path[cut:], repo_files.git_kind(mode)) for path, (mode, _) in others)
        found = {**{p: i for p, (_, i) in others}, **listing.files} if others else listing.files
        return {rel: blob for path, blob in found.items() if not hidden(rel := path[cut:])}

    def read(self, relpaths: list[str]) -> dict[str, bytes]:
        ids = {**(self._listing or {}), **self._known}
        if any(p not in ids for p in relpaths):
            ids = self.files()
        try:
            blobs = git_blobs.read_blobs(self.repo, (str(ids[p]) for p in relpaths), self.budget)
        except bounds.TooBig as err:
            path = next(p for p in relpaths if ids[p] == err.blob)
            raise err.at(self.where(path), "an entry file") from None
        return {p: blobs[str(ids[p])] for p in relpaths}

    def present(self, relpaths: set[str]) -> list[str]:
        if self._listing is not None or len(relpaths) > PRESENT_BY_NAME:
            files = self.files()
            return [p for p in relpaths if p in files]
        _ = self.folder_id
        named = [f"{self.prefix}/{p}" for p in relpaths
                 if p not in self._known and p not in self._absent]
        if named:
            found = git_trees.list_named(self.repo, self.commit, named, self._folders)
            self._known.update(self._add(found))
        return [p for p in relpaths if p in self._known]

    def know(self, blobs: dict[str, str]) -> None:
        """Blob ids of files the commit holds, as a cache of its own judgement kept them:
        `read` and `present` need not list their folders."""
        self._known.update(blobs)

    def known_blobs(self, relpaths: Iterable[str]) -> dict[str, str]:
        """The blob ids of those of `relpaths` already listed or told (git is not asked)."""
        listing = self._listing or {}
        return {p: blob for p in relpaths if (blob := self._known.get(p) or listing.get(p))}

    def learn(self, diff: list[bytes]) -> None:
        """What a diff from this commit (`git diff --raw -z`'s records) says it holds at
        the paths it names, and lacks: `present` and `read` need not list their folders."""
        listing, absent = git_trees.base_listing(diff)
        start = f"{self.prefix}/"
        files = {p: i for p, i in listing.files.items() if p.startswith(start)}
        others = {p: o for p, o in listing.others.items() if p.startswith(start)}
        self._known.update(self._add(git_trees.Listing(files, others)))
        self._absent.update(p[len(start) :] for p in absent if p.startswith(start))

    def not_regular(self, relpaths: Iterable[str]) -> dict[str, str]:
        return among(self._odd, relpaths)

    def names_in(self, folder: str) -> list[str]:
        start = f"{folder}/" if folder else ""
        names = {p[len(start) :].split("/", 1)[0] for p in self.files() if p.startswith(start)}
        return sorted(names)

    def where(self, relpath: str) -> str:
        return f"{self.label}:{self.prefix}/{relpath}"


def counted(files: dict[str, str | None], reader: TreeReader) -> dict[str, str | None]:
    """`files`, a state's listing, unless it holds more than a state may."""
    bounds.refuse_too_many(len(files), shown(reader), "files")
    return files


def shown(reader: TreeReader) -> str:
    """The state's folder, as messages name it."""
    return reader.where("").rstrip("/")


def worktree(ws: Workspace) -> FolderReader:
    # The repo's own folder, never another repo's or what a link points to.
    repo_files.check_inside(ws.root, ws.directory, FOLDER)
    submodules = _submodules(ws)
    if ws.directory.is_dir() and not os.listdir(ws.directory) and submodules([""]):
        raise repo_files.refusal(ws.display(ws.directory), repo_files.SUBMODULE, FOLDER)
    return FolderReader(ws.directory, ws.display(ws.directory), submodules=submodules)


def _submodules(ws: Workspace) -> Callable[[list[str]], set[str]]:
    """Which of these folders of the working tree (relative to `directory/`, '' for
    itself) git holds as submodules: a clone leaves them empty. None outside git."""

    def ask(folders: list[str]) -> set[str]:
        try:
            prefix = ws.git_prefix(ws.directory)
        except LdifctlError:
            return set()
        named = {f"{prefix}/{f}" if f else prefix: f for f in folders}
        return {named[path] for path in gitrepo.submodules(ws.repo, *named)}

    return ask


def revision(ws: Workspace, rev: str) -> GitTreeReader:
    commit = gitrepo.resolve(ws.repo, rev)
    return GitTreeReader(ws.repo, commit, ws.git_prefix(ws.directory), rev)
