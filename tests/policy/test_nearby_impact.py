"""The routing impact of a warm `plan`, worked out from the entries near the change
(policy/nearby_impact.py), is the impact over the whole states.

The random directory of test_incremental.py is edited round after round (adds,
deletes, renames, aliases moved, forwards retargeted, loops made and broken, commits);
after each, `plan --format json` answers warm and again cold (`.git/ldifctl/` moved
away, so the whole states are loaded): `routing` must be the same."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from impact_kit import forward_added
from mail_kit import mail_repo
from mail_kit import person as mail_person
from repo_kit import DirectoryRepo, run
from test_incremental import RandomDirectory

from ldifctl.policy import incremental, nearby_impact

PEOPLE_DN = "ou=people,dc=example,dc=net"


def routing(repo: DirectoryRepo) -> list[Any]:
    code, out, err = run(repo, "plan", "--format", "json")
    assert code in (0, 1), err
    return list(json.loads(out)["routing"])


def cold_routing(repo: DirectoryRepo) -> list[Any]:
    """The routing over the whole states, with no cache at all (the cache is kept aside;
    the way under test is shut, as a plan judged whole keeps the index it then uses)."""
    cache, aside = repo.root / ".git" / "ldifctl", repo.root / ".git" / "ldifctl-aside"
    shutil.move(cache, aside)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(nearby_impact, "nearby_routing", lambda *args, **kwargs: None)
            return routing(repo)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.move(aside, cache)


@pytest.fixture
def nearby(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each warm plan's routing impact came from the entries near the change."""
    real: Callable[..., Any] = nearby_impact.nearby_routing
    answered: list[bool] = []

    def noting(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        sides = args[4]
        base = sides[0].schema.dn_key(PEOPLE_DN)
        # A change to the tables' search base is routed whole by design: not counted.
        if all(key != base for side in sides for key, _ in side.items()):
            answered.append(result is not None)
        return result

    monkeypatch.setattr(nearby_impact, "nearby_routing", noting)
    yield answered


@pytest.mark.parametrize(
    ("seed", "keep_prior", "read_ahead"),
    [(seed, 0 if seed % 3 == 0 else incremental.KEEP_PRIOR, True) for seed in range(10, 18)]
    + [(seed, incremental.KEEP_PRIOR, False) for seed in range(20, 24)],
)
def test_nearby_routing_is_the_whole_states_routing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    keep_prior: int,
    read_ahead: bool,
    nearby: list[bool],
) -> None:
    """Without reading ahead, the rounds alone find every entry the answers read."""
    monkeypatch.setattr(incremental, "KEEP_PRIOR", keep_prior)
    if not read_ahead:
        monkeypatch.setattr(nearby_impact, "_around", lambda *args: set())
    directory = RandomDirectory(tmp_path / "repo", seed)
    repo = directory.repo
    routing(repo)  # judged whole: the index the next rounds start from
    done, moved = [], 0
    for round_ in range(14):
        done += [directory.edit() for _ in range(directory.rng.randint(1, 3))]
        warm, cold = routing(repo), cold_routing(repo)
        assert warm == cold, f"seed {seed}, round {round_}: {done}"
        moved += bool(warm)
    assert moved, "no round moved mail: the test proves nothing"
    assert nearby and sum(nearby) >= len(nearby) * 3 // 4, nearby  # the way under test


def test_a_warm_plan_routes_without_loading_the_whole_state(tmp_path: Path) -> None:
    """Loading the whole state through the entry cache stores the entries it had to
    parse (`entries.marshal`): with the cache of parsed entries gone, a warm plan that
    asks only the entries near the change never writes it again."""
    repo = forward_added(tmp_path)
    first = routing(repo)  # judges the head state whole: the index is kept
    entries = repo.root / ".git" / "ldifctl" / "entries.marshal"
    assert entries.exists()
    entries.unlink()
    (repo.root / ".git" / "ldifctl" / "routing.json").unlink()  # resolved again, not kept
    assert routing(repo) == first == cold_routing(repo)
    assert [r["address"] for r in first] == ["one.alt@h1.test"]
    assert not entries.exists()


def test_the_first_plan_after_validate_routes_near_the_change(
    tmp_path: Path, nearby: list[bool]
) -> None:
    """pre-commit's `validate` judged the state whole; the first `plan` takes the index
    from that judgement and never loads the whole state (`entries.marshal`, the cache of
    parsed entries, is not written again)."""
    repo = forward_added(tmp_path)
    assert run(repo, "validate")[0] == 0
    cache = repo.root / ".git" / "ldifctl"
    assert not (cache / "judged-plan.marshal").exists()
    (cache / "entries.marshal").unlink()
    warm = routing(repo)
    assert nearby == [True]
    assert not (cache / "entries.marshal").exists()
    assert warm == cold_routing(repo)
    assert [r["address"] for r in warm] == ["one.alt@h1.test"]


@pytest.mark.parametrize("edit", ["domain entry", "catch-all", "table order"])
def test_where_the_index_cannot_tell_the_whole_states_answer(
    tmp_path: Path, edit: str, nearby: list[bool]
) -> None:
    """A hosted domain edited or a catch-all key: the way near the change is refused
    (the whole states answer); a change of the `mail:` tables never asks it."""
    people = {
        "one": mail_person("one", mail="one@h1.test", mailAlias="two.alt@h1.test"),
        "two": mail_person(
            "two",
            mail="two@h2.test",
            mailAlternateAddress="two.alt@h1.test",
            mailForwardingAddress="ext@far.test",
        ),
    }
    repo = mail_repo(tmp_path, people, domains=("h1.test", "h2.test"))
    routing(repo)  # judged whole: the index is kept
    if edit == "domain entry":
        repo.remove("dc=h2.test,ou=Domains,dc=example,dc=net")
    elif edit == "catch-all":
        two = repo.path(f"cn=two,{PEOPLE_DN}")
        two.write_text(two.read_text().replace("two.alt@h1.test", "@h1.test"))
    else:
        config = repo.root / "ldifctl.yaml"
        text = config.read_text()
        aliases = text[text.index("    - search_base: ou=people", text.index("virtual_alias")) :]
        assert aliases.count("- search_base") == 2
        second = aliases.index("    - search_base", 1)
        config.write_text(text.replace(aliases, aliases[second:] + aliases[:second]))
    warm = routing(repo)
    assert warm == cold_routing(repo)
    assert warm, "the edit moves mail"
    assert nearby == ([] if edit == "table order" else [False])
