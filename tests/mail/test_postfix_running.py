"""`ldifctl resolve` agrees with a running Postfix (`sendmail -bv`) on every address: the
final recipients and the status, with the table files `postfix-maps` wrote, unchanged."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mail_kit import (
    QUOTED_EXTENSION_DOMAINS,
    cycle_broken_people,
    example_repo,
    mail_repo,
    mail_with,
    person,
    quoted_extension_people,
    router,
)
from postfix_kit import (
    PLAIN_ADDRESS,
    Routing,
    RunningPostfix,
    point_at,
    resolved,
    serve,
    write_tables,
)
from repo_kit import DirectoryRepo
from servers import LdapServer
from test_postfix_real import every_key, generated_people

# A bounded number of random directories per run (each costs Postfix about a second);
# LDIFCTL_POSTFIX_EXAMPLES=200 explores more.
EXAMPLES = int(os.environ.get("LDIFCTL_POSTFIX_EXAMPLES", "10"))
HOSTED = ("h1.test", "h2.test", "h3.test", "h4.test", "h5.test")
GROUPS = "ou=groups,dc=example,dc=net"

# Every table shape of the README: two seed setups, a group table, a %u table limited by a
# domain list with a result_format; Debian's recipient_delimiter. Low expansion limits (the
# same in ldifctl.yaml and main.cf) make a loop cost Postfix 20 lookups, not 1000.
SHAPES_MAIL = mail_with(
    f"""\
    - search_base: {GROUPS}
      query_filter: (&(objectClass=groupOfNames)(mail=%s))
      result_attribute: mailRoutingAddress
      special_result_attribute: member
      leaf_result_attribute: mail
    - search_base: ou=people,dc=example,dc=net
      query_filter: (uid=%u)
      domain: h2.test
      result_attribute: uid
      result_format: '%s@h1.test'
""",
    recipient_delimiter="+",
    virtual_alias_recursion_limit="20",
    virtual_alias_expansion_limit="50",
)

# Each routing shape, by the entry that makes it.
SHAPES = {
    "case": person(
        "bob",
        mail="Bob@H1.test",
        mailAlternateAddress="robert@h1.test",
        mailForwardingAddress="Bob@H1.test",
    ),
    "mailbox and %u": person("carol", mail="carol@h1.test", uid="carol"),
    "comment": person(
        "dave",
        mail="dave@h1.test",
        mailAlternateAddress="david@h2.test",
        mailForwardingAddress="dave@h1.test (Dave)",
    ),
    "multi-hop 1": person(
        "hop1", mailAlternateAddress="a1@h2.test", mailForwardingAddress="a2@h2.test"
    ),
    "multi-hop 2": person(
        "hop2", mailAlternateAddress="a2@h2.test", mailForwardingAddress="A3@h2.test"
    ),
    "multi-hop 3": person(
        "hop3", mailAlternateAddress="a3@h2.test", mailForwardingAddress="carol@h1.test"
    ),
    "fan-out, display name, external": person(
        "list",
        mailAlternateAddress="list@h2.test",
        mailForwardingAddress=["Carol C <carol@h1.test>", "bob@h1.test", "Friend@EXT.test"],
    ),
    "loop 1": person(
        "loop1", mailAlternateAddress="loop1@h2.test", mailForwardingAddress="loop2@h2.test"
    ),
    "loop 2": person(
        "loop2", mailAlternateAddress="loop2@h2.test", mailForwardingAddress="LOOP1@h2.test"
    ),
    "loop with fan-out 1": person(
        "fan1",
        mailAlternateAddress="fan1@h2.test",
        mailForwardingAddress=["fan2@h2.test", "carol@h1.test"],
    ),
    "loop with fan-out 2": person(
        "fan2",
        mailAlternateAddress="fan2@h2.test",
        mailForwardingAddress=["fan1@h2.test", "bob@h1.test"],
    ),
    "self-forward": person(
        "self", mailAlternateAddress="self@h2.test", mailForwardingAddress="self@h2.test"
    ),
    "table order": person(
        "order",
        mail="order.box@h1.test",
        mailAlias="order@h2.test",
        mailAlternateAddress="order@h2.test",
        mailForwardingAddress="bob@h1.test",
    ),
    "catch-all": person(
        "catchall",
        mail="catchall@h1.test",
        mailAlternateAddress="@h3.test",
        mailForwardingAddress="catchall@h1.test",
    ),
    "beats the catch-all": person(
        "known", mailAlternateAddress="known@h3.test", mailForwardingAddress="bob@h1.test"
    ),
    "domain alias": person("h4", mailAlternateAddress="@h4.test", mailForwardingAddress="@h1.test"),
    "extension in a forward": person(
        "sales", mailAlternateAddress="sales@h2.test", mailForwardingAddress="bob+sales@h1.test"
    ),
    "extension in a key": person(
        "help", mailAlternateAddress="info+help@h2.test", mailForwardingAddress="carol@h1.test"
    ),
    "dangling": person(
        "dangle", mailAlternateAddress="dangle@h2.test", mailForwardingAddress="ghost@h1.test"
    ),
    "mailbox catch-all": person("h5", mail="@h5.test"),
}
GROUP = f"""\
dn: cn=team,{GROUPS}
objectClass: [groupOfNames, mailRecipient]
cn: team
mail: team@h2.test
member:
  - cn=bob,ou=people,dc=example,dc=net
  - cn=carol,ou=people,dc=example,dc=net
