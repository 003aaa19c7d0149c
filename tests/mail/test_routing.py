"""The mail: section, table lookups as Postfix does them, alias expansion and `resolve`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mail_kit import (
    CONFIG,
    MAIL,
    QUOTED_EXTENSION_DOMAINS,
    cycle_broken_people,
    example_repo,
    load,
    mail_repo,
    mail_with,
    person,
    quoted_extension_people,
    router,
)
from repo_kit import DirectoryRepo, run

from ldifctl.mail.addresses import split_extension
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.routing import Router
from ldifctl.mail.tables import Table
from ldifctl.model.errors import LdifctlError
from ldifctl.repo.settings.mail import parse_mail
from ldifctl.repo.workspace import open_workspace

# --- The mail: section.


def mail_error(tmp_path: Path, mail: str) -> str:
    (tmp_path / "ldifctl.yaml").write_text(CONFIG + mail)
    with pytest.raises(LdifctlError) as err:
        parse_mail(open_workspace(tmp_path, {}).config.mail)
    return str(err.value)


def alias_table(**fields: str) -> str:
    body = {
        "search_base": "ou=people,dc=example,dc=net",
        "query_filter": "(mail=%s)",
        "result_attribute": "mail",
        **fields,
    }
    lines = [
        f"      {k}: {v!r}" if i else f"    - {k}: {v!r}" for i, (k, v) in enumerate(body.items())
    ]
    return "mail:\n  virtual_alias_maps:\n" + "\n".join(lines) + "\n"


def test_the_example_tables_parse_with_postfix_defaults(tmp_path: Path) -> None:
    (tmp_path / "ldifctl.yaml").write_text(CONFIG + MAIL)
    mail = parse_mail(open_workspace(tmp_path, {}).config.mail)
    second = mail.virtual_alias_maps[1]
    assert (second.name, second.line, second.scope, second.result_format) == (
        "virtual_alias_maps[2]",
        20,
        "sub",
        "%s",
    )
    assert second.result_attributes == ("mailForwardingAddress",)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"serch_base": "x"},
            "ldifctl.yaml:12: unknown key 'serch_base' in "
            "mail.virtual_alias_maps[1] (did you mean 'search_base'?): the allowed keys are "
            "search_base, query_filter, result_attribute, scope, result_format, domain, "
            "special_result_attribute, terminal_result_attribute, leaf_result_attribute",
        ),
        (
            {"server_host": "ldap://x"},
            "ldifctl.yaml:12: mail.virtual_alias_maps[1].server_host: "
            "connection settings come from `server:` in ldifctl.yaml (postfix-maps writes them): "
            "remove it",
        ),
        (
            {"query_filter": "(mail=%s"},
            "ldifctl.yaml:10: mail.virtual_alias_maps[1].query_filter:"
            " expected ')' at character 7 of (mail=%s: fix the RFC 4515 filter",
        ),
        (
            {"query_filter": "(mail=x)"},
            "ldifctl.yaml:10: mail.virtual_alias_maps[1].query_filter "
            "has no %s, %u or %d: every key would get the same answer; put %s where the looked-up "
            "address goes",
        ),
        (
            {"scope": "subtree"},
            "ldifctl.yaml:12: mail.virtual_alias_maps[1].scope must be sub, "
            "one or base, got 'subtree'",
        ),
        (
            {"result_format": "%x"},
            "ldifctl.yaml:12: mail.virtual_alias_maps[1].result_format: "
            "unknown placeholder '%x': use %s, %u, %d (the result) or %S, %U, %D (the key)",
        ),
        (
            {"domain": "/etc/postfix/domains"},
            "ldifctl.yaml:12: mail.virtual_alias_maps[1].domain:"
            " '/etc/postfix/domains' is not a domain name (ldifctl evaluates plain names only, not "
            "files or tables)",
        ),
        (
            {"search_base": "ou=people,,dc=x"},
            "ldifctl.yaml:9: mail.virtual_alias_maps[1]."
            "search_base: 'ou=people,,dc=x' is not a valid DN: write it like ou=Mail,dc=example,"
            "dc=net",
        ),
    ],
)
def test_a_wrong_table_field_is_an_error_at_its_line(
    tmp_path: Path, fields: dict[str, str], message: str
) -> None:
    assert mail_error(tmp_path, alias_table(**fields)) == message


def test_unknown_table_kinds_and_missing_fields(tmp_path: Path) -> None:
    assert mail_error(tmp_path, "mail:\n  virtual_maps: []\n") == (
        "ldifctl.yaml:8: unknown key 'virtual_maps' in mail (did you mean 'virtual_alias_maps'?): "
        "the allowed keys are virtual_mailbox_domains, virtual_mailbox_maps, virtual_alias_maps, "
        "recipient_delimiter, virtual_alias_expansion_limit, virtual_alias_recursion_limit, "
        "bind_dn"
    )
    no_filter = "mail:\n  virtual_alias_maps:\n    - search_base: dc=x\n      result_attribute: m\n"
    assert mail_error(tmp_path, no_filter) == (
        "ldifctl.yaml:9: mail.virtual_alias_maps[1]: query_filter is missing: add it "
        "(see ldap_table(5))"
    )
    assert mail_error(tmp_path, "mail:\n  virtual_alias_maps:\n    search_base: x\n") == (
        "ldifctl.yaml:8: mail.virtual_alias_maps must be a list of tables (`- search_base: ...`)"
    )


# --- One table, as `postmap -q` answers.


@pytest.fixture
def example(tmp_path: Path) -> Router:
    return router(example_repo(tmp_path))


def test_the_seed_lookups(example: Router) -> None:
    postfix_book, mail_recipient = example.alias_tables
    assert postfix_book.result("superjohn@domain2.me") == ("johndoe@domain1.net",)
    assert postfix_book.result("SuperJohn@DOMAIN2.me") == ("johndoe@domain1.net",)
    assert mail_recipient.result("old.address@domain.com") == ("new.address@domain.ro",)
    assert mail_recipient.result("superjohn@domain2.me") is None
    assert example.domain_tables[0].result("domain1.net") == ("domain1.net",)
    assert example.mailbox_tables[0].result("janedoe@domain1.net") == ("janedoe@domain1.net",)


def test_a_key_cannot_widen_the_search(example: Router) -> None:
    assert example.alias_tables[1].result("*") is None
    assert example.alias_tables[1].result("*@company.com") is None
    assert example.alias_tables[1].result("info@company.com)(mail=*") is None


def test_several_entries_and_values_are_joined_in_server_order(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "a": person(
                "a",
                mailAlternateAddress="team@example.org",
                mailForwardingAddress=["z@example.org", "b@example.org"],
            ),
            "b": person(
                "b", mailAlternateAddress="team@example.org", mailForwardingAddress="a@x.net"
            ),
        },
    )
    table = router(repo).alias_tables[1]
    assert table.result("team@example.org") == ("b@example.org", "z@example.org", "a@x.net")


def custom_table(tmp_path: Path, people: dict[str, str], **fields: str) -> Table:
    repo = mail_repo(tmp_path, people, mail=alias_table(**fields))
    return router(repo).alias_tables[0]


def test_local_part_domain_and_label_placeholders(tmp_path: Path) -> None:
    people = {"u": person("u", uid="john", mail="john@example.org", ou="example")}
    by_uid = custom_table(tmp_path / "1", people, query_filter="(&(uid=%u)(mail=%u@%d))")
    assert by_uid.result("John@Example.org") == ("john@example.org",)
    assert by_uid.result("john") is None  # %d: a key without a domain is not looked up
    by_label = custom_table(tmp_path / "2", people, query_filter="(&(uid=%u)(ou=%2))")
    assert by_label.result("john@mail.example.org") == ("john@example.org",)
    assert by_label.result("john@org") is None  # too few labels for %2


def test_the_domain_list_restricts_the_keys_looked_up(tmp_path: Path) -> None:
    people = {"u": person("u", mail="john@example.org", uid="@example.org")}
    table = custom_table(tmp_path, people, domain="example.org, example.net")
    assert table.result("john@example.org") == ("john@example.org",)
    table = custom_table(tmp_path / "2", people, domain="example.net")
    assert table.result("john@example.org") is None


def test_result_format_and_skipped_values(tmp_path: Path) -> None:
    people = {"u": person("u", mail="john@example.org", uid="john")}
    table = custom_table(
        tmp_path, people, result_attribute="mail, uid", result_format="%u+%D@relay.example"
    )
    # uid has no @: with %u it stays whole; the key's domain is %D
    assert table.result("john@example.org") == (
        "john+example.org@relay.example",
        "john+example.org@relay.example",
    )
    with_domain = custom_table(
        tmp_path / "2", people, result_attribute="mail, uid", result_format="%d"
    )
    assert with_domain.result("john@example.org") == ("example.org",)  # uid has no domain


def test_terminal_and_special_result_attributes(tmp_path: Path) -> None:
    people = {
        "list": person(
            "list",
            mail="list@example.org",
            member=["cn=a,ou=people,dc=example,dc=net", "cn=b,ou=people,dc=example,dc=net"],
        ),
        "a": person("a", mail="a@example.org"),
        "b": person("b", mail="b@example.org", mailForwardingAddress="b@elsewhere.net"),
    }
    table = custom_table(
        tmp_path,
        people,
        special_result_attribute="member",
        terminal_result_attribute="mailForwardingAddress",
    )
    assert table.result("list@example.org") == (
        "list@example.org",
        "a@example.org",
        "b@elsewhere.net",
    )


def test_a_special_result_attribute_that_loops_fails_the_lookup(tmp_path: Path) -> None:
    a, b = "cn=a,ou=people,dc=example,dc=net", "cn=b,ou=people,dc=example,dc=net"
    people = {
        "a": person("a", mail="a@example.org", member=b),
        "b": person("b", mail="b@example.org", member=a),
    }
    repo = mail_repo(tmp_path, people, mail=alias_table(special_result_attribute="member"))
    assert run(repo, "resolve", "a@example.org") == (
        1,
        (
            "a@example.org\n"
            "  deferred      virtual_alias_maps[1]: special_result_attribute loops: "
            f"{a} -> {b} -> {a}\n"
            "deferred\n"
        ),
        "ldifctl.yaml:7: warning [mail-tables] mail: has no virtual_mailbox_domains, so no "
        "domain counts as hosted here and every final address is external\n",
    )


# --- Postfix's alias expansion, and resolve.


def route(repo: DirectoryRepo, address: str) -> tuple[list[str], list[tuple[str, str]], str]:
    found = router(repo).resolve(address)
    hops = [f"{h.address} -> {','.join(h.found.targets)}" for h in found.hops]
    return hops, [(d.address, d.kind) for d in found.destinations], " -> ".join(found.loop)


def test_an_address_that_maps_to_itself_is_delivered(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "a": person(
                "a",
                mail="a@example.org",
                mailAlternateAddress="a@example.org",
                mailForwardingAddress=["a@example.org", "x@b.net"],
            )
        },
    )
    assert route(repo, "a@example.org") == (
        ["a@example.org -> a@example.org,x@b.net"],
        [("a@example.org", "mailbox"), ("x@b.net", "external")],
        "",
    )


def test_a_cycle_is_a_loop_whatever_its_length(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "a": person(
                "a", mailAlternateAddress="a@example.org", mailForwardingAddress="b@example.org"
            ),
            "b": person(
                "b", mailAlternateAddress="b@example.org", mailForwardingAddress="c@example.org"
            ),
            "c": person(
                "c", mailAlternateAddress="c@example.org", mailForwardingAddress="a@example.org"
            ),
        },
    )
    hops, destinations, loop = route(repo, "b@example.org")
    assert (destinations, loop) == (
        [],
        "b@example.org -> c@example.org -> a@example.org -> b@example.org",
    )
    assert len(hops) == 3


def test_a_loop_with_fan_out_is_named_in_a_few_lines(tmp_path: Path) -> None:
    """a -> a1, b; b -> a, d: each address ends where its first target stops, the list
    grows until Postfix's expansion limit, and the mail is deferred: name the loop."""
    repo = mail_repo(
        tmp_path,
        {
            "a": person(
                "a",
                mailAlternateAddress="a@example.org",
                mailForwardingAddress=["a1@example.org", "b@example.org"],
            ),
            "b": person(
                "b",
                mailAlternateAddress="b@example.org",
                mailForwardingAddress=["a@example.org", "d@example.org"],
            ),
        },
    )
    people = (
        "cn={},ou=people,dc=example,dc=net (directory/dc=net/dc=example/ou=people/cn={}.yaml:7)"
    )
    assert run(repo, "resolve", "a@example.org") == (
        1,
        "a@example.org\n"
        "  forward       a@example.org -> a1@example.org, b@example.org\n"
        f"                virtual_alias_maps[2]: {people.format('a', 'a')}\n"
        "  forward       b@example.org -> a@example.org, d@example.org\n"
        f"                virtual_alias_maps[2]: {people.format('b', 'b')}\n"
        "  deferred      a@example.org expands into more than 1000 addresses, through the "
        "forwarding loop a@example.org -> b@example.org -> a@example.org\n"
        "deferred\n",
        "",
    )
    code, out, _ = run(repo, "resolve", "b@example.org", "--format", "json")
    assert (code, json.loads(out)["status"], json.loads(out)["loop"]) == (
        1,
        "deferred",
        ["b@example.org", "a@example.org", "b@example.org"],
    )


