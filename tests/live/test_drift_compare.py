"""`drift` of a big directory compares a chunk at a time (live/drift_compare.py): on a real
server with random differences, its plan (change records, LDIF, routing impact) is the one
made of all differing entries at once, whatever the chunk size."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import DirectoryRepo
from test_live_drift import ALIASES

from ldifctl.cache.head_tree import HeadTree
from ldifctl.diff.fingerprints import Differing
from ldifctl.live import drift, drift_compare
from ldifctl.model.snapshot import Snapshot
from ldifctl.repo.workspace import Workspace, open_workspace
from ldifctl.sources.specs import WORKTREE

COUNT = 24


def forward(i: int, sn: str = "Person", to: str | None = None) -> str:
    dn = f"cn=f{i},{PEOPLE_DN}"
    return (
        f"dn: {dn}\nobjectClass:\n  - inetOrgPerson\n  - mailRecipient\ncn: f{i}\nsn: {sn}\n"
        f"mailAlternateAddress: a{i}@domain.com\nmailForwardingAddress: {to or f't{i}@x.org'}\n"
    )


def synced(root: Path, server: servers.LdapServer) -> DirectoryRepo:
    repo = live_repo(root, server, ALIASES)
    for i in range(COUNT):
        repo.write(f"cn=f{i},{PEOPLE_DN}", forward(i))
    repo.commit("synced")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    return repo


def hand_edits(rng: random.Random, routing: bool, moves: bool = True) -> str:
    """Random changes made on the server: sn (no route moves); with `routing` also
    forwards retargeted, and with `moves` entries deleted, added and renamed."""
    records = []
    for i in range(COUNT):
        dn, roll = f"cn=f{i},{PEOPLE_DN}", rng.random()
        if roll < 0.4:
            records.append(f"dn: {dn}\nchangetype: modify\nreplace: sn\nsn: Hand {i}\n")
        elif routing and roll < 0.55:
            records.append(f"dn: {dn}\nchangetype: modify\nreplace: mailForwardingAddress\n"
                           f"mailForwardingAddress: t{(i + 1) % COUNT}@x.org\n")
        elif moves and roll < 0.62:
            records.append(f"dn: {dn}\nchangetype: delete\n")
        elif moves and roll < 0.68:
            records.append(f"dn: {dn}\nchangetype: modrdn\nnewrdn: cn=g{i}\ndeleteoldrdn: 1\n")
    if moves:
        added = f"cn=new,{PEOPLE_DN}"
        records.append(f"dn: {added}\nchangetype: add\nobjectClass: inetOrgPerson\n"
                       "objectClass: mailRecipient\ncn: new\nsn: New\n"
                       "mailAlternateAddress: a1@domain.com\nmailForwardingAddress: n@x.org\n")
    return "\n".join(records)


def repo_edits(repo: DirectoryRepo, rng: random.Random) -> None:
    """Uncommitted edits of the files: the working tree is what drift compares."""
    for i in rng.sample(range(COUNT), 4):
        repo.write(f"cn=f{i},{PEOPLE_DN}", forward(i, sn="Edited", to=f"e{i}@x.org"))


@pytest.mark.parametrize(("seed", "moves"), [(1, True), (2, True), (3, False), (4, False)])
def test_chunks_give_the_plan_of_all_differing_entries_at_once(
    tmp_path: Path,
    server: servers.LdapServer,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    moves: bool,
) -> None:
    """The reference is drift before chunks: every differing entry parsed and diffed at
    once (`at_once`); its change records are also those of the whole states."""
    rng = random.Random(seed)
    repo = synced(tmp_path / "repo", server)
    assert server.ldapmodify(hand_edits(rng, routing=True, moves=moves)).returncode == 0
    if moves:
        repo_edits(repo, rng)
    ws = open_workspace(repo.root, dict(os.environ))
    with monkeypatch.context() as patched:
        patched.setattr(drift_compare, "compare", at_once)
        reference = drift.drift(ws, WORKTREE).plan
    whole = drift._whole(ws, WORKTREE).plan
    assert reference.changes == whole.changes and reference.routing
    for chunk in (1, 3, 1000):
        monkeypatch.setattr(drift_compare, "CHUNK", chunk)
        fast = drift.drift(ws, WORKTREE)
        assert fast.partial, "the fingerprint way did not apply"
        assert fast.plan.changes == reference.changes
        assert fast.plan.ldif == reference.ldif
        assert fast.plan.routing == reference.routing


def at_once(
    ws: Workspace, state: HeadTree, found: Differing, renders: dict[str, bytes]
) -> drift_compare.Compared:
    return drift_compare.at_once(ws, state, found)


def test_only_a_chunk_is_parsed_at_once_and_nothing_kept_when_no_route_moves(
    tmp_path: Path, server: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = synced(tmp_path / "repo", server)
    edits = hand_edits(random.Random(4), routing=False, moves=False)
    assert server.ldapmodify(edits).returncode == 0
    parsed: list[int] = []
    entries = drift_compare.server_entries

    def counted(blocks: list[bytes], ws: object) -> Snapshot:
        parsed.append(len(blocks))
        return entries(blocks, ws)  # type: ignore[arg-type]

    monkeypatch.setattr(drift_compare, "CHUNK", 3)
    monkeypatch.setattr(drift_compare, "server_entries", counted)
    ws = open_workspace(repo.root, dict(os.environ))
    fast = drift.drift(ws, WORKTREE)
    whole = drift._whole(ws, WORKTREE).plan
    assert fast.partial and fast.plan.changes == whole.changes and len(whole.changes) > 3
    assert fast.plan.routing == () and max(parsed) == 3
    assert (len(fast.server), len(fast.repo)) == (0, 0)
