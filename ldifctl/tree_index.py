"""Which DNs a tree holds, known from file names alone, without parsing 100k files.

A file's DN agrees with its path (checked when the file is parsed), so the listing is
enough to answer "does the parent exist?" and "do two files name one DN?". The loose key
folds case, spaces and escapes; it can only merge more, so a match is confirmed with the
real LDAP comparison.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ldifctl import dn as dnmod
from ldifctl.findings import Finding
from ldifctl.schema import Schema
from ldifctl.tree import TreeReader

_HEX_ESCAPE = re.compile(r"\\([0-9a-f]{2})")
_NOISE = re.compile(r'[\\\s"]')


def loose_key(relpath: str) -> str:
    text = dnmod.unescape_filename(relpath).casefold()
    text = _HEX_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    return _NOISE.sub("", text)


class TreeIndex:
    def __init__(self, reader: TreeReader, schema: Schema) -> None:
        self.reader, self.schema = reader, schema
        self.by_key: dict[str, list[str]] = defaultdict(list)
        for path in reader.files():
            self.by_key[loose_key(path)].append(path)

    def has_entry(self, dn: str) -> bool:
        wanted = self.schema.dn_key(dn)
        return any(
            self._same(p, wanted) for p in self.by_key.get(loose_key(dnmod.to_relpath(dn)), ())
        )

    def collisions(self, changed: set[str]) -> list[Finding]:
        """Pairs of files for one DN where at least one of the two is in `changed`."""
        pairs = set()
        for path in changed:
            mine = self._key(path)
            for other in self.by_key.get(loose_key(path), ()):
                if other != path and mine is not None and self._key(other) == mine:
                    pairs.add((min(path, other), max(path, other)))
        return [self._collision(a, b) for a, b in sorted(pairs)]

    def _collision(self, path: str, other: str) -> Finding:
        return Finding(
            self.reader.where(path),
            "structure/duplicate-dn",
            "error",
            dnmod.from_relpath(path),
            f"names the same entry as {self.reader.where(other)} under LDAP rules: keep one",
        )

    def _key(self, path: str) -> dnmod.DnKey | None:
        try:
            return self.schema.dn_key(dnmod.from_relpath(path))
        except dnmod.DnError:
            return None

    def _same(self, path: str, wanted: dnmod.DnKey) -> bool:
        return self._key(path) == wanted