def test_addresses_keep_their_case_and_compare_without_it(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "bob": person("bob", mail="Bob@Example.org"),
            "list": person(
                "list",
                mailAlternateAddress="list@example.org",
                mailForwardingAddress=["BOB@example.org, bob@EXAMPLE.ORG", "Ext@Else.NET"],
            ),
            "self": person(
                "self",
                mail="Self@example.org",
                mailAlternateAddress="self@example.org",
                mailForwardingAddress="SELF@EXAMPLE.ORG",
            ),
        },
    )
    # Postfix keeps the first spelling of a final address and drops the others as duplicates.
    assert route(repo, "list@example.org")[1] == [
        ("BOB@example.org", "mailbox"),
        ("Ext@Else.NET", "external"),
    ]
    assert route(repo, "Self@Example.org") == (
        ["Self@Example.org -> SELF@EXAMPLE.ORG"],
        [("SELF@EXAMPLE.ORG", "mailbox")],
        "",
    )


def test_a_forward_is_an_address_list_as_postfix_parses_it(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "carol": person("carol", mail="carol@example.org"),
            "named": person(
                "named",
                mailAlternateAddress="named@example.org",
                mailForwardingAddress=[
                    '"Doe, Carol" <carol@example.org> (home)',
                    "Team: x@b.net, y@b.net;",
                ],
            ),
        },
    )
    assert route(repo, "named@example.org")[1] == [
        ("carol@example.org", "mailbox"),
        ("x@b.net", "external"),
        ("y@b.net", "external"),
    ]


