"""Mail rules as Postfix routes: no finding on what Postfix delivers, a right reason on what
it bounces, and a loud word when a rule cannot run or a table cannot find anything."""

from __future__ import annotations

from pathlib import Path

from mail_kit import MAIL, mail_repo, person
from test_policies import PEOPLE, findings

ONLY_DANGLING = "rules:\n  address-syntax: off\n  no-self-forward: off\n  hosted-domain: off\n"


def test_a_catch_all_result_keeps_the_user_and_is_judged_as_that_address(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "box": person("box", mail="known@h1.test"),
            # known@h2.test -> @h1.test is known@h1.test, a mailbox: Postfix delivers.
            "known": person(
                "known", mailAlternateAddress="known@h2.test", mailForwardingAddress="@h1.test"
            ),
            "lost": person(
                "lost", mailAlternateAddress="lost@h2.test", mailForwardingAddress="@h1.test"
            ),
            # Every user of h3.test to the same user at h1.test: no one address to judge.
            "all": person("all", mailAlternateAddress="@h3.test", mailForwardingAddress="@h1.test"),
        },
        domains=("h1.test", "h2.test", "h3.test"),
    )
    assert findings(repo, ONLY_DANGLING) == [
        f"{PEOPLE}/cn=lost.yaml:7: error [dangling-forward] forwards to lost@h1.test, which is in "
        "the hosted domain h1.test but is neither a mailbox nor an alias (mail to lost@h2.test "
        "goes to lost@h1.test: @h1.test keeps the user): mail to it bounces (User unknown); "
        "correct the address or create the mailbox",
    ]


def test_a_forward_with_an_extension_reaches_the_mailbox_with_a_delimiter(tmp_path: Path) -> None:
    people = {
        "box": person("box", mail="bob@h1.test"),
        "tag": person(
            "tag", mailAlternateAddress="sales@h1.test", mailForwardingAddress="bob+sales@h1.test"
        ),
    }
    repo = mail_repo(tmp_path, people, domains=("h1.test",))
    assert findings(repo, ONLY_DANGLING) == [
        f"{PEOPLE}/cn=tag.yaml:7: error [dangling-forward] forwards to bob+sales@h1.test, which is "
        "in the hosted domain h1.test but is neither a mailbox nor an alias: mail to it bounces "
        "(User unknown); correct the address or create the mailbox",
    ]
    with_delimiter = mail_repo(
        tmp_path / "plus",
        people,
        ("h1.test",),
        "mail:\n  recipient_delimiter: +\n" + MAIL.removeprefix("mail:\n"),
    )
    assert findings(with_delimiter, ONLY_DANGLING) == []


def test_a_self_forward_is_no_self_forwards_and_an_alias_to_itself_is_said_to_be_one(
    tmp_path: Path,
) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "self": person(
                "self", mailAlternateAddress="self@h1.test", mailForwardingAddress="self@h1.test"
            ),
            "other": person(
                "other", mailAlternateAddress="other@h1.test", mailForwardingAddress="self@h1.test"
            ),
        },
        domains=("h1.test",),
    )
    assert findings(repo, "rules:\n  address-syntax: off\n") == [
        f"{PEOPLE}/cn=other.yaml:7: error [dangling-forward] forwards to self@h1.test, which is in "
        "the hosted domain h1.test but expands into itself and is no mailbox: mail to it bounces "
        "(User unknown); correct the address or create the mailbox",
        f"{PEOPLE}/cn=self.yaml:7: error [no-self-forward] forwards to self@h1.test, one of its "
        "own alias addresses (mailAlternateAddress): mail to it comes straight back to this entry; "
        "forward to the mailbox it should reach, or remove self@h1.test from mailAlternateAddress",
    ]


UID_TABLE = """\
    - search_base: ou=people,dc=example,dc=net
      query_filter: (&(objectClass=inetOrgPerson)(cn=%u))
      domain: h1.test
      result_attribute: mail
"""


def test_address_syntax_reads_values_where_and_as_the_tables_do(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            # cn=%u: the value is a user part, not an address.
            "jane": person("jane", mail="jane@h1.test"),
            "bad user": person("bad user", mail="bad@h1.test"),
            # A display name is how Postfix reads a forward: an address.
            "named": person(
                "named",
                mailAlternateAddress="n@h1.test",
                mailForwardingAddress="Jane D <jane@h1.test>",
            ),
            "broken": person(
                "broken",
                mailAlternateAddress="b@h1.test",
                mailForwardingAddress="Jane D jane@h1.test",
            ),
        },
        domains=("h1.test",),
        mail=MAIL + UID_TABLE,
    )
    # Entries outside the table's base (the suffix, ou=Domains) hold cn values that are no
    # user parts by design: not read, not judged.
    repo.write(
        "cn=Not A User,dc=example,dc=net",
        "dn: cn=Not A User,dc=example,dc=net\nobjectClass: organizationalRole\ncn: Not A User\n",
    )
    assert findings(repo, "rules:\n  dangling-forward: off\n") == [
        f"{PEOPLE}/cn=bad user.yaml:3: error [address-syntax] cn 'bad user' is not the user part "
        "of an address (the table puts it before @): write it as user",
        f"{PEOPLE}/cn=broken.yaml:7: error [address-syntax] mailForwardingAddress 'Jane D "
        "jane@h1.test' is not a mail address ('Jane': it has no @domain): write it as "
        "user@example.net or Name <user@example.net>",
    ]