"""
GROUPS_OU = f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n"


def shapes_repo(tmp_path: Path) -> DirectoryRepo:
    people = {entry.split(",")[0].removeprefix("dn: cn="): entry for entry in SHAPES.values()}
    repo = mail_repo(tmp_path, people, HOSTED, SHAPES_MAIL)
    repo.populate({GROUPS: GROUPS_OU, f"cn=team,{GROUPS}": GROUP})
    return repo


def probes(repo: DirectoryRepo) -> list[str]:
    """Every address in the state, as written and in other spellings Postfix meets: upper
    case, with an extension, and users no table names in every domain."""
    written = [k for k in every_key(router(repo)) if PLAIN_ADDRESS.fullmatch(k)]
    tagged = [f"{local}+tag@{domain}" for local, _, domain in (a.rpartition("@") for a in written)]
    domains = {a.rpartition("@")[2].lower() for a in written}
    strangers = [f"{u}@{d}" for u in ("nobody", "Zed+x") for d in sorted(domains)]
    return list(dict.fromkeys(written + tagged + strangers))


class Disagreement(NamedTuple):
    """Named, so that a failure says which side is which."""

    postfix: Routing
    ldifctl: Routing


def disagreements(
    repo: DirectoryRepo, addresses: list[str], postfix: RunningPostfix
) -> dict[str, Disagreement]:
    real = postfix.probe(addresses)
    predicted = resolved(repo, addresses)
    return {a: Disagreement(real[a], predicted[a]) for a in addresses if real[a] != predicted[a]}


def test_every_routing_shape_routes_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix
) -> None:
    repo = shapes_repo(tmp_path)
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    assert write_tables(repo, postfix).splitlines()[-3:] == [
        "recipient_delimiter = +",
        "virtual_alias_expansion_limit = 50",
        "virtual_alias_recursion_limit = 20",
    ]
    addresses = probes(repo)
    assert disagreements(repo, addresses, postfix) == {}


def test_the_example_routes_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix
) -> None:
    repo = example_repo(tmp_path)
    repo.populate(generated_people(60))
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    write_tables(repo, postfix)
    addresses = probes(repo)
    assert disagreements(repo, addresses, postfix) == {}


# --- Random directories.

LOCALS = ("a", "b", "c", "d")
DOMAINS = ("h1.test", "h2.test", "x.test")  # x.test is nobody's: mail to it leaves


@st.composite
def addresses(draw: st.DrawFn, catch_all: bool = False) -> str:
    """An address from a small pool (so that forwards meet), in any case, maybe with an
    extension; a catch-all `@domain` where one may stand."""
    domain = draw(st.sampled_from(DOMAINS[:2] if catch_all else DOMAINS))
    if catch_all and draw(st.integers(0, 5)) == 0:
        return f"@{domain}"
    local = draw(st.sampled_from(LOCALS))
    local += draw(st.sampled_from(("", "", "", "+x", "-y")))
    text = f"{local}@{domain}"
    return text.upper() if draw(st.integers(0, 5)) == 0 else text


@st.composite
def forwards(draw: st.DrawFn) -> list[str]:
    """Forwarding values: addresses, some with a display name; or `@domain` alone (a value
    that starts with @domain is the user at that domain only when it is the only one)."""
    if draw(st.integers(0, 7)) == 0:
        return [draw(st.sampled_from(("@h1.test", "@x.test")))]
    targets = draw(st.lists(addresses(), min_size=1, max_size=3))
    named = draw(st.lists(st.booleans(), min_size=len(targets), max_size=len(targets)))
    return [f"Some One <{t}>" if n else t for t, n in zip(targets, named, strict=True)]


def distinct(values: list[str]) -> list[str]:
    """One of each value but for case (the server holds them case-insensitively)."""
    return list({v.lower(): v for v in values}.values())


@st.composite
def people(draw: st.DrawFn) -> dict[str, str]:
    found = {}
    for i in range(draw(st.integers(1, 7))):
        attrs: dict[str, str | list[str]] = {}
        if draw(st.booleans()):
            attrs["mail"] = draw(addresses(catch_all=True))
            if draw(st.integers(0, 3)) == 0:
                attrs["mailAlias"] = draw(addresses(catch_all=True))
        alternates = distinct(draw(st.lists(addresses(catch_all=True), max_size=2)))
        targets = distinct(draw(forwards()))
        if alternates:
            attrs |= {"mailAlternateAddress": alternates, "mailForwardingAddress": targets}
        found[f"p{i}"] = person(f"p{i}", **attrs)
    return found


# Two catch-alls give "@h1.test,@h1.test": Postfix strips the extension inside the quotes
# of `"A+tag@h1.test,"@h1.test` (found as A@h1.test, which gives it back); ldifctl did not,
# asked the h1.test catch-all and saw a loop.
QUOTED_EXTENSION = {
    "p0": person(
        "p0", mailAlternateAddress=["@h2.test", "A@H1.TEST"], mailForwardingAddress="@h1.test"
    ),
    "p1": person("p1"),
    "p2": person(
        "p2", mailAlternateAddress=["@h2.test", "@h1.test"], mailForwardingAddress="@h1.test"
    ),
    "p3": person(
        "p3", mail="@h1.test", mailAlternateAddress="@h1.test", mailForwardingAddress="A@H2.TEST"
    ),
}


# Found by 200 random directories: A@H1.TEST -> (the catch-all results, prefixed) ->
# @h1.test's D@H1.TEST -> {A@H1.TEST, D@H1.TEST}. D expands into itself, so Postfix stops
# at D on the second round and delivers to D's mailbox; ldifctl called the cycle a loop.
CYCLE_BROKEN_AT_ITSELF = {
    "p0": person(
        "p0", mail="@h1.test", mailAlias="A@H1.TEST", mailAlternateAddress="A@H1.TEST",
        mailForwardingAddress="@h1.test",
    ),
    "p1": person(
        "p1", mail="@h1.test", mailAlias="A@H1.TEST", mailAlternateAddress="D@H1.TEST",
        mailForwardingAddress="A@H1.TEST",
    ),
    "p5": person(
        "p5", mailAlternateAddress=["@h1.test", "D@H1.TEST"], mailForwardingAddress="D@H1.TEST"
    ),
}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(people(), st.sampled_from(("", "+", "+-")))
@example(people=QUOTED_EXTENSION, delimiter="+-")
@example(people=CYCLE_BROKEN_AT_ITSELF, delimiter="")
def test_random_directories_route_as_postfix_does(
    tmp_path_factory: pytest.TempPathFactory,
    slapd: LdapServer,
    postfix: RunningPostfix,
    people: dict[str, str],
    delimiter: str,
) -> None:
    repo = mail_repo(
        tmp_path_factory.mktemp("random"),
        people,
        DOMAINS[:2],
        mail_with(
            recipient_delimiter=delimiter,
            virtual_alias_recursion_limit="20",
            virtual_alias_expansion_limit="50",
        ),
    )
    point_at(repo, slapd)
    serve(repo, slapd)
    write_tables(repo, postfix)
    assert disagreements(repo, probes(repo), postfix) == {}


def test_a_revision_and_the_working_tree_route_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix
) -> None:
    """What a plan's routing impact needs: the state before and after, each served to
    the same tables (no reload: Postfix looks every key up afresh)."""
    repo = shapes_repo(tmp_path)
    point_at(repo, clean_slapd)
    repo.commit("the shapes")
    repo.write(
        "cn=list,ou=people,dc=example,dc=net",
        person("list", mailAlternateAddress="list@h2.test", mailForwardingAddress="dave@h1.test"),
    )
    addresses = ["list@h2.test", "LIST+x@h2.test"]
    serve(repo, clean_slapd, "HEAD")
    write_tables(repo, postfix)
    before = postfix.probe(addresses)
    serve(repo, clean_slapd)
    after = postfix.probe(addresses)
    assert (before, after) == (resolved(repo, addresses, "HEAD"), resolved(repo, addresses))
    assert before != after


@pytest.mark.parametrize("schema", ["mailRecipient", "postfix-book"])
def test_an_extension_inside_a_quoted_user_part_routes_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix, schema: str
) -> None:
    people = quoted_extension_people(schema)
    mail = mail_with(recipient_delimiter="+")
    repo = mail_repo(tmp_path, people, QUOTED_EXTENSION_DOMAINS, mail)
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    write_tables(repo, postfix)
    addresses = ["a+t@h4.test", "a@h4.test", "A+x@H1.TEST", "nobody+t@h4.test"]
    assert postfix.probe(addresses[:1]) == {
        "a+t@h4.test": Routing("delivered", (('"a+t@h1.test,"@h1.test', "mailbox"),))
    }
    assert disagreements(repo, addresses, postfix) == {}


@pytest.mark.parametrize("schema", ["mailRecipient", "postfix-book"])
def test_a_cycle_through_an_address_that_expands_into_itself_routes_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix, schema: str
) -> None:
    repo = mail_repo(tmp_path, cycle_broken_people(schema), ("h1.test",))
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    write_tables(repo, postfix)
    addresses = ["a@h1.test", "X@H1.TEST", "d@h1.test"]
    assert {a: p.status for a, p in postfix.probe(addresses).items()} == dict.fromkeys(
        addresses, "delivered")
    assert disagreements(repo, addresses, postfix) == {}
