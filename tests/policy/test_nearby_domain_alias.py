"""The routing impact of a warm `plan` is the whole states' impact when domain aliases
(`@a1.test -> @example.org`: each user goes to the same user at the other domain)
come and go among the random edits of test_nearby_impact.py: a domain alias is a
catch-all key, where the way near the change must refuse and the whole states answer.
Where the checks refuse a state (with a catch-all about, a forward to an extension of an
address that leads back to it makes a longer address at every hop), `plan` prints the
refusal, warm and cold alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import test_nearby_impact
from mail_kit import domain
from repo_kit import DirectoryRepo, run
from test_incremental import HOSTED, RandomDirectory
from test_nearby_impact import nearby

from ldifctl.policy import incremental

__all__ = ["nearby"]  # the fixture, used by name

ALIASED = ("a1.test", "a2.test")
ALIAS = "cn=dalias,ou=people,dc=example,dc=net"


class WithDomainAliases(RandomDirectory):
    def __init__(self, root: Path, seed: int) -> None:
        super().__init__(root, seed)
        for name in ALIASED:
            self.repo.write(f"dc={name},ou=Domains,dc=example,dc=net", domain(name))
        self.repo.commit("the aliased domains")

    def edit(self) -> str:
        """One random edit; now and then a domain alias added, retargeted or removed."""
        if self.rng.random() >= 0.3:
            return super().edit()
        if self.repo.path(ALIAS).exists() and self.rng.random() < 0.4:
            self.repo.remove(ALIAS)
            return "domain alias removed"
        source = self.rng.choice(ALIASED)
        target = self.rng.choice([*HOSTED, *(a for a in ALIASED if a != source)])
        self.repo.write(
            ALIAS,
            f"dn: {ALIAS}\nobjectClass: [inetOrgPerson, mailRecipient]\ncn: dalias\n"
            f"sn: Alias\nmailAlternateAddress: '@{source}'\nmailForwardingAddress: '@{target}'\n",
        )
        return f"domain alias @{source} -> @{target}"


def routing(repo: DirectoryRepo) -> Any:
    """The plan's routing, or the refusal it prints instead."""
    code, out, err = run(repo, "plan", "--format", "json")
    assert code in (0, 1), err
    return json.loads(out)["routing"] if out else err


def cold_routing(repo: DirectoryRepo) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(test_nearby_impact, "routing", routing)
        return test_nearby_impact.cold_routing(repo)


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_nearby_routing_is_the_whole_states_routing_with_domain_aliases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, nearby: list[bool]
) -> None:
    monkeypatch.setattr(incremental, "KEEP_PRIOR", 0 if seed % 2 else incremental.KEEP_PRIOR)
    directory = WithDomainAliases(tmp_path / "repo", seed)
    repo = directory.repo
    routing(repo)  # judged whole: the index the next rounds start from
    done: list[str] = []
    aliased = 0
    for round_ in range(12):
        done += [directory.edit() for _ in range(directory.rng.randint(1, 3))]
        warm, cold = routing(repo), cold_routing(repo)
        assert warm == cold, f"seed {seed}, round {round_}: {done}"
        moved = [r["address"] for r in warm] if isinstance(warm, list) else []
        aliased += any(a.endswith(ALIASED) and a[0] != "@" for a in moved)
    assert aliased, "no round moved a user of an aliased domain: the test proves nothing"
    assert False in nearby, nearby  # a domain alias: the whole states answered
