"""A plan's routing impact against a running Postfix: with slapd holding the base and
then the change, `sendmail -bv` reports before and after what the plan said, and every
address the plan leaves out routes the same in both states."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mail_kit import mail_repo, mail_with
from postfix_kit import Routing, RunningPostfix, point_at, resolved, serve, write_tables
from repo_kit import DirectoryRepo, run
from servers import LdapServer
from test_impact import account, dn, forwarder

# Low limits (the same in ldifctl.yaml and main.cf) make a loop cost Postfix 20 lookups.
MAIL = mail_with(virtual_alias_recursion_limit="20", virtual_alias_expansion_limit="50")
PEOPLE = ("alice", "bob", "carol")


def retargeted(schema: str) -> tuple[dict[str, str], dict[str, str]]:
    fwd = forwarder("list", schema, "list@example.org", "alice@example.org")
    return {"list": fwd}, {"list": fwd.replace("alice@", "bob@")}


def new_loop(schema: str) -> tuple[dict[str, str], dict[str, str]]:
    x = forwarder("x", schema, "x@example.org", "y@example.org")
    y = forwarder("y", schema, "y@example.org", "alice@example.org")
    return {"x": x, "y": y}, {"y": y.replace("alice@", "x@")}


def moved_alias(schema: str) -> tuple[dict[str, str], dict[str, str]]:
    return (
        {"alice": account("alice", schema, ("sales@example.org",))},
        {"alice": account("alice", schema), "bob": account("bob", schema, ("sales@example.org",))},
    )


Scenario = Callable[[str], tuple[dict[str, str], dict[str, str]]]


def changed_repo(root: Path, slapd: LdapServer, scenario: Scenario, schema: str) -> DirectoryRepo:
    before, after = scenario(schema)
    people = {cn: account(cn, schema) for cn in PEOPLE} | before
    repo = mail_repo(root, people, mail=MAIL)
    point_at(repo, slapd)
    repo.commit("the base, served by slapd")
    for cn, text in after.items():
        repo.write(dn(cn), text)
    return repo


def plan_routing(repo: DirectoryRepo) -> dict[str, dict[str, Any]]:
    code, out, err = run(repo, "plan", "--format", "json")
    assert code in (0, 1), err
    return {item["address"]: item for item in json.loads(out)["routing"]}


def as_routing(r: dict[str, Any]) -> Routing:
    found = ((d["address"], d["kind"]) for d in r["destinations"])
    return Routing(r["status"], tuple(sorted(found)))


ADDRESS_ATTRIBUTES = ("mail", "mailAlias", "mailAlternateAddress", "mailForwardingAddress")


def known_addresses(repo: DirectoryRepo, impact: dict[str, dict[str, Any]]) -> list[str]:
    """Every address an entry of either state holds, and those the plan reports."""
    found = set(impact)
    for rev in ("HEAD", "worktree"):
        for line in run(repo, "export", "--rev", rev)[1].splitlines():
            name, _, value = line.partition(": ")
            if name in ADDRESS_ATTRIBUTES and "@" in value:
                found.add(value.lower())
    return sorted(found)


@pytest.mark.parametrize("schema", ["postfix-book", "389"])
@pytest.mark.parametrize("scenario", [retargeted, new_loop, moved_alias], ids=lambda s: s.__name__)
def test_before_and_after_are_what_postfix_does(
    tmp_path: Path,
    clean_slapd: LdapServer,
    postfix: RunningPostfix,
    scenario: Scenario,
    schema: str,
) -> None:
    repo = changed_repo(tmp_path, clean_slapd, scenario, schema)
    impact = plan_routing(repo)
    assert impact  # each scenario moves mail
    addresses = known_addresses(repo, impact)
    serve(repo, clean_slapd, "HEAD")
    write_tables(repo, postfix)
    before = postfix.probe(addresses)
    serve(repo, clean_slapd)
    after = postfix.probe(addresses)
    # `unknown` is the plan's word for an address no table knows: Postfix answers for it
    # as `resolve` does.
    said_before = resolved(repo, addresses, "HEAD")
    said_after = resolved(repo, addresses)
    for address in addresses:
        if address not in impact:  # left out: Postfix routes it the same in both states
            assert before[address] == after[address], address
            continue
        item = impact[address]
        for state, real, said in (("before", before, said_before), ("after", after, said_after)):
            expected = as_routing(item[state])
            if expected.status == "unknown":
                expected = said[address]
            assert real[address] == expected, (address, state)
