"""What a change does to mail, from two states of which each side may hold only the changed
entries: each side's mail: tables (the base's route the old state, the change's the new),
the whole states made when needed, and mail/impact.py's answer. `plan` and `drift` ask it.

Of two LDIF files, the checks have made the address map of the whole new state: it indexes
the entries near the change (mail/columns/map_index.py), and the impact is worked out on
small states of those (policy/nearby_impact.py) instead of routing two whole states; the
old side's unchanged entries stand at their lines of the old file (`as_old`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ldifctl.model.dn import DnError, DnKey

if TYPE_CHECKING:
    from ldifctl.mail.address_impact import AddressImpact
    from ldifctl.mail.columns.address_map import AddressMap
    from ldifctl.mail.settings import MailConfig
    from ldifctl.model.changes import Change
    from ldifctl.model.snapshot import Entry, Snapshot
    from ldifctl.repo.workspace import Workspace


def routing(
    before: Workspace,
    after: Workspace,
    old: Snapshot,
    new: Snapshot,
    changes: tuple[Change, ...],
    whole: Callable[[], Snapshot] | None = None,
    judged: AddressMap | None = None,
    as_old: Callable[[list[Entry]], list[Entry]] | None = None,
) -> tuple[AddressImpact, ...]:
    """What the change does to mail: `old` routed by `before`'s mail: tables, `new` by
    `after`'s (the tables Postfix will use once the change is merged). With `whole`, `old`
    and `new` hold only the changed entries, and `whole()` gives the whole new state: it is
    asked only when the change may move mail. `judged`: the address map the checks made of
    the whole new state with `after`'s tables, read as it is rather than made again.
    `as_old`: unchanged entries of the whole new state as the old side holds them (where
    it names them otherwise: another LDIF file)."""
    from ldifctl.mail import table_reads

    mail = mail_tables(before, after)
    if mail is None:
        return ()
    if whole is not None:
        unchanged = table_reads.same_tables(*mail)
        if unchanged and not table_reads.may_route(mail[1], old, new):
            return ()
        full = whole()
        if unchanged and judged is not None:
            near = _near(judged, full, (old, new), mail, as_old)
            if near is not None:
                return near
        old, new = swapped(full, new, old, old.label, as_old), full
    return routed(mail, old, new, _touched(changes, old, new), judged)


def _near(
    judged: AddressMap,
    full: Snapshot,
    sides: tuple[Snapshot, Snapshot],
    mail: tuple[MailConfig, MailConfig],
    as_old: Callable[[list[Entry]], list[Entry]] | None,
) -> tuple[AddressImpact, ...] | None:
    """The impact from the entries near the change (policy/nearby_impact.py), with the
    checks' address map of the whole new state `full` as the index; None: it cannot tell,
    ask the whole states. Entries are named by their DN as `full` spells it."""
    from ldifctl.mail.columns.map_index import MapIndex
    from ldifctl.policy.nearby_impact import routing_near

    # What the rules read of the whole state (the texts of its address columns, 36 MB at
    # 100k) is read by nothing near the change: let go before more is made.
    judged.router.tree.forget()
    named = (full.get(key) for side in sides for key, _ in side.items())
    changed = {entry.dn for entry in named if entry is not None}
    bases = {entry.dn for spec in mail[1].tables() if (entry := _at(full, spec.search_base))}

    def loaded(names: Iterable[str]) -> list[Entry]:
        return [e for name in sorted(set(names)) if (e := full.get_dn(name)) is not None]

    def name_of(key: DnKey) -> str | None:
        entry = full.get(key)
        return None if entry is None else entry.dn

    found = routing_near(MapIndex(judged), loaded, changed, bases, sides, mail, as_old, name_of)
    return None if found is None else tuple(found)


def _at(state: Snapshot, dn: str) -> Entry | None:
    try:
        return state.get_dn(dn)
    except DnError:  # a search base made of the key: the index is not local
        return None


def _touched(changes: tuple[Change, ...], old: Snapshot, new: Snapshot) -> list[Entry]:
    """The changed entries, as each state holds them."""
    dns = [dn for change in changes for dn in (change.dn, getattr(change, "new_dn", None)) if dn]
    return [e for dn in dns for state in (old, new) if (e := state.get_dn(dn)) is not None]


def mail_tables(before: Workspace, after: Workspace) -> tuple[MailConfig, MailConfig] | None:
    """Each side's mail: tables; None when neither side has any (nothing routes)."""
    from ldifctl.policy.check import mail_config

    mail = mail_config(before), mail_config(after)
    return mail if mail[0].tables() or mail[1].tables() else None


def routed(
    mail: tuple[MailConfig, MailConfig],
    old: Snapshot,
    new: Snapshot,
    changed: list[Entry],
    judged: AddressMap | None = None,
) -> tuple[AddressImpact, ...]:
    from ldifctl.mail import impact, table_reads
    from ldifctl.mail.columns.impact_view import LoadedState
    from ldifctl.mail.routing import Router

    after = LoadedState.of(judged) if judged is not None else LoadedState(Router(new, mail[1]))
    views = LoadedState(Router(old, mail[0])), after
    moved = not table_reads.same_tables(*mail)
    keys = {old.schema.dn_key(e.dn) for e in changed}
    kept = set() if moved else table_reads.kept_for_routing(mail[1], old, new, keys)
    return tuple(impact.routing_impact(*views, changed, tables_changed=moved, kept=kept))


def swapped(
    state: Snapshot,
    out: Snapshot,
    into: Snapshot,
    label: str,
    as_old: Callable[[list[Entry]], list[Entry]] | None = None,
) -> Snapshot:
    """`state` without the entries of `out`, with those of `into`: the other side of a
    change when only the changed entries were read (the kept ones `as_old` gives them)."""
    from ldifctl.model.snapshot import Snapshot

    gone = set(out.keys()) | set(into.keys())
    kept = [(k, e) for k, e in state.items() if k not in gone]
    if as_old is not None:
        kept = list(zip([k for k, _ in kept], as_old([e for _, e in kept]), strict=True))
    names = state.names | into.names
    return Snapshot.keyed(label, state.schema, [*kept, *into.items()], names)
