"""A folder of entry files on disk, looked at without following a link: what it holds
(`DiskFolder.walk`), which given paths stand there, and which of them are no regular
file (a link, a submodule, a FIFO), named as repo/files.py names them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from ldifctl.repo.files import SPECIAL, SUBMODULE, disk_kind, holds_git


class DiskFolder:
    """A folder of entry files on disk, looked at without following a link."""

    def __init__(self, root: str, submodules: Callable[[list[str]], set[str]]) -> None:
        self.root = root
        # Which of these folders git holds as submodules (a clone leaves them empty).
        self.submodules = submodules
        self.odd: dict[str, str] = {}  # path -> what it is, for what is no regular file
        self._plain: dict[str, bool] = {"": True}

    def walk(self) -> list[str]:
        """Every path below the root that is no folder (dot names left out); a link to a
        folder and a submodule are paths too, noted in `odd`."""
        found, pending, empty = [], [""], []
        while pending:
            folder = pending.pop()
            with os.scandir(os.path.join(self.root, folder)) as scan:
                items = list(scan)
            if folder and not items:
                empty.append(folder)
            for item in items:  # a DirEntry tells file, folder, link without a stat
                if item.name.startswith("."):
                    continue
                path = f"{folder}/{item.name}" if folder else item.name
                if item.is_dir(follow_symlinks=False) and not holds_git(item.path):
                    pending.append(path)
                else:
                    found.append(path)
                    if not item.is_file(follow_symlinks=False):
                        self.odd[path] = disk_kind(item.path) or SPECIAL
        return found + self._submodules(empty)

    def present(self, paths: Iterable[str]) -> list[str]:
        """Those of `paths` where something other than a plain folder stands, reached
        through plain folders (behind a link nothing is: git names the link itself)."""
        found, empty = [], []
        for path in paths:
            if not self.plain_folder(os.path.dirname(path)):
                continue
            full = os.path.join(self.root, path)
            kind = disk_kind(full)
            if kind is not None:
                self.odd[path] = kind
                found.append(path)
            elif os.path.isfile(full):
                found.append(path)
            elif os.path.isdir(full) and not os.listdir(full):
                empty.append(path)
        return found + self._submodules(empty)

    def _submodules(self, empty: list[str]) -> list[str]:
        """Those of these empty folders that git holds as submodules: odd paths."""
        found = sorted(self.submodules(empty)) if empty else []
        self.odd.update(dict.fromkeys(found, SUBMODULE))
        return found

    def plain_folder(self, folder: str) -> bool:
        """Is `folder` reached from the root through plain folders only?"""
        known = self._plain.get(folder)
        if known is None:
            full = os.path.join(self.root, folder)
            known = os.path.isdir(full) and disk_kind(full) is None
            known = known and self.plain_folder(os.path.dirname(folder))
            self._plain[folder] = known
        return known

    def not_regular(self, paths: Iterable[str]) -> dict[str, str]:
        return among(self.odd, paths)


def among(odd: dict[str, str], paths: Iterable[str]) -> dict[str, str]:
    """Those of `paths` that `odd` names (no look at `paths` at all when it names none)."""
    return {p: odd[p] for p in paths if p in odd} if odd else {}
