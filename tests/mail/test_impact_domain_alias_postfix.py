"""Routing impact through a chain of domain aliases, against a running Postfix: every
address the plan lists as moved routes in Postfix, before and after, as the plan says;
and the users the domain aliases send on are listed (test_impact_domain_alias.py)."""

from __future__ import annotations

from pathlib import Path

from mail_kit import mail_repo, mail_with, person
from postfix_kit import RunningPostfix, point_at, resolved, serve, write_tables
from servers import LdapServer
from test_impact_domain_alias import HOSTED, dn, domain_alias, forward
from test_impact_postfix import as_routing, plan_routing

MAIL = mail_with(virtual_alias_recursion_limit="20", virtual_alias_expansion_limit="50")


def test_what_the_plan_lists_through_domain_aliases_is_what_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix
) -> None:
    """h5.test -> h4.test -> h1.test, and h2.test -> h1.test with sales@h2.test its own:
    sales@ is retargeted and dave@h1.test gets a mailbox."""
    people = {
        "dalias": domain_alias("dalias", "h4.test", "h1.test"),
        "five": domain_alias("five", "h5.test", "h4.test"),
        "two": domain_alias("two", "h2.test", "h1.test"),
        "own": forward("own", "sales@h2.test", "carol@h1.test"),
        "sales": forward("sales", "sales@h1.test", "bob@h1.test"),
        "bob": person("bob", mail="bob@h1.test"),
        "carol": person("carol", mail="carol@h1.test"),
    }
    repo = mail_repo(tmp_path, people, domains=HOSTED, mail=MAIL)
    point_at(repo, clean_slapd)
    repo.commit("the base, served by slapd")
    repo.write(dn("sales"), forward("sales", "sales@h1.test", "carol@h1.test"))
    repo.write(dn("dave"), person("dave", mail="dave@h1.test"))
    impact = plan_routing(repo)
    assert sorted(impact) == [
        *(f"dave@{d}" for d in ("h1.test", "h2.test", "h4.test", "h5.test")),
        *(f"sales@{d}" for d in ("h1.test", "h4.test", "h5.test")),
    ]
    addresses = sorted(impact)
    serve(repo, clean_slapd, "HEAD")
    write_tables(repo, postfix)
    before = postfix.probe(addresses)
    serve(repo, clean_slapd)
    after = postfix.probe(addresses)
    said = resolved(repo, addresses, "HEAD")  # `unknown`: Postfix answers as resolve does
    for address, item in impact.items():
        expected = as_routing(item["before"])
        assert before[address] == (said[address] if expected.status == "unknown" else expected)
        assert after[address] == as_routing(item["after"]), address
