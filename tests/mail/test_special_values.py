"""LDAP URLs in special_result_attribute values, followed over the repo's entries: the
limits an untrusted URL is held to, answers ldifctl cannot give, and the validate finding
at the entry that holds a URL Postfix cannot follow. test_postfix_special_urls.py holds
the answers to a running Postfix."""

from __future__ import annotations

from pathlib import Path

import pytest
from mail_kit import mail_repo, mail_with, person, router
from repo_kit import run

from ldifctl.mail import special_values, special_walk
from ldifctl.mail.ldap_filter import MAX_ITEMS
from ldifctl.mail.route_report import status
from ldifctl.mail.routing import Route
from ldifctl.mail.special_values import root_dse_may_hold
from ldifctl.model.schema import build_schema

PEOPLE = "ou=people,dc=example,dc=net"
URL_MAIL = mail_with(
    f"""\
    - search_base: {PEOPLE}
      query_filter: (uid=%s)
      result_attribute: mail
      special_result_attribute: labeledURI
"""
)
CANNOT_TELL = "special_result_attribute: ldifctl cannot tell what Postfix does with"
# A table that also reads namingContexts (declared in ldifctl.yaml): every root DSE has it.
NAMING_CONTEXTS_MAIL = "attributes:\n  namingContexts: {equality: distinguishedNameMatch}\n"
NAMING_CONTEXTS_MAIL += mail_with(
    f"""\
    - search_base: {PEOPLE}
      query_filter: (uid=%s)
      result_attribute: mail, namingContexts
      special_result_attribute: labeledURI
"""
)


def group(url: str | list[str], cn: str = "grp", **attrs: str) -> str:
    return person(cn, uid=f"{cn}@h2.test", labeledURI=url, **attrs)


def route(tmp_path: Path, people: dict[str, str], address: str = "grp@h2.test") -> Route:
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), URL_MAIL)
    return router(repo).resolve(address)


BOB = {"bob": person("bob", mail="bob@h1.test")}


def test_a_url_group_delivers_to_the_entries_its_filter_finds(tmp_path: Path) -> None:
    url = f"ldap:///{PEOPLE}??sub?(|(cn=bob)(cn=carol))"
    people = {**BOB, "carol": person("carol", mail="carol@h1.test"), "grp": group(url)}
    found = route(tmp_path, people)
    assert [d.address for d in found.destinations] == ["bob@h1.test", "carol@h1.test"]
    assert found.delivered


def test_a_filter_past_a_query_filters_limits_is_not_evaluated(tmp_path: Path) -> None:
    many = "".join(f"(cn=p{i})" for i in range(MAX_ITEMS + 1))
    found = route(tmp_path, {**BOB, "grp": group(f"ldap:///{PEOPLE}??sub?(|{many})")})
    assert found.error.startswith(f"virtual_alias_maps[3]: {CANNOT_TELL} the filter (|(cn=p0)")
    assert "more than 32 comparisons" in found.error


def test_what_ldifctl_cannot_follow_is_unknown_not_undeliverable(tmp_path: Path) -> None:
    cases = {
        "ext": f"ldap:///{PEOPLE}??sub?(cn:dn:=bob)",
        "option": f"ldap:///{PEOPLE}?mail;lang-de?sub?(cn=bob)",
        "root": "ldap:///??sub?(cn=bob)",
        "no-dn": "ldap://h.test",
        "long": f"ldap:///{PEOPLE}??sub?(cn=bob{'x' * special_values.MAX_URL})",
    }
    people = {**BOB, **{cn: group(url, cn) for cn, url in cases.items()}}
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), URL_MAIL)
    routes = {cn: router(repo).resolve(f"{cn}@h2.test") for cn in cases}
    assert {cn: CANNOT_TELL in r.error for cn, r in routes.items()} == dict.fromkeys(cases, True)
    assert "extensible match filters are not supported" in routes["ext"].error
    assert "the attribute option in 'mail;lang-de'" in routes["option"].error
    assert routes["root"].error.endswith(
        f"{CANNOT_TELL} ldap:///??sub?(cn=bob), a sub search from the empty base: the server's "
        "settings say what it reaches"
    )
    assert routes["no-dn"].error.endswith(
        f"{CANNOT_TELL} ldap://h.test, which names no search base: libldap searches its "
        "default one (BASE in ldap.conf on the Postfix host)"
    )
    assert {cn: status(r) for cn, r in routes.items()} == dict.fromkeys(cases, "unknown")
    code, out, _ = run(repo, "resolve", "ext@h2.test")
    assert code == 1 and out.endswith("\nunknown\n"), out
    assert f"  unknown       virtual_alias_maps[3]: {CANNOT_TELL}" in out, out


def test_a_base_search_of_the_empty_dn_reads_the_root_dse_which_adds_nothing(
    tmp_path: Path,
) -> None:
    """Every server answers it with the root DSE, which holds none of the table's
    attributes (test_postfix_special_urls.py holds both to Postfix and the servers)."""
    urls = ["ldap:///", "ldap:///??base?(cn=bob)", "ldapi://??", f"ldap:///{PEOPLE}??sub?(cn=bob)"]
    repo = mail_repo(tmp_path, {**BOB, "grp": group(urls)}, ("h1.test", "h2.test"), URL_MAIL)
    found = router(repo).resolve("grp@h2.test")
    assert [d.address for d in found.destinations] == ["bob@h1.test"]
    assert status(found) == "delivered"
    code, out, err = run(repo, "validate")
    assert code == 0 and "special-values" not in out + err, out + err