DELIMITER = mail_with(recipient_delimiter="+-")


def test_the_recipient_delimiter_as_postfix_has_it(tmp_path: Path) -> None:
    people = {
        "bob": person("bob", mail="bob@example.org"),
        "sales": person(
            "sales",
            mailAlternateAddress="sales@example.org",
            mailForwardingAddress="bob+sales@example.org",
        ),
        "help": person(
            "help",
            mailAlternateAddress="info+help@example.org",
            mailForwardingAddress="carol@b.net",
        ),
        "owner": person("owner", mail="owner-list@example.org"),
    }
    plain = mail_repo(tmp_path, people)
    assert route(plain, "bob+x@example.org")[1] == [("bob+x@example.org", "undeliverable")]
    repo = mail_repo(tmp_path / "delimiter", people, mail=DELIMITER)
    assert route(repo, "bob+x@example.org")[1] == [("bob+x@example.org", "mailbox")]
    assert route(repo, "bob-x+y@example.org")[1] == [("bob-x+y@example.org", "mailbox")]
    # sales+x@ matches sales@: the extension goes into the result, which already has one.
    assert route(repo, "sales+x@example.org") == (
        ["sales+x@example.org -> bob+sales+x@example.org"],
        [("bob+sales+x@example.org", "mailbox")],
        "",
    )
    # A key with an extension matches first; another extension falls back to info@, none.
    assert route(repo, "info+help@example.org")[1] == [("carol@b.net", "external")]
    assert route(repo, "info+other@example.org")[1] == [("info+other@example.org", "undeliverable")]
    # With `-` a delimiter, Postfix never splits owner-x (nor x-request): no extension.
    assert route(repo, "owner-list@example.org")[1] == [("owner-list@example.org", "mailbox")]
    assert route(repo, "owner-list+x@example.org")[1] == [
        ("owner-list+x@example.org", "undeliverable")
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "recipient_delimiter: '@'",
            "ldifctl.yaml:8: mail.recipient_delimiter must be the "
            "characters of main.cf's recipient_delimiter (each once; not white space, @ or address "
            "punctuation), e.g. '+'",
        ),
        (
            "virtual_alias_expansion_limit: '0'",
            "ldifctl.yaml:8: mail.virtual_alias_expansion_limit must be a whole number from 1 "
            "to 2147483647, as in main.cf",
        ),
        (  # `int()` refuses a string of more than 4,300 digits: "unexpected error"
            f"virtual_alias_recursion_limit: '{'9' * 5000}'",
            "ldifctl.yaml:8: mail.virtual_alias_recursion_limit must be a whole number from 1 "
            "to 2147483647, as in main.cf",
        ),
        (
            "virtual_alias_recursion_limit: '2147483648'",
            "ldifctl.yaml:8: mail.virtual_alias_recursion_limit must be a whole number from 1 "
            "to 2147483647, as in main.cf",
        ),
        (
            "bind_dn: 'cn=x,,dc=y'",
            "ldifctl.yaml:8: mail.bind_dn: 'cn=x,,dc=y' is not a valid "
            "DN: write the DN of Postfix's read-only account, like "
            "cn=postfix,ou=services,dc=example,dc=net",
        ),
    ],
)
def test_the_settings_beside_the_tables(tmp_path: Path, setting: str, message: str) -> None:
    assert mail_error(tmp_path, f"mail:\n  {setting}\n") == message


