"""Non-ASCII addresses route as a running Postfix (SMTPUTF8 on) routes them: it folds the
case of every key it looks up (`straße` asks `strasse`) and never quotes a UTF-8 user
part; the server then compares the folded key under the attribute's equality rule."""

from __future__ import annotations

from pathlib import Path

from mail_kit import mail_repo, mail_with, person
from postfix_kit import Routing, RunningPostfix, point_at, resolved, serve, write_tables
from servers import LdapServer

PEOPLE = {
    "bob": person("bob", mail="bob@h1.test"),
    "carol": person("carol", mail="carol@h1.test"),
    # Postfix asks for `strasse@h1.test`, which the server does not hold equal to `straße`.
    "u1": person("u1", mailAlternateAddress="straße@h1.test", mailForwardingAddress="bob@h1.test"),
    "u2": person("u2", mailAlternateAddress="gross@h1.test", mailForwardingAddress="bob@h1.test"),
    # A final capital sigma folds to the medial small one (lower() makes it final).
    "u3": person("u3", mailAlternateAddress="οδοσ@h1.test", mailForwardingAddress="carol@h1.test"),
    "u4": person("u4", mailAlternateAddress="zoë@h1.test", mailForwardingAddress="bob@h1.test"),
    "d2": person("d2", mailAlternateAddress="@h2.test", mailForwardingAddress="@h1.test"),
    "a": person("a", mailAlternateAddress="a@h2.test", mailForwardingAddress="bob@h1.test"),
}

EXPECTED = {
    "straße@h1.test": Routing("undeliverable", (("straße@h1.test", "undeliverable"),)),
    "groß@h1.test": Routing("delivered", (("bob@h1.test", "mailbox"),)),
    "ΟΔΟΣ@h1.test": Routing("delivered", (("carol@h1.test", "mailbox"),)),
    # `@h2.test -> @h1.test` gives zoë@h1.test, unquoted, which the next lookup finds.
    "zoë@h2.test": Routing("delivered", (("bob@h1.test", "mailbox"),)),
    "a+é@h2.test": Routing("delivered", (("bob+é@h1.test", "mailbox"),)),
}


def probe_utf8(postfix: RunningPostfix, addresses: list[str]) -> dict[str, Routing]:
    """`sendmail -bv` for addresses `probe` refuses (not ASCII dot-atoms): sendmail takes
    a UTF-8 address as it is. One message: no two of them fold to the same address."""
    found: dict[str, Routing] = {}
    postfix._round([addresses], found)
    return {a: found[a] for a in addresses}


def test_non_ascii_addresses_route_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix
) -> None:
    repo = mail_repo(
        tmp_path, PEOPLE, ("h1.test", "h2.test"), mail_with(recipient_delimiter="+")
    )
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    write_tables(repo, postfix)
    addresses = list(EXPECTED)
    assert probe_utf8(postfix, addresses) == EXPECTED
    assert resolved(repo, addresses) == EXPECTED
