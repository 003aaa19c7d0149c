"""Entries and snapshots: every state (files, a revision, an LDIF file, a server) is a Snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, KeysView, Mapping
from dataclasses import dataclass, field
from itertools import chain

from ldifctl.model import dn as dnmod
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Normalised, Schema

Values = tuple[bytes, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Origin:
    """Where an entry was read from, for messages: a file (with line numbers) or a DN.

    It is named `folder` + `path`. The entries of a state loaded from its cache share one
    folder text (`directory/`), and each holds as its path the very text the state's
    listing holds: a name of its own for each held 10 MB at 100k entries."""

    path: str
    line: int | None = None
    attribute_lines: Mapping[str, int] = field(default_factory=dict)
    folder: str = ""

    @property
    def where(self) -> str:
        return f"{self.folder}{self.path}" if self.folder else self.path

    def __eq__(self, other: object) -> bool:  # the same place, however its name is cut
        if not isinstance(other, Origin):
            return NotImplemented
        mine, theirs = (self.line, self.attribute_lines), (other.line, other.attribute_lines)
        return self.where == other.where and mine == theirs

    def __hash__(self) -> int:
        return hash((self.where, self.line))

    def at(self, attribute: str | None = None) -> str:
        line = self.attribute_lines.get(attribute.lower(), self.line) if attribute else self.line
        return f"{self.where}:{line}" if line is not None else self.where


@dataclass(frozen=True, slots=True)
class Entry:
    """One LDAP entry: DN as written, attributes by canonical name, values as bytes."""

    dn: str
    attrs: Mapping[str, Values]
    origin: Origin | None = None

    def get(self, name: str) -> Values:
        wanted = name.lower()
        for attr, values in self.attrs.items():
            if attr.lower() == wanted:
                return values
        return ()

    def texts(self, name: str) -> list[str]:
        return [v.decode("utf-8", "replace") for v in self.get(name)]

    def where(self, attribute: str | None = None) -> str:
        return self.origin.at(attribute) if self.origin else self.dn


def normalised_attrs(entry: Entry, schema: Schema) -> dict[str, frozenset[Normalised]]:
    """Attribute (lower-case) -> set of values under the attribute's equality rule."""
    out: dict[str, frozenset[Normalised]] = {}
    for name, values in entry.attrs.items():
        if schema.is_ignored(name):
            continue
        norm = schema.normaliser(name)
        out[name.lower()] = frozenset(norm(v) for v in values)
    return out


def same_entry_error(entry: Entry, other: Entry) -> LdifctlError:
    """Two entries whose DNs are equal under LDAP rules."""
    return LdifctlError(
        f"{entry.where()}: DN {entry.dn!r} is the same entry as {other.where()} "
        f"({other.dn!r}) under LDAP rules: keep one of the two"
    )


class Snapshot:
    """A set of entries keyed by their DN under LDAP rules."""

    def __init__(self, label: str, schema: Schema) -> None:
        self.label = label
        self.schema = schema
        self._entries: dict[dnmod.DnKey, Entry] = {}
        # Noted entry by entry while each is fresh in memory: one pass over 100k entries
        # afterwards costs more than the policies' use of it saves.
        self._names: set[str] | None = set()

    def add(self, entry: Entry, key: dnmod.DnKey | None = None) -> None:
        """Add an entry (`key`: its DN key, if known); two entries with DNs equal under
        LDAP rules are an error."""
        k = self.schema.dn_key(entry.dn) if key is None else key
        other = self._entries.get(k)
        if other is not None:
            raise same_entry_error(entry, other)
        self._entries[k] = entry
        if self._names is not None:
            self._names.update(entry.attrs)

    @classmethod
    def keyed(
        cls,
        label: str,
        schema: Schema,
        pairs: Iterable[tuple[dnmod.DnKey, Entry]],
        names: set[str] | None = None,
    ) -> Snapshot:
        """A snapshot of entries whose DN keys are known and distinct (the state cache);
        `names`, if known, are their attribute names (else noted on first need)."""
        snapshot = cls(label, schema)
        snapshot._entries, snapshot._names = dict(pairs), names
        return snapshot

    @property
    def names(self) -> set[str]:
        """Every attribute name the entries use."""
        if self._names is None:
            self._names = set(chain.from_iterable(e.attrs for e in self._entries.values()))
        return self._names

    def get(self, key: dnmod.DnKey) -> Entry | None:
        return self._entries.get(key)

    def get_dn(self, dn: str) -> Entry | None:
        return self._entries.get(self.schema.dn_key(dn))

    def keys(self) -> KeysView[dnmod.DnKey]:
        return self._entries.keys()

    def items(self) -> Iterator[tuple[dnmod.DnKey, Entry]]:
        return iter(self._entries.items())

    def listed(self) -> tuple[list[dnmod.DnKey], list[Entry]]:
        return list(self._entries), list(self._entries.values())

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries
