"""Routing impact: every address whose routing a change moves, before and after, on both
mail schemas (postfix-book's mailAlias -> mail, 389's mailAlternateAddress ->
mailForwardingAddress); no other address."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mail_kit import MAIL, load, mail_repo, mail_with, person
from repo_kit import DirectoryRepo, run

from ldifctl.mail.table_reads import may_route
from ldifctl.model.snapshot import Snapshot

PEOPLE = "ou=people,dc=example,dc=net"
MAILBOX = "mailbox"


def dn(cn: str) -> str:
    return f"cn={cn},{PEOPLE}"


def account(cn: str, schema: str, aliases: tuple[str, ...] = (), to: str = "") -> str:
    """A mailbox `cn@example.org` (or, with `to`, an entry whose aliases go there), its
    aliases written in `schema`'s attributes."""
    target = to or f"{cn}@example.org"
    if schema == "postfix-book":
        if not aliases:
            return person(cn, mail=target)
        return person(cn, mail=target, mailAlias=list(aliases))
    if not aliases:
        return person(cn, mail=target)
    mail = {} if to else {"mail": target}
    return person(cn, mailAlternateAddress=list(aliases), mailForwardingAddress=target, **mail)


def forwarder(cn: str, schema: str, alias: str, to: str) -> str:
    """An entry that sends `alias` to `to` and holds no mailbox of its own."""
    if schema == "postfix-book":
        # postfix-book's alias result is the entry's mail: a mail in another domain.
        return person(cn, mail=to, mailAlias=alias)
    return person(cn, mailAlternateAddress=alias, mailForwardingAddress=to)


def routing(repo: DirectoryRepo, *args: str) -> list[dict[str, Any]]:
    code, out, err = run(repo, *(args or ("plan",)), "--format", "json")
    assert code in (0, 1), err
    found: list[dict[str, Any]] = json.loads(out)["routing"]
    return found


def r(status: str, *destinations: str) -> dict[str, Any]:
    found = [{"address": a, "kind": k} for a, _, k in (d.partition(" ") for d in destinations)]
    return {"status": status, "destinations": found}


UNKNOWN = r("unknown")


def box(*addresses: str) -> dict[str, Any]:
    return r("delivered", *(f"{a} {MAILBOX}" for a in addresses))


