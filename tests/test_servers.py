"""The real servers the other tests rely on do what those tests assume."""

from __future__ import annotations

from pathlib import Path

import ldap
import pytest
from servers import LdapServer, postmap_query, write_table_cf

SUFFIX_ENTRY = {"objectClass": [b"top", b"domain"], "dc": [b"example"]}

POSTFIX_BOOK = """\
dn: ou=Mail,dc=example,dc=net
changetype: add
objectClass: organizationalUnit
ou: Mail

dn: uid=johndoe,ou=Mail,dc=example,dc=net
changetype: add
objectClass: inetOrgPerson
objectClass: PostfixBookMailAccount
uid: johndoe
cn: John Doe
sn: Doe
mail: johndoe@domain1.net
mailAlias: superjohn@domain2.me
mailEnabled: TRUE
"""

MAIL_RECIPIENT = """\
dn: ou=people,dc=example,dc=net
changetype: add
objectClass: organizationalUnit
ou: people

dn: cn=user.example,ou=people,dc=example,dc=net
changetype: add
objectClass: inetOrgPerson
objectClass: mailRecipient
cn: user.example
sn: example
mail: new.address@domain.ro
mailAlternateAddress: old.address@domain.com
mailForwardingAddress: new.address@domain.ro
"""

JOHNDOE = {
    "objectClass": [b"inetOrgPerson", b"PostfixBookMailAccount"],
    "uid": [b"johndoe"],
    "cn": [b"John Doe"],
    "sn": [b"Doe"],
    "mail": [b"johndoe@domain1.net"],
    "mailAlias": [b"superjohn@domain2.me"],
    "mailEnabled": [b"TRUE"],
}

USER_EXAMPLE = {
    "cn": [b"user.example"],
    "sn": [b"example"],
    "mail": [b"new.address@domain.ro"],
    "mailAlternateAddress": [b"old.address@domain.com"],
    "mailForwardingAddress": [b"new.address@domain.ro"],
}


def forward_table(server: LdapServer, bind: bool = False) -> dict[str, str]:
    """The 389 setup's virtual_alias_maps: old address -> forwarding address."""
    settings = {
        "server_host": server.uri,
        "version": "3",
        "search_base": f"ou=people,{server.suffix}",
        "scope": "sub",
        "query_filter": "(mailAlternateAddress=%s)",
        "result_attribute": "mailForwardingAddress",
        "bind": "yes" if bind else "no",
    }
    if bind:
        settings |= {"bind_dn": server.root_dn, "bind_pw": server.root_pw}
    return settings


def find(server: LdapServer, ldap_filter: str) -> list[str]:
    with server.bind() as conn:
        return [dn for dn, _ in conn.search_s(server.suffix, ldap.SCOPE_SUBTREE, ldap_filter)]


def test_slapd_starts_with_only_the_suffix_entry(clean_slapd: LdapServer) -> None:
    assert clean_slapd.uri.startswith("ldap://127.0.0.1:")
    assert clean_slapd.search_all() == {"dc=example,dc=net": SUFFIX_ENTRY}


def test_ldapmodify_adds_entries_of_both_mail_schemas(clean_slapd: LdapServer) -> None:
    done = clean_slapd.ldapmodify(POSTFIX_BOOK + "\n" + MAIL_RECIPIENT)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        'adding new entry "ou=Mail,dc=example,dc=net"\n\n'
        'adding new entry "uid=johndoe,ou=Mail,dc=example,dc=net"\n\n'
        'adding new entry "ou=people,dc=example,dc=net"\n\n'
        'adding new entry "cn=user.example,ou=people,dc=example,dc=net"\n\n'
    )
    assert clean_slapd.search_all() == {
        "dc=example,dc=net": SUFFIX_ENTRY,
        "ou=Mail,dc=example,dc=net": {"objectClass": [b"organizationalUnit"], "ou": [b"Mail"]},
        "uid=johndoe,ou=Mail,dc=example,dc=net": JOHNDOE,
        "ou=people,dc=example,dc=net": {"objectClass": [b"organizationalUnit"], "ou": [b"people"]},
        "cn=user.example,ou=people,dc=example,dc=net": {
            "objectClass": [b"inetOrgPerson", b"mailRecipient"],
            **USER_EXAMPLE,
        },
    }


def test_mail_attributes_match_case_insensitively_on_slapd(clean_slapd: LdapServer) -> None:
    clean_slapd.ldapadd(POSTFIX_BOOK + "\n" + MAIL_RECIPIENT)

    user = ["cn=user.example,ou=people,dc=example,dc=net"]
    assert find(clean_slapd, "(mailAlternateAddress=OLD.address@domain.com)") == user
    assert find(clean_slapd, "(mailForwardingAddress=NEW.Address@domain.ro)") == user
    assert find(clean_slapd, "(mailAlias=SuperJohn@Domain2.me)") == [
        "uid=johndoe,ou=Mail,dc=example,dc=net"
    ]


