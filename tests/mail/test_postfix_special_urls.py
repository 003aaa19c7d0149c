"""LDAP URLs as special_result_attribute values (the memberURL dynamic-group setup):
`ldifctl resolve` agrees with a running Postfix (`sendmail -bv`) on where mail to each
group goes, or that the lookup fails and the mail is deferred; where the answer is the
server's or the Postfix host's, not the repo's, ldifctl says `unknown`."""

from __future__ import annotations

from pathlib import Path

import ldap
import pytest
from mail_kit import mail_repo, mail_with, person
from postfix_kit import (
    Routing,
    RunningPostfix,
    point_at,
    postfix_maps,
    resolved,
    serve,
    write_tables,
)
from postfix_setup import backdate
from servers import LdapServer, make_postfix_confdir, postmap_query
from test_special_values import NAMING_CONTEXTS_MAIL

from ldifctl.mail.special_values import root_dse_may_hold
from ldifctl.model.schema import build_schema

PEOPLE = "ou=people,dc=example,dc=net"
URL_MAIL = mail_with(
    f"""\
    - search_base: {PEOPLE}
      query_filter: (uid=%s)
      result_attribute: mail
      special_result_attribute: labeledURI, seeAlso
""",
    virtual_alias_recursion_limit="20",
    virtual_alias_expansion_limit="50",
)
# Each group by its local part (at h2.test): its labeledURI.
GROUPS: dict[str, str | list[str]] = {
    "sub": f"ldap:///{PEOPLE}??sub?(cn=bob)",
    "one": f"ldap:///{PEOPLE}??one?(cn=bob)",
    "one-too-high": "ldap:///dc=example,dc=net??one?(cn=bob)",
    "base": f"ldap:///cn=bob,{PEOPLE}??base",
    "no-filter": f"ldap:///cn=carol,{PEOPLE}",  # scope base, (objectClass=*)
    "and-or": f"ldap:///{PEOPLE}??sub?(&(sn=Person)(|(cn=bob)(cn=carol)))",
    "no-parentheses": f"ldap:///{PEOPLE}??sub?cn=bob",
    "children": f"ldap:///{PEOPLE}??children?(|(cn=bob)(ou=people))",
    "url-to-dn": f"ldap:///{PEOPLE}??sub?(cn=mid)",  # mid's seeAlso names carol
    "dn": f"cn=carol,{PEOPLE}",
    "other-host": f"ldap://other.invalid:389/{PEOPLE}??sub?(cn=bob)",  # not used
    "extension": f"ldap:///{PEOPLE}??sub?(cn=bob)?!x-unknown",  # not used either
    "enclosed": f"<URL:LDAP:///{PEOPLE}??SUB?(cn=bob)>",
    "only-mail": f"ldap:///{PEOPLE}?mail?sub?(cn=bob)",
    "no-table-attribute": f"ldap:///{PEOPLE}?cn?sub?(cn=bob)",  # skipped
    "old-escape": f"ldap:///{PEOPLE}??sub?(cn=bo\\*)",  # the value bo*, no wildcard
    "no-base": "ldap:///ou=gone,dc=example,dc=net??sub?(cn=bob)",  # noSuchObject: skipped
    "self": f"ldap:///{PEOPLE}??sub?(uid=self@h2.test)",  # the recursion limit
    "self-mail-only": f"ldap:///{PEOPLE}?mail?sub?(uid=self-mail-only@h2.test)",
    # The empty DN, searched at base scope: the root DSE, which holds none of the table's
    # attributes (the value adds nothing, as a DN that names no entry).
    "root-dse": "ldap:///",
    "root-dse-every": "ldap:///??base?(objectClass=*)",
    "root-dse-bob": "ldap:///??base?(cn=bob)",
    "root-dse-mail": "ldap:///?mail?base",
    "root-dse-enclosed": "<URL:ldap:///??BASE>",
    "root-dse-bad-escape": "ldap:///cn=b%zzob??base?(cn=bob)",  # the DN part emptied
    "ldapi-root-dse": "ldapi://??",
    "ldapi-novell": f"ldapi://??cn=bob,{PEOPLE}",  # early Novell `host??dn`: ldapi keeps it
    "ldapi-port": f"ldapi://%2Frun%2Fs:x/cn=bob,{PEOPLE}",  # no port to check
    "root-and-bob": ["ldap:///??base", f"ldap:///{PEOPLE}??sub?(cn=bob)"],  # nothing lost
    # Malformed: Postfix's lookup fails.
    "bad-scope": f"ldap:///{PEOPLE}??bogus?(cn=bob)",
    "empty-extensions": f"ldap:///{PEOPLE}??sub?(cn=bob)?",
    "bad-escape": f"ldap:///{PEOPLE}??sub?(cn=b%zzob)",
    "extra-part": f"ldap:///{PEOPLE}??sub?(cn=bob)?x?y",
    "bad-filter": f"ldap:///{PEOPLE}??sub?(cn=bob",
    "filter-then-space": f"ldap:///{PEOPLE}??sub?(cn=bob) ",
    "bad-dn": "ldap:///not-a-dn??sub?(cn=bob)",
    "homepage": "https://bob.example.com/",  # no LDAP URL: read as a DN
}
# What the server's settings answer, or the Postfix host's ldap.conf: `unknown`. The
# tests' slapd has no default search base and no default referral: noSuchObject.
UNKNOWN: dict[str, str | list[str]] = {
    "root-one": "ldap:///??one?(cn=bob)",
    "root-sub": "ldap:///??sub?(cn=bob)",
    "root-children": "ldap:///??children?(cn=bob)",
    "no-dn": "ldap://127.0.0.1",  # libldap's default base: BASE of ldap.conf, if any
}
ALL = {**GROUPS, **UNKNOWN}


