"""Making the address index (address_index.py) of a state, in two steps with a gap
between them where the state's entries can go.

`gather` reads the address map once: each claim's key and the number of its entry, the
targets of each alias claim, the entries the domain tables find, the forward graph. What
it keeps names entries by number and holds no `Entry` or `Node`, so the map and the
entries it was made from can be let go before `build` sorts and packs the claims. At
100k entries the entries are ~110 MB and the sorting of 250k claims most of the
index's own peak; a cold `validate` that keeps both at once is at its highest there.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ldifctl.mail.columns.address_index import AddressIndex, is_local, joined_row
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.columns.forward_graph import forward_graph
from ldifctl.mail.columns.packed import Keyed, Lines
from ldifctl.mail.tree import Node


@dataclass
class Gathered:
    """A state's addresses, entries by number (`names[i]`, the names sorted). Claim j is
    `keys[j]` of entry `owners[j]`; the first `len(targets)` are alias claims, whose
    results are `targets[j]`."""

    names: list[str]
    routed: bool = True
    delimiter: str = ""
    local: bool = True
    keys: list[str] = field(default_factory=list)
    owners: array[int] = field(default_factory=lambda: array("i"))
    targets: list[tuple[str, ...]] = field(default_factory=list)
    hosting: list[str] = field(default_factory=list)
    graph: dict[str, list[str]] = field(default_factory=dict)


def gather(
    names: Iterable[str], amap: AddressMap | None, name_of: Callable[[Node], str]
) -> Gathered:
    """What the index of a state's entries (`names`) is made of, from the addresses
    `amap` views in it (None: none are read); `name_of` names an entry of the map as
    `names` do."""
    gathered = Gathered(sorted(names), routed=amap is not None)
    if amap is None:
        return gathered
    gathered.delimiter, gathered.local = amap.delimiter or "", is_local(amap)
    number = {name: i for i, name in enumerate(gathered.names)}
    nodes = amap.router.tree.nodes  # each named once, not once per claim
    numbered = dict(zip(nodes, map(number.__getitem__, map(name_of, nodes)), strict=True))
    del number
    groups = (amap.alias_claims, amap.mailbox_claims)
    gathered.keys = [key for group in groups for key in group.keys]
    gathered.owners = array("i", (numbered[node] for group in groups for node in group.nodes))
    gathered.targets = amap.alias_claims.targets
    gathered.hosting = sorted({name_of(node) for node in amap.domain_claims.nodes})
    gathered.graph = forward_graph(amap)
    return gathered


def build(gathered: Gathered) -> AddressIndex:
    """The index, sorted and packed. Takes the lists of `gathered` as its own, and lets
    go of each as soon as what it feeds is made (at 100k, 60 MB would otherwise all be
    held while the claims are sorted)."""
    g = gathered
    index = AddressIndex(names=g.names, routed=g.routed, delimiter=g.delimiter, local=g.local)
    if not g.routed:
        index.owned = Lines([""] * len(g.names))
        return index
    # Each entry's addresses in a list (a set each: 50 MB more at 100k), made unique as
    # its row is joined.
    claimed: list[list[str]] = [[] for _ in g.names]
    given: list[list[str]] = [[] for _ in g.names]
    for key, i in zip(g.keys, g.owners, strict=True):
        claimed[i].append(key)
    for i, targets in zip(g.owners, g.targets, strict=False):  # alias claims come first
        given[i] += targets
    g.targets = []
    index.owned = Lines(map(joined_row, claimed, given))
    del claimed
    index.senders = Keyed((t, i) for i, ts in enumerate(given) if ts for t in index.sent_to(ts))
    del given
    index.claimers = Keyed(zip(g.keys, g.owners, strict=True))
    g.keys, g.owners = [], array("i")
    index.hosting = g.hosting
    index.replaced({}, g.graph)
    return index


def address_index(
    names: Iterable[str], amap: AddressMap | None, name_of: Callable[[Node], str]
) -> AddressIndex:
    """The index of a state's entries (`names`) and of the addresses `amap` views in it
    (None: none are read), in one step (see `gather`)."""
    return build(gather(names, amap, name_of))
