"""`diff a.ldif b.ldif` takes a fast way: the records of the same text in both files are
left out of the diff (sources/ldif_reader.py), and the routing impact comes from the
entries near the change, indexed by the checks' address map of the new state
(policy/change_routing.py, mail/columns/map_index.py). It must answer as the whole-state
way does: both files read whole, the new state checked, diffed, and routed by the whole
states.

Two dumps of the random directory of test_incremental.py: the first before, the second
after rounds of random edits (adds, deletes, renames, aliases moved, forwards, loops,
orphaned children), each round also making one finding on purpose (a forwarding loop, a
duplicate alias, a child left without its parent, a single-valued attribute given two
values), with the second dump's records shuffled and one of them folded (same entry,
other text)."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from impact_kit import answered
from test_incremental import RandomDirectory

from ldifctl import bulk
from ldifctl import plan as planmod
from ldifctl.model.snapshot import Snapshot
from ldifctl.policy import change_routing, nearby_impact
from ldifctl.repo import tree
from ldifctl.repo.readers import worktree
from ldifctl.repo.workspace import Workspace, open_workspace
from ldifctl.sources.export import export_ldif
from ldifctl.sources.ldif_reader import load_ldif

# The finding each round makes on purpose, by the rule that reports it.
PURPOSES = {
    "loop": "no-forward-loops",
    "duplicate alias": "unique-aliases",
    "orphan": "structure/missing-parent",
    "two values": "schema/single-value",
}


def dump(ws: Workspace, path: Path, rng: random.Random | None = None) -> Path:
    """The working tree as content LDIF; with `rng`, its records shuffled and one folded."""
    text = export_ldif(tree.load(worktree(ws), ws.schema))
    if rng is not None:
        records = text.rstrip("\n").split("\n\n")
        rng.shuffle(records)
        i = rng.randrange(len(records))
        records[i] = records[i][:20] + "\n " + records[i][20:]  # a fold inside the dn: line
        text = "\n\n".join(records) + "\n"
    path.write_text(text)
    return path


def with_two_values(path: Path, rng: random.Random) -> None:
    """One record of the file gains a single-valued attribute twice."""
    records = path.read_text().rstrip("\n").split("\n\n")
    i = rng.randrange(len(records))
    records[i] += "\ndisplayName: one\ndisplayName: two"
    path.write_text("\n\n".join(records) + "\n")


def on_purpose(directory: RandomDirectory, purpose: str) -> None:
    people, rng = directory.people, directory.rng
    if purpose == "loop":
        directory.loop(rng.sample(people, 3))
    elif purpose == "duplicate alias":
        for cn in rng.sample(people, 2):
            path = directory.repo.path(directory.dn(cn))
            kept = [ln for ln in path.read_text().splitlines() if not ln.startswith("mailAlt")]
            path.write_text("\n".join([*kept, "mailAlternateAddress: shared@example.org\n"]))
    elif purpose == "orphan":
        parent = rng.choice(people)
        child = f"cn=kid,{directory.dn(parent)}"
        directory.repo.write(child, f"dn: {child}\nobjectClass: inetOrgPerson\ncn: kid\nsn: K\n")
        people.remove(parent)
        directory.repo.remove(directory.dn(parent))


def whole_way(ws: Workspace, old_path: Path, new_path: Path) -> tuple[Any, ...]:
    """Both files read whole, the new state checked and diffed, both states routed whole."""
    old = load_ldif(old_path.read_bytes(), str(old_path), ws.schema)
    new = load_ldif(new_path.read_bytes(), str(new_path), ws.schema)
    judged = planmod.between(ws, old, new, repo=False)
    routing = change_routing.routing(ws, ws, old, new, judged.changes)
    return judged.ldif, judged.findings, routing


@pytest.fixture
def near(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each routing came from the entries near the change."""
    return answered(monkeypatch, nearby_impact, "routing_near")


@pytest.mark.parametrize("seed", range(40, 46))
def test_a_diff_of_two_dumps_is_the_whole_state_diff(
    tmp_path: Path, seed: int, near: list[bool]
) -> None:
    directory = RandomDirectory(tmp_path / "repo", seed)
    ws = open_workspace(directory.repo.root)
    old_path = dump(ws, tmp_path / "a.ldif")
    rules: set[str] = set()
    moved = 0
    for round_, purpose in enumerate([*PURPOSES, *PURPOSES]):
        done = [directory.edit() for _ in range(directory.rng.randint(1, 3))]
        on_purpose(directory, purpose)
        new_path = dump(ws, tmp_path / "b.ldif", directory.rng)
        if purpose == "two values":
            with_two_values(new_path, directory.rng)
        fast = planmod.plan(ws, str(old_path), str(new_path))
        expected = whole_way(ws, old_path, new_path)
        assert (fast.ldif, fast.findings, fast.routing) == expected, f"round {round_}: {done}"
        rules |= {f.rule for f in fast.findings}
        moved += bool(fast.routing)
    assert set(PURPOSES.values()) <= rules, rules  # each kind of finding was made
    assert moved, "no round moved mail: the routing was never compared"
    assert near and sum(near) >= len(near) // 2, near  # the way under test answered


def test_the_fast_way_reads_only_the_records_that_differ(tmp_path: Path) -> None:
    """The whole-state way above is not the fast way in disguise: the fast way's two
    sides hold only the entries whose records differ."""
    directory = RandomDirectory(tmp_path / "repo", 7)
    ws = open_workspace(directory.repo.root)
    old_path = dump(ws, tmp_path / "a.ldif")
    directory.rewrite(directory.people[0], "sn: ", "Edited")
    new_path = dump(ws, tmp_path / "b.ldif")
    from ldifctl.sources.load import load_changed

    files = load_changed(ws, str(old_path), str(new_path))
    assert files is not None
    assert [e.dn for e in files.old] == [e.dn for e in files.new] == [
        directory.dn(directory.people[0])
    ]
    assert isinstance(files.whole_new, Snapshot)
    assert len(files.whole_new) == len(load_ldif(new_path.read_bytes(), "b", ws.schema))


def test_a_big_diff_of_two_dumps_checks_the_new_state_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second process for the structure checks would copy the pages of the new state
    it reads: two LDIF files are checked without one, however many entries they hold."""
    directory = RandomDirectory(tmp_path / "repo", 3)
    ws = open_workspace(directory.repo.root)
    head = "dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n\n"
    people = [
        f"dn: cn=n{i},dc=example,dc=net\nobjectClass: device\ncn: n{i}\n"
        for i in range(bulk.MIN_SPLIT)
    ]
    (tmp_path / "a.ldif").write_text(head + "\n".join(people))
    (tmp_path / "b.ldif").write_text(head + "\n".join(people[1:]))

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    found = planmod.plan(ws, str(tmp_path / "a.ldif"), str(tmp_path / "b.ldif"))
    assert found.ldif == "dn: cn=n0,dc=example,dc=net\nchangetype: delete\n\n"