def test_url_groups_route_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix
) -> None:
    people = {
        "bob": person("bob", mail="bob@h1.test"),
        "carol": person("carol", mail="carol@h1.test"),
        "mid": person("mid", seeAlso=f"cn=carol,{PEOPLE}"),
        **{f"g-{k}": person(f"g-{k}", uid=f"{k}@h2.test", labeledURI=u) for k, u in ALL.items()},
    }
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), URL_MAIL)
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    write_tables(repo, postfix)
    addresses = [f"{k}@h2.test" for k in GROUPS]
    unknown = [f"{k}@h2.test" for k in UNKNOWN]
    real = postfix.probe([*addresses, *unknown])
    assert resolved(repo, addresses) == {a: real[a] for a in addresses}
    assert {r.status for r in resolved(repo, unknown).values()} == {"unknown"}
    # The verdicts, pinned: Postfix is the oracle, these say what it said.
    bob, carol = ("bob@h1.test", "mailbox"), ("carol@h1.test", "mailbox")
    assert real["sub@h2.test"] == Routing("delivered", (bob,))
    assert real["and-or@h2.test"] == Routing("delivered", (bob, carol))
    assert real["url-to-dn@h2.test"] == Routing("delivered", (carol,))
    assert real["other-host@h2.test"] == Routing("delivered", (bob,))
    assert real["one-too-high@h2.test"].status == "undeliverable"
    failed = {"bad-scope", "empty-extensions", "bad-escape", "extra-part", "bad-filter"}
    failed |= {"filter-then-space"}
    failed |= {"bad-dn", "homepage", "self"}
    assert {a.partition("@")[0] for a, r in real.items() if r.status == "deferred"} == failed
    root_dse = {k for k in GROUPS if "root-dse" in k}
    assert {real[f"{k}@h2.test"].status for k in root_dse} == {"undeliverable"}
    assert real["root-and-bob@h2.test"] == Routing("delivered", (bob,))
    for name in ("ldapi-novell", "ldapi-port"):
        assert real[f"{name}@h2.test"] == Routing("delivered", (bob,))
    # This slapd answers noSuchObject from the empty base: Postfix skips the value.
    assert {real[f"root-{s}@h2.test"].status for s in ("one", "sub", "children")} == {
        "undeliverable"
    }


def test_a_table_that_reads_the_root_dses_own_attribute_is_unknown(
    tmp_path: Path, clean_slapd: LdapServer
) -> None:
    """Postfix gives namingContexts from the root DSE (postmap -q): a value the repo does
    not hold, so ldifctl does not guess it."""
    people = {"g": person("g", uid="g@h2.test", labeledURI="ldap:///")}
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), NAMING_CONTEXTS_MAIL)
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    tables = tmp_path / "tables"
    tables.mkdir()
    postfix_maps(repo, tables)
    table = tables / "virtual_alias_maps-3.cf"
    backdate(table)
    found = postmap_query(table, "g@h2.test", make_postfix_confdir(tmp_path / "conf"))
    assert found[:2] == (0, clean_slapd.suffix), found
    assert resolved(repo, ["g@h2.test"])["g@h2.test"].status == "unknown"


def root_dse_attributes(server: LdapServer) -> list[str]:
    with server.bind() as conn:
        [(_, attrs)] = conn.search_s("", ldap.SCOPE_BASE, "(objectClass=*)", ["*", "+"])
    return sorted(attrs)


def test_slapds_root_dse_holds_no_user_attribute_ldifctl_knows(slapd: LdapServer) -> None:
    """What `ldap:///??base` reads: every attribute of the root DSE is one ldifctl leaves
    to the server (special_values.root_dse_may_hold)."""
    names = root_dse_attributes(slapd)
    assert {"namingContexts", "objectClass", "supportedControl"} <= set(names), names
    assert [n for n in names if not root_dse_may_hold(build_schema(), n)] == []


@pytest.mark.ds389
def test_389_ds_root_dse_holds_no_user_attribute_ldifctl_knows(ds389: LdapServer) -> None:
    names = root_dse_attributes(ds389)
    assert {"namingContexts", "objectClass", "supportedControl"} <= set(names), names
    assert [n for n in names if not root_dse_may_hold(build_schema(), n)] == []
