"""Which entries an edit touches, and the small state they are judged again on (see
incremental.py, which says why these entries and no others)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

from ldifctl.cache.head_tree import HeadTree
from ldifctl.mail.columns.address_index import AddressIndex, Owned
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.columns.forward_graph import forward_graph
from ldifctl.mail.columns.index_build import address_index
from ldifctl.mail.settings import MailConfig
from ldifctl.mail.tree import Node
from ldifctl.model import dn as dnmod
from ldifctl.model import entry_paths
from ldifctl.model.findings import Finding
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.policy import engine
from ldifctl.policy.files import Policies
from ldifctl.policy.structure import check_entries
from ldifctl.repo import tree
from ldifctl.repo.settings.mail import parse_mail
from ldifctl.repo.tree_index import TreeIndex
from ldifctl.repo.workspace import Workspace

MAX_TOUCHED = 4096  # past this, judging the whole state costs about as much


class Unloadable(Exception):
    """An unchanged entry file that does not load now: the state is judged whole."""


def relpath(entry: Entry, root: int) -> str:
    """An entry's name in the index: its file, relative to the directory."""
    origin = entry.origin
    if origin is None:
        return entry.dn
    if len(origin.folder) == root:  # the state's listing's own text, not a copy of it
        return origin.path
    return origin.where[root:]


def owner(finding: Finding, root: str) -> str:
    """The entry file a finding is at (`where` without the folder and the line)."""
    where = finding.where
    head, _, line = where.rpartition(":")
    where = head if head and line.isdigit() else where
    return where[len(root) :] if where.startswith(root) else where


class Rejudging:
    """One re-judgement: the changed entries, and the entries read to judge again.
    Entries are named by their file (relative path), as in the index."""

    def __init__(
        self,
        ws: Workspace,
        state: HeadTree,
        policies: Policies,
        fresh: dict[str, Entry],
        gone: set[str],
        came: set[str],
        blob: Callable[[str], str | None] = lambda path: None,
    ) -> None:
        self.ws, self.state, self.policies = ws, state, policies
        self.blob = blob  # git's id of an unchanged file's content, when the prior kept it
        self.gone, self.came = gone, came  # entry files deleted and added since the prior
        self.mail = parse_mail(ws.config.mail, ws.schema)
        self.entries = dict(fresh)
        self.changed = fresh.keys() | gone
        self.root = len(state.where(""))
        self.bases: set[str] = set()

    def touched(self, index: AddressIndex) -> set[str] | None:
        """The entries whose findings may change; the index is brought up to date."""
        changed = set(self.changed)
        if changes_a_base(self.mail, changed, self.ws.schema):
            return None
        self.bases = table_bases(self.mail, index)
        old = {name: index.addresses_of(name) for name in changed}
        # Read at once what the rounds below read when the edit keeps its addresses (the
        # usual edit): each round of reading starts git twice.
        was = {a for row in old.values() for a in row[0]}
        self._read(_reading(index, changed | _claimers(index, was) | _senders(index, was)))
        small = self._small(changed | set(index.hosting))
        now = address_index(self.entries, self._addresses(small), self._name)
        if not now.local or changed & (set(index.hosting) | set(now.hosting)):
            return None  # a catch-all came, or the hosted domains change: judge it whole
        rows: dict[str, Owned | None] = {
            n: now.addresses_of(n) if n in self.entries else None for n in changed
        }
        index.replaced(rows, index.edges)
        if not index.routed:
            return changed
        claimed = {a for row in (*old.values(), *rows.values()) if row for a in row[0]}
        touched = changed | _claimers(index, claimed)
        touched |= _senders(index, claimed)
        moved = claimed | _claims(index, touched)  # addresses whose forwards may change
        loops_before = index.loops_through(moved)
        graph = self._graph(index, moved, _reading(index, touched | _claimers(index, moved)))
        index.replaced({}, graph)
        for loop in (*loops_before, *index.loops_through(moved)):
            touched |= _claimers(index, loop)
        return touched if len(touched) <= MAX_TOUCHED else None

    def _addresses(self, snapshot: Snapshot) -> AddressMap:
        return engine.State(snapshot, self.mail).addresses

    def _name(self, node: Node) -> str:
        return relpath(node.entry, self.root)

    def _graph(
        self, index: AddressIndex, moved: set[str], reading: set[str]
    ) -> dict[str, list[str]]:
        """The forward graph of the new state: the kept edges, and those of `moved` as
        the entries that make them (`reading`) give them now."""
        around = forward_graph(self._addresses(self._small(reading)))
        graph = {a: e for a, e in index.edges.items() if a not in moved}
        graph.update((a, e) for a, e in around.items() if a in moved)
        return graph

    def judge(
        self, touched: set[str], index: AddressIndex, structure: bool
    ) -> list[Finding] | None:
        """The findings of the touched entries, and the tables' own, judged afresh."""
        reading = _reading(index, touched) if index.routed else touched
        snapshot = self._small(reading)
        found, _ = engine.judge(
            snapshot, self.mail, self.policies, self.ws.config.base_dns, repo=True
        )
        if any(f.rule == "mail-tables" and f.severity == "error" for f in found):
            return None  # a base that is no entry: its hint reads the whole directory
        root = self.state.where("")
        found = [f for f in found if not f.dn or owner(f, root) in touched]
        if structure:
            mine = self._small(touched)
            has_entry = TreeIndex(self.state, self.ws.schema).has_entry
            display = self.ws.display(self.ws.directory)
            bases = self.ws.config.base_dns
            found += check_entries(mine, self.ws.schema, bases, has_entry, display)
        return found

    def _small(self, names: Iterable[str]) -> Snapshot:
        """The state made of these entries (changed ones as they are now) and of the
        tables' search bases (a table finds nothing below a base that is no entry)."""
        wanted = sorted({*names, *self.bases})
        self._read(wanted)
        schema = self.ws.schema
        chosen = [self.entries[n] for n in wanted if n in self.entries]
        return Snapshot.keyed(self.state.label, schema, [(schema.dn_key(e.dn), e) for e in chosen])

    def loaded(self, names: Iterable[str]) -> list[Entry]:
        """These entries of the state (each one there), as it holds them now."""
        wanted = sorted(set(names))
        self._read(wanted)
        return [self.entries[n] for n in wanted]

    def _read(self, names: Iterable[str]) -> None:
        """Parse the unchanged entries among `names` not read yet."""
        unread = sorted(n for n in names if n not in self.entries and n not in self.changed)
        if not unread:
            return
        # Their blob ids, without listing their folders: kept with the prior, else asked.
        # Only of files the base holds as they are (the rest are read from the head): the
        # prior's id of such a file is its content's, which the base holds.
        kept = {
            p: blob for p in unread
            if p not in self.state.changed and (blob := self.blob(p)) is not None
        }
        self.state.base.know(kept)
        self.state.base.present({p for p in unread if p not in kept})
        for path, parsed in tree.parse_files(self.state, self.ws.schema, unread):
            if isinstance(parsed, str):  # it loaded in the prior state: never leave it out
                raise Unloadable(parsed)
            self.entries[path] = parsed


