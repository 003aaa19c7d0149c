"""Routing impact through domain aliases: `@h4.test -> @h1.test` sends user@h4.test to
user@h1.test, so a change that moves user@h1.test moves user@h4.test too, unless h4.test
claims user@h4.test itself (Postfix tries that key first). The whole-state answer is
held to every address of every hosted domain routed in both states, on random changes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from mail_kit import load, mail_repo, mail_with, person
from repo_kit import DirectoryRepo, run
from test_impact_kept import changed_sides

from ldifctl.mail.address_impact import UNRESOLVED, AddressImpact
from ldifctl.mail.columns import domain_aliases
from ldifctl.mail.columns.impact_view import LoadedState
from ldifctl.mail.impact import outcome, routing_impact, steps
from ldifctl.mail.routing import Router
from ldifctl.mail.settings import MailConfig
from ldifctl.model.snapshot import Snapshot

PEOPLE = "ou=people,dc=example,dc=net"
HOSTED = ("h1.test", "h2.test", "h4.test", "h5.test")


def dn(cn: str) -> str:
    return f"cn={cn},{PEOPLE}"


def domain_alias(cn: str, source: str, target: str) -> str:
    return person(cn, mailAlternateAddress=f"@{source}", mailForwardingAddress=f"@{target}")


def forward(cn: str, alias: str, to: str) -> str:
    return person(cn, mailAlternateAddress=alias, mailForwardingAddress=to)


def repro(tmp_path: Path, mail: str | None = None, **more: str) -> DirectoryRepo:
    """The reviewer's directory: all of h4.test goes to the same user at h1.test."""
    people = {
        "dalias": domain_alias("dalias", "h4.test", "h1.test"),
        "sales": forward("sales", "sales@h1.test", "bob@h1.test"),
        "bob": person("bob", mail="bob@h1.test"),
        "carol": person("carol", mail="carol@h1.test"),
        **more,
    }
    return mail_repo(tmp_path, people, domains=HOSTED, **({"mail": mail} if mail else {}))


def impact_lines(repo: DirectoryRepo) -> list[str]:
    code, _, err = run(repo, "plan")
    assert code == 0, err
    return err.splitlines()[1:]  # after the summary


def test_a_retargeted_forward_moves_its_address_in_the_aliased_domain(tmp_path: Path) -> None:
    repo = repro(tmp_path)
    repo.write(dn("sales"), forward("sales", "sales@h1.test", "carol@h1.test"))
    assert impact_lines(repo) == [
        "sales@h1.test: bob@h1.test (mailbox) -> carol@h1.test (mailbox)",
        "sales@h4.test: bob@h1.test (mailbox) -> carol@h1.test (mailbox)",
    ]


def test_a_new_mailbox_is_delivered_to_from_the_aliased_domain(tmp_path: Path) -> None:
    repo = repro(tmp_path)
    repo.write(dn("dave"), person("dave", mail="dave@h1.test"))
    assert impact_lines(repo) == [
        "dave@h1.test: unknown -> dave@h1.test (mailbox)",
        "dave@h4.test: dave@h1.test (undeliverable) -> dave@h1.test (mailbox)",
    ]


def test_aliases_of_aliases_are_followed_and_an_own_claim_decides(tmp_path: Path) -> None:
    """h5.test -> h4.test -> h1.test; h2.test -> h1.test, but h2.test claims sales@h2.test
    itself (and h5.test claims bob@h5.test): neither moves."""
    repo = repro(
        tmp_path,
        five=domain_alias("five", "h5.test", "h4.test"),
        two=domain_alias("two", "h2.test", "h1.test"),
        own=forward("own", "sales@h2.test", "far@elsewhere.test"),
        bob5=forward("bob5", "bob@h5.test", "far@elsewhere.test"),
    )
    repo.write(dn("sales"), forward("sales", "sales@h1.test", "carol@h1.test"))
    repo.write(dn("dave"), person("dave", mail="dave@h1.test"))
    moved = [line.partition(":")[0] for line in impact_lines(repo)]
    assert moved == [
        "dave@h1.test", "dave@h2.test", "dave@h4.test", "dave@h5.test",
        "sales@h1.test", "sales@h4.test", "sales@h5.test",
    ]


def test_the_way_through_domain_aliases_stops_at_the_nesting_limit(tmp_path: Path) -> None:
    """h4 <- h5 <- h2 (a chain into h1): with a nesting limit of 2, sales@h2.test is
    three alias lookups from its mailbox; Postfix defers it in both states."""
    chain = {"five": domain_alias("five", "h5.test", "h4.test")}
    chain["two"] = domain_alias("two", "h2.test", "h5.test")
    repo = repro(tmp_path, mail_with(virtual_alias_recursion_limit="2"), **chain)
    old, mail = load(repo)
    view = LoadedState(Router(old, mail))
    assert view.referrers({"sales@h1.test"}) == {"sales@h4.test", "sales@h5.test"}
    repo.write(dn("sales"), forward("sales", "sales@h1.test", "carol@h1.test"))
    assert [line.partition(":")[0] for line in impact_lines(repo)] == [
        "sales@h1.test", "sales@h4.test"
    ]