def test_ldapmodify_reports_the_server_error(clean_slapd: LdapServer) -> None:
    done = clean_slapd.ldapmodify(POSTFIX_BOOK.replace("mailEnabled: TRUE", "mailEnabled: true"))

    assert done.returncode == 21
    assert "ldap_add: Invalid syntax (21)" in done.stderr
    assert clean_slapd.search_all("uid=johndoe,ou=Mail,dc=example,dc=net") == {}


def test_continue_on_error_keeps_going_and_exits_with_the_last_error(
    clean_slapd: LdapServer,
) -> None:
    twice = "dn: ou=people,dc=example,dc=net\nchangetype: add\nobjectClass: organizationalUnit\n"
    done = clean_slapd.ldapmodify(twice + "\n" + twice + "\n" + MAIL_RECIPIENT, True)

    assert done.returncode == 68
    assert "ldap_add: Already exists (68)" in done.stderr
    assert "cn=user.example,ou=people,dc=example,dc=net" in clean_slapd.search_all()


def test_reset_deletes_everything_below_the_suffix(clean_slapd: LdapServer) -> None:
    clean_slapd.ldapadd(POSTFIX_BOOK + "\n" + MAIL_RECIPIENT)

    clean_slapd.reset()

    assert clean_slapd.search_all() == {"dc=example,dc=net": SUFFIX_ENTRY}


def test_reset_recreates_a_deleted_suffix_entry(clean_slapd: LdapServer) -> None:
    done = clean_slapd.ldapmodify("dn: dc=example,dc=net\nchangetype: delete\n")
    assert done.returncode == 0, done.stderr

    clean_slapd.reset()

    assert clean_slapd.search_all() == {"dc=example,dc=net": SUFFIX_ENTRY}


def test_search_all_of_a_missing_base_is_empty(clean_slapd: LdapServer) -> None:
    assert clean_slapd.search_all("ou=nowhere,dc=example,dc=net") == {}


def test_the_root_password_is_never_on_the_command_line(slapd: LdapServer) -> None:
    assert slapd.password_file.stat().st_mode & 0o777 == 0o600
    assert slapd.password_file.read_text() == slapd.root_pw


def test_postmap_resolves_a_forward_through_slapd(
    clean_slapd: LdapServer, postfix_confdir: Path
) -> None:
    clean_slapd.ldapadd(MAIL_RECIPIENT)
    table = write_table_cf(postfix_confdir / "virtual_alias.cf", forward_table(clean_slapd))

    assert postmap_query(table, "old.address@domain.com") == (0, "new.address@domain.ro", "")
    assert postmap_query(table, "OLD.Address@Domain.com") == (0, "new.address@domain.ro", "")
    assert postmap_query(table, "nobody@domain.com") == (1, "", "")


def test_postmap_resolves_a_postfix_book_alias(
    clean_slapd: LdapServer, postfix_confdir: Path
) -> None:
    clean_slapd.ldapadd(POSTFIX_BOOK)
    settings = forward_table(clean_slapd) | {
        "search_base": f"ou=Mail,{clean_slapd.suffix}",
        "query_filter": "(&(objectClass=PostfixBookMailAccount)(mailAlias=%s))",
        "result_attribute": "mail",
    }
    table = write_table_cf(postfix_confdir / "aliases.cf", settings)

    assert postmap_query(table, "superjohn@domain2.me") == (0, "johndoe@domain1.net", "")


@pytest.mark.ds389
def test_389_accepts_the_mail_recipient_entry(clean_ds389: LdapServer) -> None:
    assert clean_ds389.root_dn == "cn=Directory Manager"
    # lib389 gives the suffix entry a description and an anonymous-read aci.
    assert list(clean_ds389.search_all()) == ["dc=example,dc=net"]

    done = clean_ds389.ldapmodify(MAIL_RECIPIENT)

    assert (done.returncode, done.stderr) == (0, "")
    user = "cn=user.example,ou=people,dc=example,dc=net"
    assert clean_ds389.search_all(user) == {
        # 389 appends the superior object classes of inetOrgPerson to what was written.
        user: {
            "objectClass": [
                b"inetOrgPerson",
                b"mailRecipient",
                b"organizationalPerson",
                b"top",
                b"person",
            ],
            **USER_EXAMPLE,
        }
    }
    assert find(clean_ds389, "(mailAlternateAddress=OLD.address@domain.com)") == [user]


@pytest.mark.ds389
def test_postmap_resolves_a_forward_through_389(
    clean_ds389: LdapServer, postfix_confdir: Path
) -> None:
    clean_ds389.ldapadd(MAIL_RECIPIENT)
    # 389 lets anonymous users read almost nothing: Postfix has to bind.
    table = write_table_cf(postfix_confdir / "virtual_alias.cf", forward_table(clean_ds389, True))

    assert postmap_query(table, "old.address@domain.com") == (0, "new.address@domain.ro", "")
    assert postmap_query(table, "nobody@domain.com") == (1, "", "")
