"""Which DNs a tree holds, known from file names alone, without parsing 100k files.

A file's DN agrees with its path (checked when the file is parsed), so file names are
enough to answer "does the parent exist?" and "do two files name one DN?". Two files for
one DN sit in the same folder (their parents are one entry), so only the folders of the
changed files are listed. The loose key folds case, spaces and escapes; it can only merge
more, so a match is confirmed with the real LDAP comparison.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ldifctl.model import dn as dnmod
from ldifctl.model import entry_paths
from ldifctl.model.findings import Finding
from ldifctl.model.schema import Schema
from ldifctl.repo.readers import TreeReader

DUPLICATE_DN = "structure/duplicate-dn"
SEARCHES = 16  # questions about one folder answered by searching its names (_Folder)
_HEX_ESCAPE = re.compile(r"\\([0-9a-f]{2})")
_NOISE = re.compile(r'[\\\s"]')
_NEEDS_UNESCAPING = re.compile(r'[%\\\s"]')
_ASCII_UNUSUAL = [c for c in map(chr, range(128)) if _NEEDS_UNESCAPING.match(c)]


def loose_key(name: str) -> str:
    if _NEEDS_UNESCAPING.search(name) is None:
        return name.casefold()
    text = entry_paths.unescape_filename(name).casefold()
    text = _HEX_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    return _NOISE.sub("", text)


def _split(relpath: str) -> tuple[str, str]:
    folder, _, name = relpath.rpartition("/")
    return folder, name


def _unusual(joined: str) -> set[str]:
    """The names (joined by NUL) holding a character loose_key does more than fold for."""
    if joined.isascii() and not any(c in joined for c in _ASCII_UNUSUAL):
        return set()  # a memchr per character: a 60k-name folder in 0.3 ms, not 10 ms
    found = set()
    for m in _NEEDS_UNESCAPING.finditer(joined):
        end = joined.find("\0", m.start())
        found.add(joined[joined.rfind("\0", 0, m.start()) + 1 : end if end >= 0 else None])
    return found


class _Folder:
    """The entry files of one folder, found by loose key.

    A folder can hold 60k files and a run mostly asks about a few of them, so nothing is
    worked out per name up front: the names are kept as one text, and their case folds
    as a second text of the same length (each character folded to one: a match's offset
    in one is its offset in the other). A plain name is found by searching the folded
    text for its key between two separators, in C (~1 ms at 60k names). Past SEARCHES
    questions, or where folding changes a length (ß -> ss), every name's fold goes into
    a table once (~15 ms at 60k). Only unusual names (escapes, spaces) are keyed one by
    one from the start.
    """

    def __init__(self, names: list[str]) -> None:
        joined = "\0".join(names)
        self.names, self.unusual = names, _unusual(joined)
        self.others: dict[str, list[str]] = defaultdict(list)
        for name in sorted(self.unusual):
            if name.endswith(".yaml"):
                self.others[loose_key(name)].append(name)
        self.text = f"\0{joined}\0"
        folded = self.text.casefold()
        self.folded = folded if len(folded) == len(self.text) else ""
        self.searches = 0 if self.folded else SEARCHES
        self.table: dict[str, list[str]] | None = None

    def alike(self, name: str) -> list[str]:
        """Names whose key is the key of `name`."""
        key = loose_key(name)
        if self.searches < SEARCHES:
            self.searches += 1
            return [*self.others.get(key, ()), *self._search(key)]
        if self.table is None:
            self.table = defaultdict(list)
            for plain in self.names:
                if plain.endswith(".yaml") and plain not in self.unusual:
                    self.table[plain.casefold()].append(plain)
        return [*self.others.get(key, ()), *self.table.get(key, ())]

    def _search(self, key: str) -> list[str]:
        found, needle = [], f"\0{key}\0"
        at = self.folded.find(needle)
        while at >= 0:
            name = self.text[at + 1 : at + len(needle) - 1]
            if name.endswith(".yaml") and name not in self.unusual:
                found.append(name)
            at = self.folded.find(needle, at + len(needle) - 1)
        return found


class TreeIndex:
    def __init__(self, reader: TreeReader, schema: Schema) -> None:
        self.reader, self.schema = reader, schema
        self._folders: dict[str, _Folder] = {}
        self._types: dict[str, list[str]] | None = None  # type key -> its spellings

    def has_entry(self, dn: str) -> bool:
        folder, name = _split(entry_paths.to_relpath(dn))
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
        return [other for spelled in self._spellings(name) for other in found.alike(spelled)]

    def _spellings(self, name: str) -> list[str]:
        """`name` with its RDN's (first) type spelled each way the schema knows: the files
        `cn=x.yaml`, `commonName=x.yaml` and `2.5.4.3=x.yaml` are one entry (RFC 4512 2.5)."""
        attr, _, value = name.partition("=")
        if self._types is None:
            self._types = defaultdict(list)
            for spelling in self.schema.attributes:  # each in lower case, and each OID
                self._types[self.schema.type_key(spelling)].append(spelling)
        spellings = self._types.get(self.schema.type_key(attr), ())
        return [name, *(f"{s}={value}" for s in spellings if s != attr.casefold())]

    def _collision(self, path: str, other: str) -> Finding:
        return Finding(
            self.reader.where(path), DUPLICATE_DN, "error", entry_paths.from_relpath(path),
            f"names the same entry as {self.reader.where(other)} under LDAP rules: keep one",
        )

    def _key(self, folder: str, name: str) -> dnmod.DnKey | None:
        try:
            path = f"{folder}/{name}" if folder else name
            return self.schema.dn_key(entry_paths.from_relpath(path))
        except dnmod.DnError:
            return None