def test_the_root_dse_is_unknown_to_a_table_that_reads_what_it_may_hold(tmp_path: Path) -> None:
    """The root DSE holds objectClass and the server's own attributes: a table that reads
    one of those (declared in ldifctl.yaml) gets the server's values, which the repo does
    not hold."""
    people = {**BOB, "grp": group("ldap:///")}
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), NAMING_CONTEXTS_MAIL)
    found = router(repo).resolve("grp@h2.test")
    assert status(found) == "unknown"
    assert found.error == (
        f"virtual_alias_maps[3]: {CANNOT_TELL} ldap:///: it reads the root DSE, which may hold "
        "namingContexts"
    )
    schema = build_schema()
    assert not any(root_dse_may_hold(schema, name) for name in ("mail", "labeledURI", "cn"))
    held = ["objectClass", "OBJECTCLASS", "2.5.4.0", "createTimestamp", "supportedControl"]
    assert all(root_dse_may_hold(schema, name) for name in held)


def test_a_malformed_url_fails_the_lookup_as_in_postfix(tmp_path: Path) -> None:
    found = route(tmp_path, {**BOB, "grp": group(f"ldap:///{PEOPLE}??bogus?(cn=bob)")})
    assert status(found) == "deferred"
    assert found.error == (
        "virtual_alias_maps[3]: special_result_attribute value is a malformed URL, "
        f"ldap:///{PEOPLE}??bogus?(cn=bob): unknown scope 'bogus': use base, one or sub"
    )
    assert not found.destinations


def test_a_url_that_finds_its_own_entry_loops(tmp_path: Path) -> None:
    found = route(tmp_path, {"grp": group(f"ldap:///{PEOPLE}??sub?(cn=grp)")})
    dn = f"cn=grp,{PEOPLE}"
    assert found.error == (f"virtual_alias_maps[3]: special_result_attribute loops: {dn} -> {dn}")


def test_a_chain_longer_than_the_recursion_limit_fails_without_a_crash(tmp_path: Path) -> None:
    def chain(length: int) -> dict[str, str]:
        links = {f"c{i}": group(f"ldap:///cn=c{i + 1},{PEOPLE}", f"c{i}") for i in range(length)}
        return {**links, f"c{length}": person(f"c{length}", mail="bob@h1.test")}

    deep = special_walk.RECURSION_LIMIT
    repo = mail_repo(tmp_path / "long", chain(deep), ("h1.test", "h2.test"), URL_MAIL)
    assert "nest past the recursion limit (1000)" in router(repo).resolve("c0@h2.test").error
    repo = mail_repo(tmp_path / "short", chain(deep - 1), ("h1.test", "h2.test"), URL_MAIL)
    assert router(repo).resolve("c0@h2.test").delivered


def test_groups_that_fan_out_at_every_level_stop_at_a_bound(tmp_path: Path) -> None:
    """Two groups a level, each naming both of the next: 2^40 paths, 80 entries."""
    people = {}
    for level in range(40):
        for side in "ab":
            url = f"ldap:///{PEOPLE}??one?(description=level{level + 1})"
            cn = f"l{level}{side}"
            people[cn] = group(url, cn, description=f"level{level}")
    people["bottom"] = person("bottom", mail="bob@h1.test", description="level40")
    found = route(tmp_path, people, "l0a@h2.test")
    assert found.error.endswith(f"{CANNOT_TELL} more than {special_walk.MAX_VALUES} results")


def test_validate_points_at_the_entry_that_holds_a_url_postfix_cannot_follow(
    tmp_path: Path,
) -> None:
    people = {
        **BOB,
        "grp": group(f"ldap:///{PEOPLE}??sub?(cn=bob"),
        "fine": group(f"ldap:///{PEOPLE}??sub?(cn=bob)", "fine"),
        "odd": group(f"ldap:///{PEOPLE}??sub?(cn:dn:=bob)", "odd"),
    }
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), URL_MAIL)
    code, out, err = run(repo, "validate")
    lines = [line for line in (out + err).splitlines() if "[special-values]" in line]
    assert code == 1, out + err
    assert len(lines) == 2, lines
    assert lines[0].startswith("directory/dc=net/dc=example/ou=people/cn=grp.yaml:")
    assert (
        "error [special-values] virtual_alias_maps[3]: special_result_attribute value " in lines[0]
    )
    assert "has a bad search filter, (cn=bob: expected" in lines[0]
    assert lines[1].startswith("directory/dc=net/dc=example/ou=people/cn=odd.yaml:")
    assert f"warning [special-values] virtual_alias_maps[3]: {CANNOT_TELL}" in lines[1]


def test_urls_that_scan_past_the_bound_are_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each distinct URL scans its scope: 10k URLs a pull request adds over 100k entries
    are 10^9 filter tests. The state's URLs scan MAX_SCANNED entries in all (lowered here
    to 21: a scan reads 7, ou=people, bob and g0-g4); the URLs past it are an error at
    their entries, since what they do goes unjudged. The routing and the finding share
    one search of each URL."""
    monkeypatch.setattr(special_values, "MAX_SCANNED", 21)
    groups = {f"g{n}": group(f"ldap:///{PEOPLE}??sub?(cn=x{n})", f"g{n}") for n in range(5)}
    people = {**BOB, **groups}
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), URL_MAIL)
    code, out, err = run(repo, "validate")
    over = [line for line in (out + err).splitlines() if "search more than 21 entries" in line]
    assert code == 1, out + err
    # g0, g1 and g2 fit in 21; g3 and g4 do not.
    assert [line.split(".yaml")[0].rsplit("=", 1)[1] for line in over] == ["g3", "g4"], over
    assert all(" error [special-values] " in line for line in over)
    assert over[0].endswith(
        f"{CANNOT_TELL} ldap:///{PEOPLE}??sub?(cn=x3): with it, the LDAP URLs of this state "
        "search more than 21 entries in all: fewer or narrower URLs (a base near the entries "
        "they find) keep it within"
    )
