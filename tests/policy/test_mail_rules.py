"""Mail rules as Postfix routes: no finding on what Postfix delivers, a right reason on what
it bounces, and a loud word when a rule cannot run or a table cannot find anything."""

from __future__ import annotations

from pathlib import Path

from mail_kit import MAIL, mail_repo, mail_with, person
from repo_kit import NO_MAIL_WARNING, run
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
        mail_with(recipient_delimiter="+"),
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


# --- Rules that cannot run, tables that cannot find.

SELF = person(
    "self",
    mail="self@h1.test",
    mailAlternateAddress="me@h1.test",
    mailForwardingAddress="me@h1.test",
)


def test_without_mail_tables_validate_says_which_rules_cannot_run(tmp_path: Path) -> None:
    repo = mail_repo(tmp_path, {"self": SELF}, ("h1.test",), mail="")
    code, _, err = run(repo, "validate")
    assert (code, err.splitlines()[0] + "\n") == (0, NO_MAIL_WARNING)
    assert run(repo, "resolve", "me@h1.test") == (
        1,
        "",
        "error: ldifctl.yaml has no mail: tables, so ldifctl cannot route mail as Postfix does: "
        "add Postfix's lookup tables to mail: (README: Mail routing)\n",
    )
    # Without the hosted domains, resolve says every address is external, and why.
    no_domains = "mail:\n" + MAIL[MAIL.index("  virtual_mailbox_maps:") :]
    repo = mail_repo(tmp_path / "no-domains", {"self": SELF}, ("h1.test",), mail=no_domains)
    code, _, err = run(repo, "validate")
    assert (code, err.splitlines()[1:3]) == (
        1,  # no-self-forward runs: the self-forward is found
        [
            "ldifctl.yaml:7: warning [mail-tables] mail: has no virtual_mailbox_domains, so the "
            "rules dangling-forward, hosted-domain cannot run; add the tables they read, or "
            "turn the rules off in a policy file",
            "5 entries in directory: 1 error(s)",
        ],
    )
    code, out, err = run(repo, "resolve", "self@h1.test")
    assert (code, out.splitlines()[-2:], err) == (
        0,
        ["  external      self@h1.test  (not a hosted domain: Postfix sends it on)", "delivered"],
        "ldifctl.yaml:7: warning [mail-tables] mail: has no virtual_mailbox_domains, so no "
        "domain counts as hosted here and every final address is external\n",
    )


def test_a_search_base_that_is_no_entry_is_an_error(tmp_path: Path) -> None:
    typo = MAIL.replace(
        "    - search_base: ou=people,dc=example,dc=net\n      query_filter: (mailAlt",
        "    - search_base: ou=peeple,dc=example,dc=net\n      query_filter: (mailAlt",
    )
    repo = mail_repo(tmp_path, {"self": SELF}, ("h1.test",), mail=typo)
    code, _, err = run(repo, "validate")
    assert (code, err.splitlines()[0]) == (
        1,
        "ldifctl.yaml:20: error [mail-tables] mail.virtual_alias_maps[2].search_base "
        "ou=peeple,dc=example,dc=net is no entry of the directory (did you mean "
        "ou=people,dc=example,dc=net?): the table finds nothing, and the rules that read it "
        "pass in silence; fix the DN, or add the entry",
    )
    assert run(repo, "resolve", "me@h1.test")[2].splitlines()[0] == err.splitlines()[0]
    above = repo.root / "ldifctl.yaml"
    above.write_text(
        above.read_text()
        .replace("base_dn: dc=example,dc=net", "base_dn: ou=people,dc=example,dc=net")
        .replace("ou=peeple,dc=example,dc=net", "dc=example,dc=net")
    )
    (repo.root / "directory").rename(repo.root / "all")
    for path in ("dc=net/dc=example/ou=people.yaml", "dc=net/dc=example/ou=people"):
        (repo.root / "directory" / path).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / "all" / path).rename(repo.root / "directory" / path)
    code, _, err = run(repo, "validate")
    assert (
        "ldifctl.yaml:20: error [mail-tables] mail.virtual_alias_maps[2].search_base "
        "dc=example,dc=net is above base_dn ou=people,dc=example,dc=net, which is all ldifctl "
        "reads: this table finds nothing here; set search_base to ou=people,dc=example,dc=net "
        "or an entry below it" in err.splitlines()
    )


def test_a_filter_attribute_the_schema_does_not_know_is_an_error(tmp_path: Path) -> None:
    typo = MAIL.replace("(mailAlternateAddress=%s)", "(mailAlternateAdress=%s)")
    repo = mail_repo(tmp_path, {"self": SELF}, ("h1.test",), mail=typo)
    expected = (
        "error: ldifctl.yaml:21: mail.virtual_alias_maps[2].query_filter: attribute "
        "'mailAlternateAdress' is not in the schema (did you mean 'mailAlternateAddress'?), so "
        "the table would find nothing through it: fix the name, or declare the attribute under "
        "attributes: in ldifctl.yaml\n"
    )
    assert run(repo, "validate")[::2] == (1, expected)
    assert run(repo, "resolve", "me@h1.test")[::2] == (1, expected)
    result = MAIL.replace(
        "result_attribute: mailForwardingAddress", "result_attribute: mailForwardAddress"
    )
    repo = mail_repo(tmp_path / "result", {"self": SELF}, ("h1.test",), mail=result)
    assert (
        "result_attribute: attribute 'mailForwardAddress' is not in the schema"
        in run(repo, "validate")[2]
    )