def test_a_long_chain_of_domain_aliases_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the bound on the addresses named, every domain whose users are not all
    named is reported unresolved, once; each domain is gone through once."""
    domains = [f"d{i}.test" for i in range(200)]
    chain = {
        f"c{i}": domain_alias(f"c{i}", source, target)
        for i, (source, target) in enumerate(zip(domains, ["h1.test", *domains], strict=False))
    }
    repo = repro(tmp_path, mail_with(virtual_alias_recursion_limit="1000"), **chain)
    monkeypatch.setattr(domain_aliases, "MAX_NAMED", 452)
    old, mail = load(repo)
    repo.write(dn("sales"), forward("sales", "sales@h1.test", "carol@h1.test"))
    found = whole_impact(old, load(repo)[0], mail)
    unresolved = {f"@{d}" for d in (*domains, "h4.test")}
    assert {i.address for i in found if i.before == i.after == UNRESOLVED} == unresolved
    named = [i.address for i in found if i.address.startswith("sales@")]
    assert "sales@h1.test" in named and len(named) == 51  # bob@, carol@ took 402
    assert len(found) == len(unresolved) + len(named)


def whole_impact(old: Snapshot, new: Snapshot, mail: MailConfig) -> list[AddressImpact]:
    sides = changed_sides(old, new)
    views = LoadedState(Router(old, mail)), LoadedState(Router(new, mail))
    return routing_impact(*views, [*sides[0], *sides[1]])


# --- The whole-state answer, held to every address routed in both states.


def someone(rng: random.Random, cn: str) -> str:
    """A mailbox, a forward or a domain alias among the hosted domains."""
    attrs: dict[str, str | list[str]] = {}
    roll = rng.random()
    if roll < 0.45:
        attrs["mail"] = f"{rng.choice(USERS)}@{rng.choice(HOSTED)}"
    if roll > 0.3:
        local = rng.choice(["", "", *USERS])
        attrs["mailAlternateAddress"] = f"{local}@{rng.choice(HOSTED)}"
        target = rng.choice(HOSTED if not local else (*USERS, "far"))
        attrs["mailForwardingAddress"] = (
            f"@{target}" if not local else f"{target}@{rng.choice(HOSTED)}"
        )
    return person(cn, **attrs)


USERS = ("u0", "u1", "u2", "u3")


EVERY_ADDRESS = sorted(f"{u}@{d}" for u in (*USERS, "far") for d in HOSTED)


def brute_force(old: Snapshot, new: Snapshot, mail: MailConfig) -> set[str]:
    """Every user of every hosted domain whose route differs."""
    routers = Router(old, mail), Router(new, mail)
    found = set()
    for address in EVERY_ADDRESS:
        routes = [r.resolve(address) if _known(r, address) else None for r in routers]
        if outcome(routes[0]) != outcome(routes[1]) or steps(routes[0]) != steps(routes[1]):
            found.add(address)
    return found


def _known(router: Router, address: str) -> bool:
    return (router.find(router.alias_tables, address) or router.mailbox(address)) is not None


def _values(*states: Snapshot) -> set[str]:
    return {
        value.decode().lower()
        for state in states
        for entry in state
        for values in entry.attrs.values()
        for value in values
    }


def test_every_user_a_change_moves_through_domain_aliases_is_reported(tmp_path: Path) -> None:
    """A user no entry names, moved by a changed catch-all of its domain, is reported as
    that `@domain` key (test_impact.py); every other user that moves is reported."""
    aliased = 0
    for seed in range(30):
        rng = random.Random(seed)
        people = {f"p{i}": someone(rng, f"p{i}") for i in range(8)}
        repo = mail_repo(tmp_path / str(seed), people, domains=HOSTED)
        old, mail = load(repo)
        for cn in rng.sample(sorted(people), rng.randint(1, 3)):
            repo.write(dn(cn), someone(rng, cn))
        new, _ = load(repo)
        found = {i.address for i in whole_impact(old, new, mail)}
        moved, named = brute_force(old, new, mail), _values(old, new)
        stand_for = {a for a in moved if a not in named and f"@{a.partition('@')[2]}" in found}
        assert moved - stand_for <= found, f"seed {seed}"
        assert {a for a in found if not a.startswith("@")} <= moved, f"seed {seed}"
        aliased += any(a not in named for a in found)
    assert aliased >= 10, aliased
