"""LDAP URLs as special_result_attribute values (the memberURL dynamic-group setup):
`ldifctl resolve` agrees with a running Postfix (`sendmail -bv`) on where mail to each
group goes, or that the lookup fails and the mail is deferred."""

from __future__ import annotations

from pathlib import Path

from mail_kit import mail_repo, mail_with, person
from postfix_kit import Routing, RunningPostfix, point_at, resolved, serve, write_tables
from servers import LdapServer

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
GROUPS = {
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


def test_url_groups_route_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix
) -> None:
    people = {
        "bob": person("bob", mail="bob@h1.test"),
        "carol": person("carol", mail="carol@h1.test"),
        "mid": person("mid", seeAlso=f"cn=carol,{PEOPLE}"),
        **{f"g-{k}": person(f"g-{k}", uid=f"{k}@h2.test", labeledURI=u) for k, u in GROUPS.items()},
    }
    repo = mail_repo(tmp_path, people, ("h1.test", "h2.test"), URL_MAIL)
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    write_tables(repo, postfix)
    addresses = [f"{k}@h2.test" for k in GROUPS]
    real = postfix.probe(addresses)
    assert resolved(repo, addresses) == real
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
