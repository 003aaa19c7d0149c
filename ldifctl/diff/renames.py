"""Finding renames: an entry that vanished at one DN and appeared at another is a modrdn."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ldifctl.diff.entries import managed, structural_changed
from ldifctl.model import dn as dnmod
from ldifctl.model.schema import Normalised, Schema
from ldifctl.model.snapshot import Entry

Feature = tuple[str, Normalised]

# Below this share of common values two entries are different entries, not one renamed.
MIN_SIMILARITY = 0.5
# A value shared by more entries than this says nothing about identity (a mailHost, say).
MAX_POSTINGS = 50


def features(entry: Entry, schema: Schema) -> frozenset[Feature]:
    """(attribute, normalised value) pairs, without objectClass and the entry's own RDN."""
    rdn = {  # typed as managed() types the attributes: `commonName=x` is cn's value
        (schema.type_key(a), schema.normalise_value(a, v.encode()))
        for a, v in dnmod.rdn_values(entry.dn)
    }
    return (
        frozenset(
            (lower, schema.normalise_value(name, value))
            for lower, (name, values) in managed(entry, schema).items()
            if lower != "objectclass"
            for value in values
        )
        - rdn
    )


class RenameMatcher:
    """Pairs a removed entry with the most similar added one (Jaccard over features)."""

    def __init__(self, added: dict[dnmod.DnKey, Entry], schema: Schema) -> None:
        self.schema = schema
        self.added = added
        self.features = {k: features(e, schema) for k, e in added.items()}
        self.postings: dict[Feature, list[dnmod.DnKey]] = defaultdict(list)
        for k, feats in sorted(self.features.items()):
            for feat in feats:
                self.postings[feat].append(k)

    def take(self, key: dnmod.DnKey) -> None:
        self.added.pop(key, None)

    def best(self, removed: Entry) -> dnmod.DnKey | None:
        mine = features(removed, self.schema)
        scores: dict[dnmod.DnKey, int] = defaultdict(int)
        for feat in mine:
            posting = self.postings.get(feat, ())
            if len(posting) <= MAX_POSTINGS:
                for k in posting:
                    if k in self.added:
                        scores[k] += 1
        ranked = sorted(
            ((shared / len(mine | self.features[k]), shared, k) for k, shared in scores.items()),
            key=lambda row: (-row[0], repr(row[2])),
        )
        for score, shared, k in ranked:
            if score < MIN_SIMILARITY:
                return None
            # One shared value (a surname) is not an identity unless it is all there is.
            if (shared >= 2 or score == 1.0) and not structural_changed(
                removed, self.added[k], self.schema
            ):
                return k
        return None


Below = dict[dnmod.DnKey, dict[dnmod.DnKey, dnmod.DnKey]]


def _below(keys: Iterable[dnmod.DnKey]) -> Below:
    """Entry key -> {the key of each entry below it, relative to it: its full key}."""
    present = set(keys)
    below: Below = defaultdict(dict)
    for key in present:
        for i in range(1, len(key)):
            if key[i:] in present:
                below[key[i:]][key[:i]] = key
    return below


class SubtreeMatcher:
    """A removed entry is the added one under which its descendants sit again, in the same
    places relative to it (a `git mv` of an OU, edits and all): one modrdn moves them."""

    def __init__(
        self, removed: Iterable[Entry], added: dict[dnmod.DnKey, Entry], schema: Schema
    ) -> None:
        self.schema, self.added = schema, added  # shared with RenameMatcher: taken ones go
        self.removed = {schema.dn_key(e.dn): e for e in removed}
        self.old_below = _below(self.removed)
        self.new_below = _below(added) if self.old_below else {}
        self.holders: dict[dnmod.DnKey, list[dnmod.DnKey]] = defaultdict(list)
        for holder, rels in self.new_below.items():
            for rel in rels:
                self.holders[rel].append(holder)

    def best(self, removed: Entry) -> dnmod.DnKey | None:
        """The added entry with entries of the same structural class in at least half of
        the places below either; None if there is none."""
        mine = self.old_below.get(self.schema.dn_key(removed.dn), {})
        scores: dict[dnmod.DnKey, int] = defaultdict(int)
        for rel, old_key in mine.items():
            for holder in self.holders.get(rel, ()):
                new_key = self.new_below[holder][rel]
                if holder in self.added and new_key in self.added:
                    old, new = self.removed[old_key], self.added[new_key]
                    scores[holder] += not structural_changed(old, new, self.schema)
        ranked = sorted(
            ((n / len(mine.keys() | self.new_below[k].keys()), k) for k, n in scores.items() if n),
            key=lambda row: (-row[0], repr(row[1])),
        )
        for score, k in ranked:
            if score < MIN_SIMILARITY:
                return None
            if not structural_changed(removed, self.added[k], self.schema):
                return k
        return None