def test_the_first_table_with_an_answer_wins_and_catch_alls_keep_the_user(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "a": person("a", mail="a@example.org", mailAlias="dup@example.org"),
            "b": person(
                "b",
                mailAlternateAddress=["dup@example.org", "@old.org"],
                mailForwardingAddress="@example.org",
            ),
        },
        domains=("example.org", "old.org"),
    )
    assert route(repo, "dup@example.org")[0] == ["dup@example.org -> a@example.org"]
    assert route(repo, "a@old.org") == (
        ["a@old.org -> a@example.org"],
        [("a@example.org", "mailbox")],
        "",
    )


def test_resolve_prints_each_hop_with_its_table_and_file(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    assert run(repo, "resolve", "superjohn@domain2.me") == (
        0,
        (
            "superjohn@domain2.me\n"
            "  alias         superjohn@domain2.me -> johndoe@domain1.net\n"
            "                virtual_alias_maps[1]: uid=johndoe,ou=Mail,dc=example,dc=net "
            "(directory/dc=net/dc=example/ou=Mail/uid=johndoe.yaml:9)\n"
            "  mailbox       johndoe@domain1.net\n"
            "                virtual_mailbox_maps[1]: uid=johndoe,ou=Mail,dc=example,dc=net "
            "(directory/dc=net/dc=example/ou=Mail/uid=johndoe.yaml:9)\n"
            "delivered\n"
        ),
        "",
    )
    assert run(repo, "resolve", "internal.user@company.com")[:2] == (
        0,
        (
            "internal.user@company.com\n"
            "  forward       internal.user@company.com -> external.user@gmail.com\n"
            "                virtual_alias_maps[2]: cn=internal.user,ou=people,dc=example,dc=net "
            "(directory/dc=net/dc=example/ou=people/cn=internal.user.yaml:9)\n"
            "  external      external.user@gmail.com  (not a hosted domain: Postfix sends it on)\n"
            "delivered\n"
        ),
    )


def test_resolve_exits_1_for_undeliverable_mail_and_reads_revisions(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    assert run(repo, "resolve", "nobody@domain1.net") == (
        1,
        (
            "nobody@domain1.net\n"
            "  undeliverable nobody@domain1.net  (domain1.net is hosted here but no "
            "virtual_mailbox_maps table finds it)\n"
            "undeliverable\n"
        ),
        "",
    )
    repo.remove("cn=central,ou=people,dc=example,dc=net")
    assert run(repo, "resolve", "info@company.com")[0] == 1
    assert run(repo, "resolve", "info@company.com", "--rev", "HEAD")[0] == 0


def test_resolve_as_json(tmp_path: Path) -> None:
    code, out, _ = run(
        example_repo(tmp_path), "resolve", "old.address@domain.com", "--format", "json"
    )
    where = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"
    assert code == 0
    assert json.loads(out) == {
        "address": "old.address@domain.com",
        "status": "delivered",
        "hops": [
            {
                "kind": "forward",
                "from": "old.address@domain.com",
                "to": ["new.address@domain.ro"],
                "table": "virtual_alias_maps[2]",
                "key": "old.address@domain.com",
                "entries": [
                    {"dn": "cn=user.example,ou=people,dc=example,dc=net", "where": f"{where}:10"}
                ],
            }
        ],
        "destinations": [
            {
                "address": "new.address@domain.ro",
                "kind": "mailbox",
                "table": "virtual_mailbox_maps[2]",
                "key": "new.address@domain.ro",
                "entries": [
                    {"dn": "cn=user.example,ou=people,dc=example,dc=net", "where": f"{where}:8"}
                ],
            }
        ],
        "loop": [],
        "error": "",
    }


# --- The bulk view the policies use agrees with lookups, key by key.


def test_the_address_map_agrees_with_lookups(tmp_path: Path) -> None:
    snapshot, mail = load(example_repo(tmp_path))
    routes = Router(snapshot, mail)
    addresses = AddressMap(routes)
    assert addresses.hosted == {
        "company.com",
        "domain.com",
        "domain.ro",
        "domain1.net",
        "domain2.me",
        "new-domain.com",
        "old-domain.com",
    }
    for key, targets in addresses.aliases.items():
        found = routes.find(routes.alias_tables, key)
        assert found is not None and tuple(t.lower() for t in found.targets) == targets
    for key in addresses.mailboxes:
        assert routes.mailbox(key) is not None
    assert sorted(addresses.alias_claims.first) == [
        "info@company.com",
        "internal.user@company.com",
        "jane@domain1.net",
        "old.address@domain.com",
        "postmaster@domain1.net",
        "sales@company.com",
        "superjohn@domain2.me",
        "support@company.com",
        "user@old-domain.com",
    ]


@pytest.mark.parametrize("schema", ["mailRecipient", "postfix-book"])
def test_an_extension_inside_a_quoted_user_part_is_stripped_as_postfix_does(
    tmp_path: Path, schema: str
) -> None:
    """`"a+t@h1.test,"@h1.test` (a catch-all result that starts with @domain and holds
    more) is looked up as a@h1.test, which gives the address back: it is delivered, and
    the h1.test catch-all (a loop) is never asked. Postfix's answer, held in
    test_postfix_running.py."""
    people = quoted_extension_people(schema)
    mail = mail_with(recipient_delimiter="+")
    repo = mail_repo(tmp_path, people, QUOTED_EXTENSION_DOMAINS, mail)
    quoted = '"a+t@h1.test,"@h1.test'
    assert route(repo, "a+t@h4.test") == (
        [f"a+t@h4.test -> {quoted}", f"{quoted} -> {quoted}"],
        [(quoted, "mailbox")],
        "",
    )
    assert split_extension(quoted, "+") == ("a@h1.test", "+t@h1.test,")
    assert split_extension('"b c+x"@h1.test', "+") == ('"b c"@h1.test', "+x")
    # The policies' bulk view expands each address as the lookups do.
    routes = router(repo)
    for address in ("a+t@h4.test", quoted, "a@h4.test", "x@h1.test"):
        found = routes.find(routes.alias_tables, address)
        assert found is not None
        assert AddressMap(routes).expansion(address) == tuple(t.lower() for t in found.targets)


@pytest.mark.parametrize("schema", ["mailRecipient", "postfix-book"])
def test_a_cycle_through_an_address_that_expands_into_itself_ends_there(
    tmp_path: Path, schema: str
) -> None:
    """a -> x -> d -> {a, d}: on its first round d is found to expand into itself, so
    Postfix stops there on the second (test_postfix_running.py holds it to Postfix);
    ldifctl called it a loop."""
    repo = mail_repo(tmp_path, cycle_broken_people(schema), ("h1.test",))
    for address in ("a@h1.test", "X@H1.TEST", "d@h1.test"):
        found = router(repo).resolve(address)
        assert (found.loop, found.error) == ((), ""), address
        assert [(d.address.lower(), d.kind) for d in found.destinations] == [
            ("d@h1.test", "mailbox")], address
    # A cycle none of whose addresses expands into itself is still a loop.
    repo.write("cn=d2,ou=people,dc=example,dc=net", person("d2"))
    assert route(repo, "a@h1.test")[2] == "a@h1.test -> x@h1.test -> d@h1.test -> a@h1.test"


def test_a_lookup_costs_one_step_or_every_entry_a_scan_tests(tmp_path: Path) -> None:
    """Router.work, which bounds a plan's routing impact (mail/address_impact.py): each
    address asked is a step, and each table lookup one more, or as many as the entries a
    table no index reads tests (a plan of 3,000 changed forwards through one took 53 s
    at 3,000 entries, counted as 3,000 lookups)."""
    scan = (
        "    - search_base: ou=people,dc=example,dc=net\n"
        "      query_filter: (description=*%s*)\n"
        "      result_attribute: mail\n"
    )
    people = {f"p{i}": person(f"p{i}", mail=f"p{i}@example.org") for i in range(5)}
    indexed, scanned = (
        router(mail_repo(tmp_path / name, people, mail=mail_with(*tables)))
        for name, tables in (("indexed", ()), ("scanned", (scan,)))
    )
    entries = len(scanned.tree.nodes)  # the suffix, ou=people, ou=Domains, its domain, 5
    assert entries == 9
    for r in (indexed, scanned):
        assert r.find(r.alias_tables, "nobody@example.org") is None
    # Asked once; `nobody@example.org`, then `@example.org`, in each alias table.
    assert indexed.work == 1 + 2 * 2
    assert scanned.work == 1 + 2 * (2 + entries)


def test_a_typed_address_with_a_trailing_dot_is_the_address_without_it(
    tmp_path: Path,
) -> None:
    """Postfix reads `new.address@domain.ro.` as new.address@domain.ro (sendmail -bv:
    `<...@domain.ro> (expanded from <...@domain.ro.>)`); resolve said `external`."""
    repo = example_repo(tmp_path)
    plain = run(repo, "resolve", "new.address@domain.ro")
    assert plain[0] == 0, plain
    assert run(repo, "resolve", "new.address@domain.ro.") == plain


def test_an_extension_carried_round_a_loop_is_no_catch_all_s_doing(tmp_path: Path) -> None:
    """b forwards to a+x, a to b: with `+` as delimiter the extension goes round and grows.
    A catch-all elsewhere (another domain) once made the refusal blame `the catch-all
    @h1.test (no entry)`."""
    people = {
        "c": person("c", mailAlternateAddress="@h2.test", mailForwardingAddress="c@h1.test"),
        "a": person("a", mailAlternateAddress="a@h1.test", mailForwardingAddress="b@h1.test"),
        "b": person("b", mailAlternateAddress="b@h1.test", mailForwardingAddress="a+x@h1.test"),
    }
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), mail_with(recipient_delimiter="+"))
    code, out, err = run(repo, "validate")
    assert (code, out) == (1, ""), err
    assert "catch-all" not in err, err
    assert err.startswith(
        "error: mail routing: the forwarding loop through b@h1.test routes its mail back into "
        "itself and makes a longer address at every hop (a+x+x+x+"
    ), err
    assert err.endswith(
        "...): the extension after the recipient_delimiter is carried round the loop, and "
        "Postfix expands it until virtual_alias_recursion_limit and defers the mail. Break "
        "the loop: no forward may lead back to an address it came from\n"
    ), err
