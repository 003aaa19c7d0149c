"""The routing impact names its candidates only from the changed entries that change
what the tables read (`kept_for_routing`): on random changes of a mail directory (names
and notes edited, mailboxes, aliases and forwards moved, entries added and removed), it
reports exactly the addresses it reports when every changed entry names candidates."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from mail_kit import load, mail_repo, person
from repo_kit import DirectoryRepo

from ldifctl.mail.address_impact import AddressImpact
from ldifctl.mail.columns.impact_view import LoadedState
from ldifctl.mail.impact import routing_impact
from ldifctl.mail.routing import Router
from ldifctl.mail.settings import MailConfig
from ldifctl.mail.table_reads import kept_for_routing
from ldifctl.model.snapshot import Snapshot

PEOPLE = "ou=people,dc=example,dc=net"
ADDRESSES = [f"{cn}@example.org" for cn in ("p0", "p1", "p2", "p3", "list")] + [
    "far@elsewhere.test", "p9@example.org"
]


def someone(rng: random.Random, cn: str) -> str:
    attrs: dict[str, str | list[str]] = {}
    if rng.random() < 0.8:
        attrs["mail"] = rng.choice([f"{cn}@example.org", *ADDRESSES])
    if rng.random() < 0.5:
        attrs["mailAlias"] = rng.sample(ADDRESSES, rng.randint(1, 2))
    if rng.random() < 0.4:
        attrs["mailAlternateAddress"] = rng.choice(ADDRESSES)
        attrs["mailForwardingAddress"] = rng.sample(ADDRESSES, rng.randint(1, 2))
    if rng.random() < 0.3:
        attrs["description"] = rng.choice(["a note", "another note"])
    return person(cn, **attrs)


def edited(rng: random.Random, text: str) -> str:
    """Most often an edit the tables do not read (sn, a note); now and then one they do."""
    roll = rng.random()
    if roll < 0.5:
        return text.replace("sn: Person", f"sn: Renamed {rng.randint(0, 9)}")
    if roll < 0.7:
        return text + "title:\n  - 'edited'\n"
    if roll < 0.85:
        return text.replace("@example.org", "@elsewhere.test", 1)
    return text.replace("'", "", 2).replace("mailAlias:", "mailAlias:\n  - 'p9@example.org'")


def changed_sides(old: Snapshot, new: Snapshot) -> tuple[Snapshot, Snapshot]:
    """The entries of each state that the other lacks or holds otherwise."""
    sides = Snapshot(old.label, old.schema), Snapshot(new.label, new.schema)
    for key in set(old.keys()) | set(new.keys()):
        before, after = old.get(key), new.get(key)
        if before is None or after is None or before.attrs != after.attrs:
            for side, entry in zip(sides, (before, after), strict=True):
                if entry is not None:
                    side.add(entry)
    return sides


def seeded(
    tmp_path: Path, seed: int
) -> tuple[random.Random, DirectoryRepo, dict[str, str], Snapshot, MailConfig]:
    """A random mail directory, committed and loaded, and the generator to change it."""
    rng = random.Random(seed)
    people = {f"p{i}": someone(rng, f"p{i}") for i in range(6)}
    repo = mail_repo(tmp_path / str(seed), people)
    return (rng, repo, people, *load(repo))


def impact(
    mail: MailConfig, old: Snapshot, new: Snapshot, with_kept: bool
) -> tuple[list[AddressImpact], int]:
    sides = changed_sides(old, new)
    kept = kept_for_routing(mail, *sides) if with_kept else set()
    views = LoadedState(Router(old, mail)), LoadedState(Router(new, mail))
    return routing_impact(*views, [*sides[0], *sides[1]], kept=kept), len(kept)


def test_entries_that_keep_what_the_tables_read_name_no_candidate(tmp_path: Path) -> None:
    kept_some = moved_some = 0
    for seed in range(24):
        rng, repo, people, old, mail = seeded(tmp_path, seed)
        for cn in rng.sample(sorted(people), rng.randint(1, 4)):
            repo.write(f"cn={cn},{PEOPLE}", edited(rng, people[cn]))
        if rng.random() < 0.4:
            repo.write(f"cn=list,{PEOPLE}", someone(rng, "list"))
        if rng.random() < 0.3:
            repo.remove(f"cn=p5,{PEOPLE}")
        new, _ = load(repo)
        found, kept = impact(mail, old, new, with_kept=True)
        every, _ = impact(mail, old, new, with_kept=False)
        assert found == every, f"seed {seed}"
        kept_some += kept > 0
        moved_some += bool(found)
    assert kept_some >= 8 and moved_some >= 8, (kept_some, moved_some)  # both cases met


def test_the_steps_kept_are_the_first_routes_and_nothing_else_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_KEPT_STEPS an impact keeps its outcomes and files, not its steps; the
    impacts before it keep theirs whole, and the same addresses are reported."""
    from ldifctl.mail import address_impact

    cut_some = 0
    for seed in range(24):
        rng, repo, people, old, mail = seeded(tmp_path, seed)
        for cn in rng.sample(sorted(people), rng.randint(2, 5)):
            repo.write(f"cn={cn},{PEOPLE}", someone(rng, cn))
        new, _ = load(repo)
        whole, _ = impact(mail, old, new, with_kept=False)
        monkeypatch.setattr(address_impact, "MAX_KEPT_STEPS", 4)
        bounded, _ = impact(mail, old, new, with_kept=False)
        monkeypatch.undo()
        first_cut = next((k for k, i in enumerate(bounded) if not i.steps_kept), len(bounded))
        steps = [len(i.old_edges) + len(i.new_edges) for i in whole]
        if first_cut < len(whole):  # the first route that does not fit
            assert sum(steps[:first_cut]) <= 4 < sum(steps[: first_cut + 1]), f"seed {seed}"
        assert bounded[:first_cut] == whole[:first_cut], f"seed {seed}"
        for kept, cut in zip(whole[first_cut:], bounded[first_cut:], strict=True):
            assert (cut.old_edges, cut.new_edges, cut.steps_kept) == ((), (), False)
            assert dataclasses.replace(kept, old_edges=(), new_edges=(), steps_kept=False) == cut
        cut_some += first_cut < len(whole)
    assert cut_some >= 8, cut_some