def changes_a_base(mail: MailConfig, changed: Iterable[str], schema: Schema) -> bool:
    """Is a table's search base among the changed files (by DN, however either spells
    it)? Every entry below a base that comes or goes gains or loses its addresses, and
    the index rows of those unchanged entries would still say what they claimed before:
    a base put back judged a clash made meanwhile as no clash."""
    bases = search_bases((mail,), schema)
    for path in changed:
        with contextlib.suppress(dnmod.DnError):
            if schema.dn_key(entry_paths.from_relpath(path)) in bases:
                return True
    return False


def search_bases(mails: Iterable[MailConfig], schema: Schema) -> set[dnmod.DnKey]:
    """The DN keys of the tables' search bases (a base made of the key is none)."""
    keys = set()
    for spec in (spec for mail in mails for spec in mail.tables()):
        with contextlib.suppress(dnmod.DnError):
            keys.add(schema.dn_key(spec.search_base))
    return keys


def table_bases(mail: MailConfig, index: AddressIndex) -> set[str]:
    """The tables' search bases that are entry files of the state."""
    bases = set()
    for spec in mail.tables():
        with contextlib.suppress(dnmod.DnError):
            bases.add(entry_paths.to_relpath(spec.search_base) if spec.search_base else "")
    return {p for p in bases if p in index.ids}


def _claimers(index: AddressIndex, addresses: Iterable[str]) -> set[str]:
    return {c for a in addresses for c in index.claimed_by(a)}


def _senders(index: AddressIndex, addresses: Iterable[str]) -> set[str]:
    return {s for a in addresses for s in index.forwarding_to(a)}


def _claims(index: AddressIndex, entries: Iterable[str]) -> set[str]:
    return {a for e in entries for a in index.addresses_of(e)[0]}


def _reading(index: AddressIndex, entries: set[str]) -> set[str]:
    """`entries`, and every entry their findings read: the claimers of what they claim
    and forward to, of every loop through what they claim, and the hosted domains."""
    claims = _claims(index, entries)
    targets = {t for e in entries for t in index.addresses_of(e)[1]}
    loops = {a for loop in index.loops_through(claims) for a in loop}
    around = _claimers(index, claims | index.sent_to(targets) | loops)
    return entries | around | set(index.hosting)
