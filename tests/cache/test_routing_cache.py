"""The routing impact of a change planned again comes from the cache (cache/routing.py),
and only while everything it depends on is the same."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from impact_kit import forward_added
from repo_kit import DirectoryRepo, run

from ldifctl import plan as planmod
from ldifctl.mail.address_impact import AddressImpact
from ldifctl.plan import incremental
from ldifctl.repo.workspace import open_workspace

PEOPLE_DN = "ou=people,dc=example,dc=net"


def routing(repo: DirectoryRepo, *args: str) -> list[Any]:
    code, out, err = run(repo, "plan", "--format", "json", *args)
    assert code in (0, 1), err
    return list(json.loads(out)["routing"])


def cold_routing(repo: DirectoryRepo, *args: str) -> list[Any]:
    cache = repo.root / ".git" / "ldifctl"
    shutil.rmtree(cache)
    return routing(repo, *args)


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return forward_added(tmp_path)


def refuse_to_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolving(*args: object) -> object:
        raise AssertionError("resolved again")

    monkeypatch.setattr(incremental, "routing", resolving)


def test_a_change_planned_again_is_not_resolved_again(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = routing(repo)
    assert [r["address"] for r in first] == ["one.alt@h1.test"]
    refuse_to_resolve(monkeypatch)
    assert routing(repo) == first
    monkeypatch.undo()
    assert cold_routing(repo) == first


def test_the_heads_mail_tables_name_the_answer(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change's own ldifctl.yaml routes the new state: another one, another answer."""
    first = routing(repo)
    config = repo.root / "ldifctl.yaml"
    text = config.read_text()  # the alt addresses are no aliases any more
    config.write_text(text.replace("(mailAlternateAddress=%s)", "(mailAlternateAddress=x%s)"))
    again = routing(repo)
    assert again != first
    assert again == cold_routing(repo)


def test_another_state_is_resolved_afresh(repo: DirectoryRepo) -> None:
    first = routing(repo)
    three = repo.path(f"cn=three,{PEOPLE_DN}")
    three.write_text(three.read_text() + "mailForwardingAddress: two@h1.test\n")
    again = routing(repo)
    assert [r["address"] for r in again] == ["one.alt@h1.test", "three.alt@h1.test"]
    assert again == cold_routing(repo) != first


def impacts(repo: DirectoryRepo, base: str) -> tuple[AddressImpact, ...]:
    ws = open_workspace(repo.root, dict(os.environ))
    return planmod.plan(ws, base, "worktree").routing


def test_a_label_is_part_of_the_answer(repo: DirectoryRepo) -> None:
    """An impact names its files as its state does (`main-copy:directory/...`): the
    same change from another name of the base revision is another answer."""
    repo.git("add", "-A")
    repo.git("commit", "-qm", "one forwards to two")
    repo.git("branch", "main-copy")
    one = repo.path(f"cn=one,{PEOPLE_DN}")
    one.write_text(one.read_text().replace("mailForwardingAddress: two@h1.test\n", ""))
    by_head = impacts(repo, "HEAD")
    named = impacts(repo, "main-copy")
    one_before = "directory/dc=net/dc=example/ou=people/cn=one.yaml:9"
    assert [f"HEAD:{one_before}" in i.files for i in by_head] == [True]
    assert [f"main-copy:{one_before}" in i.files for i in named] == [True]
