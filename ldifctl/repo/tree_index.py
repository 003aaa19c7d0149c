"""Which DNs a tree holds, known from file names alone, without parsing 100k files.

A file's DN agrees with its path (checked when the file is parsed), so file names are
enough to answer "does the parent exist?" and "do two files name one DN?". Two files for
one DN sit in the same folder (their parents are one entry), so only the folders of the
changed files are listed. The loose key folds case, spaces and escapes; it can only merge
more, so a match is confirmed with the real LDAP comparison.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ldifctl.model import dn as dnmod
from ldifctl.model.findings import Finding
from ldifctl.model.schema import Schema
from ldifctl.repo.readers import TreeReader

DUPLICATE_DN = "structure/duplicate-dn"
_HEX_ESCAPE = re.compile(r"\\([0-9a-f]{2})")
_NOISE = re.compile(r'[\\\s"]')
_NEEDS_UNESCAPING = re.compile(r'[%\\\s"]')


def loose_key(name: str) -> str:
    if _NEEDS_UNESCAPING.search(name) is None:
        return name.casefold()
    text = dnmod.unescape_filename(name).casefold()
    text = _HEX_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    return _NOISE.sub("", text)


def _split(relpath: str) -> tuple[str, str]:
    folder, _, name = relpath.rpartition("/")
    return folder, name


def _unusual(joined: str) -> set[str]:
    """The names (joined by NUL) holding a character loose_key does more than fold for."""
    found = set()
    for m in _NEEDS_UNESCAPING.finditer(joined):
        end = joined.find("\0", m.start())
        found.add(joined[joined.rfind("\0", 0, m.start()) + 1 : end if end >= 0 else None])
    return found


class _Folder:
    """The entry files of one folder by loose key.

    A folder can hold 60k files. Their keys are worked out in bulk (string operations
    over all names at once): a plain name's key is its case fold, and only unusual names
    (escapes, spaces) and case twins take the slow path.
    """

    def __init__(self, names: list[str]) -> None:
        names = [n for n in names if n.endswith(".yaml")]
        joined = "\0".join(names)
        folded = joined.casefold().split("\0") if names else []
        self.unique: dict[str, str] = dict(zip(folded, names, strict=True))
        self.others: dict[str, list[str]] = defaultdict(list)
        slow = _unusual(joined)
        if len(self.unique) < len(names):  # some names differ in case only
            twins = {f for f, count in Counter(folded).items() if count > 1}
            slow.update(n for f, n in zip(folded, names, strict=True) if f in twins)
        for name in sorted(slow):
            self.unique.pop(name.casefold(), None)
            self.others[loose_key(name)].append(name)

    def alike(self, name: str) -> list[str]:
        """Names whose key is the key of `name`."""
        key = loose_key(name)
        found = self.unique.get(key)
        return [*self.others.get(key, ()), *([found] if found is not None else [])]


class TreeIndex:
    def __init__(self, reader: TreeReader, schema: Schema) -> None:
        self.reader, self.schema = reader, schema
        self._folders: dict[str, _Folder] = {}

    def has_entry(self, dn: str) -> bool:
        folder, name = _split(dnmod.to_relpath(dn))
        wanted = self.schema.dn_key(dn)
        return any(self._key(folder, other) == wanted for other in self._alike(folder, name))

    def collisions(self, changed: set[str]) -> list[Finding]:
        """Pairs of files for one DN where at least one of the two is in `changed`."""
        pairs = set()
        for path in changed:
            folder, name = _split(path)
            mine = self._key(folder, name)
            for other in self._alike(folder, name):
                if other != name and mine is not None and self._key(folder, other) == mine:
                    pairs.add(tuple(sorted((path, f"{folder}/{other}" if folder else other))))
        return [self._collision(a, b) for a, b in sorted(pairs)]

    def _alike(self, folder: str, name: str) -> list[str]:
        """Entry files in `folder` whose names could mean the same DN as `name`."""
        found = self._folders.get(folder)
        if found is None:
            found = self._folders[folder] = _Folder(self.reader.names_in(folder))
        return found.alike(name)

    def _collision(self, path: str, other: str) -> Finding:
        return Finding(
            self.reader.where(path), DUPLICATE_DN, "error", dnmod.from_relpath(path),
            f"names the same entry as {self.reader.where(other)} under LDAP rules: keep one",
        )

    def _key(self, folder: str, name: str) -> dnmod.DnKey | None:
        try:
            return self.schema.dn_key(dnmod.from_relpath(f"{folder}/{name}" if folder else name))
        except dnmod.DnError:
            return None