def moved(address: str, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {"address": address, "before": before, "after": after}


SCHEMAS = pytest.mark.parametrize("schema", ["postfix-book", "389"])


def base(tmp_path: Path, schema: str, **people: str) -> DirectoryRepo:
    everyone = {
        "alice": account("alice", schema),
        "bob": account("bob", schema),
        "carol": account("carol", schema),
        **people,
    }
    return mail_repo(tmp_path, everyone)


@SCHEMAS
def test_a_new_alias_and_a_removed_one(tmp_path: Path, schema: str) -> None:
    repo = base(tmp_path, schema, alice=account("alice", schema, ("old@example.org",)))
    repo.write(dn("alice"), account("alice", schema, ("sales@example.org",)))
    assert routing(repo) == [
        moved("old@example.org", box("alice@example.org"), UNKNOWN),
        moved("sales@example.org", UNKNOWN, box("alice@example.org")),
    ]


@SCHEMAS
def test_a_retargeted_forward(tmp_path: Path, schema: str) -> None:
    fwd = forwarder("list", schema, "list@example.org", "alice@example.org")
    repo = base(tmp_path, schema, list=fwd)
    repo.write(dn("list"), forwarder("list", schema, "list@example.org", "bob@example.org"))
    assert routing(repo) == [
        moved("list@example.org", box("alice@example.org"), box("bob@example.org")),
    ]


@SCHEMAS
def test_a_moved_alias(tmp_path: Path, schema: str) -> None:
    repo = base(tmp_path, schema, alice=account("alice", schema, ("sales@example.org",)))
    repo.write(dn("alice"), account("alice", schema))
    repo.write(dn("bob"), account("bob", schema, ("sales@example.org",)))
    assert routing(repo) == [
        moved("sales@example.org", box("alice@example.org"), box("bob@example.org")),
    ]


def loop_entries(schema: str) -> dict[str, str]:
    return {
        "x": forwarder("x", schema, "x@example.org", "y@example.org"),
        "y": forwarder("y", schema, "y@example.org", "alice@example.org"),
    }


@SCHEMAS
def test_a_loop_created_and_broken(tmp_path: Path, schema: str) -> None:
    repo = base(tmp_path, schema, **loop_entries(schema))
    repo.write(dn("y"), forwarder("y", schema, "y@example.org", "x@example.org"))
    loop = [
        moved("x@example.org", box("alice@example.org"), r("loop")),
        moved("y@example.org", box("alice@example.org"), r("loop")),
    ]
    assert routing(repo) == loop
    repo.commit()
    repo.write(dn("y"), loop_entries(schema)["y"])
    assert routing(repo) == [moved(m["address"], m["after"], m["before"]) for m in loop]


def test_a_removed_mailbox_leaves_a_forward_undeliverable(tmp_path: Path) -> None:
    fwd = forwarder("list", "389", "list@example.org", "carol@example.org")
    repo = base(tmp_path, "389", list=fwd)
    repo.remove(dn("carol"))
    gone = r("undeliverable", "carol@example.org undeliverable")
    assert routing(repo) == [
        moved("carol@example.org", box("carol@example.org"), UNKNOWN),
        moved("list@example.org", box("carol@example.org"), gone),
    ]


def test_an_alias_to_a_broken_mail_value_becomes_undeliverable(tmp_path: Path) -> None:
    """postfix-book's alias gives the entry's own mail, which is its mailbox too: what
    breaks it is that value."""
    carol = account("carol", "postfix-book", ("list@example.org",))
    repo = base(tmp_path, "postfix-book", carol=carol)
    repo.write(dn("carol"), person("carol", mail="carol", mailAlias="list@example.org"))
    broken = r("undeliverable", "carol undeliverable")
    assert routing(repo) == [
        moved("carol", UNKNOWN, broken),  # the mailbox table can look the value up
        moved("carol@example.org", box("carol@example.org"), UNKNOWN),
        moved("list@example.org", box("carol@example.org"), broken),
    ]


@SCHEMAS
def test_a_catch_all_starts_and_stops_swallowing_mail(tmp_path: Path, schema: str) -> None:
    outside = forwarder("list", schema, "list@example.org", "x@other.test")
    repo = base(tmp_path, schema, list=outside)
    catch_all = forwarder("catch", schema, "@example.org", "catch@other.test")
    repo.write(dn("catch"), catch_all)
    swallowed = r("delivered", "catch@other.test external")
    expected = [
        moved("@example.org", UNKNOWN, swallowed),
        *(
            moved(f"{u}@example.org", box(f"{u}@example.org"), swallowed)
            for u in ("alice", "bob", "carol")
        ),
    ]
    if schema == "postfix-book":  # the catch-all's own entry holds a mailbox address
        expected.append(moved("catch@other.test", UNKNOWN, swallowed))
        expected.sort(key=lambda m: m["address"])
    assert routing(repo) == expected
    repo.commit()
    repo.remove(dn("catch"))
    assert routing(repo) == [moved(m["address"], m["after"], m["before"]) for m in expected]


def swapped_alias_tables() -> str:
    """MAIL with its two virtual_alias_maps tables the other way round."""
    head, _, tables = MAIL.partition("  virtual_alias_maps:\n")
    first, second = tables.split("    - ")[1:]
    return f"{head}  virtual_alias_maps:\n    - {second}    - {first}"


def test_a_change_of_table_order(tmp_path: Path) -> None:
    """Both alias tables answer shared@: the first table in ldifctl.yaml wins."""
    repo = base(
        tmp_path,
        "389",
        alice=account("alice", "postfix-book", ("shared@example.org",)),
        bob=account("bob", "389", ("shared@example.org",)),
    )
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace(MAIL, swapped_alias_tables()))
    assert routing(repo) == [
        moved("shared@example.org", box("alice@example.org"), box("bob@example.org")),
    ]


@SCHEMAS
def test_a_change_that_moves_no_mail_reports_no_address(tmp_path: Path, schema: str) -> None:
    repo = base(tmp_path, schema, alice=account("alice", schema, ("sales@example.org",)))
    repo.write(dn("alice"), account("alice", schema, ("sales@example.org",)) + "description: x\n")
    code, out, err = run(repo, "plan", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["routing"] == []
    assert "sales@example.org" not in err


@pytest.mark.parametrize(
    ("edit", "moves"),
    [
        ({"description": "x"}, False),  # no table reads it: the whole state is not read
        ({"mailAlias": "sales2@example.org"}, True),
        ({"mail": "alice2@example.org"}, True),
    ],
)
def test_only_what_the_tables_read_can_move_mail(
    tmp_path: Path, edit: dict[str, str], moves: bool
) -> None:
    repo = base(tmp_path, "postfix-book")
    old, mail = load(repo)
    attrs: dict[str, str | list[str]] = {"mail": "alice@example.org", **edit}
    repo.write(dn("alice"), person("alice", **attrs))
    new, _ = load(repo)
    changed_old, changed_new = (Snapshot(s.label, s.schema) for s in (old, new))
    for state, changed in ((old, changed_old), (new, changed_new)):
        entry = state.get_dn(dn("alice"))
        assert entry is not None
        changed.add(entry)
    assert may_route(mail, changed_old, changed_new) is moves


def export(repo: DirectoryRepo, rev: str, name: str) -> None:
    code, ldif, err = run(repo, "export", "--rev", rev)
    assert code == 0, err
    (repo.root / name).write_text(ldif)


def forward_exported(tmp_path: Path) -> DirectoryRepo:
    """A 389 repo whose list@ forwards to alice@ in HEAD, exported as old.ldif, and to
    bob@ in the working tree."""
    fwd = forwarder("list", "389", "list@example.org", "alice@example.org")
    repo = base(tmp_path, "389", list=fwd)
    export(repo, "HEAD", "old.ldif")
    repo.write(dn("list"), forwarder("list", "389", "list@example.org", "bob@example.org"))
    return repo


def test_diff_of_any_two_sources_says_the_same_and_is_titled_a_diff(tmp_path: Path) -> None:
    """An LDIF file against the working tree: both states loaded whole, not the cache's way."""
    repo = forward_exported(tmp_path)
    expected = [moved("list@example.org", box("alice@example.org"), box("bob@example.org"))]
    assert routing(repo, "diff", "old.ldif", "worktree") == expected == routing(repo)
    code, out, err = run(repo, "diff", "old.ldif", "worktree", "--format", "markdown")
    assert code == 0, err
    assert out.startswith("<!-- ldifctl:diff -->\n### ldifctl diff: `old.ldif` → `working tree`\n")
    row = "| `list@example.org` | `alice@example.org` (mailbox) | `bob@example.org` (mailbox) |"
    assert row in out
    assert err.splitlines()[-1] == (
        "list@example.org: alice@example.org (mailbox) -> bob@example.org (mailbox)"
    )


def test_a_new_route_to_the_same_mailbox_is_reported(tmp_path: Path) -> None:
    """list@ reached alice through one alias and now through another: the same outcome,
    another route (the hops changed)."""
    people = {
        "alice": account("alice", "389", ("a1@example.org", "a2@example.org")),
        "list": forwarder("list", "389", "list@example.org", "a1@example.org"),
    }
    repo = base(tmp_path, "389", **people)
    repo.write(dn("list"), forwarder("list", "389", "list@example.org", "a2@example.org"))
    alice = box("alice@example.org")
    assert routing(repo) == [moved("list@example.org", alice, alice)]
    code, _, err = run(repo, "plan")
    assert code == 0, err
    assert err.splitlines()[-1] == (
        "list@example.org: alice@example.org (mailbox) -> alice@example.org (mailbox)"
        " (by another route)"
    )


UID_TABLE = """\
    - search_base: ou=people,dc=example,dc=net
      query_filter: (uid=%u)
      domain: example.net
      result_attribute: uid
      result_format: '%s@example.org'
"""


def test_keys_a_template_makes_count_too(tmp_path: Path) -> None:
    """`(uid=%u)` answers caro@example.net though no value spells that address."""
    repo = mail_repo(
        tmp_path,
        {"carol": person("carol", mail="carol@example.org", uid="carol")},
        mail=mail_with(UID_TABLE),
    )
    repo.write(dn("carol"), person("carol", mail="carol@example.org", uid="caro"))
    assert routing(repo) == [
        moved("caro@example.net", UNKNOWN, r("undeliverable", "caro@example.org undeliverable")),
        moved("carol@example.net", box("carol@example.org"), UNKNOWN),
    ]


def test_a_domain_no_longer_hosted(tmp_path: Path) -> None:
    repo = base(
        tmp_path, "389", list=forwarder("list", "389", "list@example.org", "bob@example.org")
    )
    repo.remove("dc=example.org,ou=Domains,dc=example,dc=net")
    external = {
        f"{u}@example.org": r("delivered", f"{u}@example.org external")
        for u in ("alice", "bob", "carol")
    }
    assert routing(repo) == [
        moved("alice@example.org", box("alice@example.org"), external["alice@example.org"]),
        moved("bob@example.org", box("bob@example.org"), external["bob@example.org"]),
        moved("carol@example.org", box("carol@example.org"), external["carol@example.org"]),
        moved("list@example.org", box("bob@example.org"), external["bob@example.org"]),
    ]


def test_a_head_that_does_not_load_whole_leaves_the_refusal_to_its_findings(
    tmp_path: Path,
) -> None:
    repo = base(tmp_path, "389")
    twin = repo.root / "directory/dc=net/dc=example/ou=people/CN=alice.yaml"
    twin.write_text(account("alice", "389", ("sales@example.org",)).replace("cn=", "CN=", 1))
    code, out, err = run(repo, "plan", "--format", "json")
    assert code == 1, err
    assert json.loads(out)["routing"] == []
    assert "[structure/duplicate-dn]" in err


def test_diff_of_two_ldif_files_routes_the_whole_states(tmp_path: Path) -> None:
    """Of two LDIF files only the records that differ are parsed; routing still sees every
    entry: the alias that stays and the mailbox it reaches are in no differing record."""
    repo = forward_exported(tmp_path)
    export(repo, "worktree", "new.ldif")
    expected = [moved("list@example.org", box("alice@example.org"), box("bob@example.org"))]
    assert routing(repo, "diff", "old.ldif", "new.ldif") == expected == routing(repo)


def test_past_the_routing_bound_the_addresses_left_are_unresolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_ROUTING_WORK (table lookups and alias results, both states), each address
    left is reported unresolved: in JSON, on stderr and in the comment. The attacks that
    need the bound are in tests/attack/test_attack_routing_volume.py."""
    from ldifctl.mail import address_impact

    monkeypatch.setattr(address_impact, "MAX_ROUTING_WORK", 36)
    repo = base(tmp_path, "389", list=forwarder("list", "389", "list@example.org", "a@example.org"))
    for name in ("list", "team"):
        repo.write(dn(name), forwarder(name, "389", f"{name}@example.org", "bob@example.org"))
    # The candidates in order: a@ and bob@ (neither moves) cost 36, each address asked
    # and every table lookup in both states, found or not; list@ 14 more: past 36, team@
    # is left.
    assert routing(repo) == [
        moved("list@example.org", r("undeliverable", "a@example.org undeliverable"),
              box("bob@example.org")),
        moved("team@example.org", r("unresolved"), r("unresolved")),
    ]
    code, _, err = run(repo, "plan")
    assert code == 0 and err.splitlines()[-2:] == [
        "list@example.org: a@example.org (undeliverable) -> bob@example.org (mailbox)",
        "team@example.org: unresolved (the routes of this change cost more than 36 lookups: "
        "`ldifctl resolve` answers for one address)",
    ], err
    code, out, _ = run(repo, "plan", "--format", "markdown")
    assert "| `team@example.org` | **unresolved** | **unresolved** |" in out, out
    assert "mail to 1 address(es) routed differently; 1 address(es) unresolved (their " in out


def test_lookups_that_find_nothing_count_toward_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry that forwards to many addresses no table knows names each of them: each
    is asked in both states, every table, to find nothing. Those lookups count (one 12 MB
    entry forwarding to 500k such addresses cost `plan` 64 s, all of it uncounted)."""
    from ldifctl.mail import address_impact

    monkeypatch.setattr(address_impact, "MAX_ROUTING_WORK", 134)
    nobody = [f"x{i}@example.org" for i in range(10)]
    repo = base(tmp_path, "389")
    repo.write(dn("fan"), person("fan", mailAlternateAddress="fan@example.org",
                                 mailForwardingAddress=nobody))
    # In order: fan@ costs ~100 (its route asks each target as a mailbox), then each x@
    # 10 more, moving nothing; x0@ to x3@ end within 134, the rest are left. Counting
    # only the lookups that find something, none would be.
    unresolved = r("unresolved")
    assert routing(repo) == [
        moved("fan@example.org", UNKNOWN, r("undeliverable", *(f"{a} undeliverable"
                                                               for a in nobody))),
        *(moved(a, unresolved, unresolved) for a in sorted(nobody)[4:]),
    ]
