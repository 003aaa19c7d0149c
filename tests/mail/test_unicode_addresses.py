"""Non-ASCII addresses without a running Postfix: the `address-syntax` warning for a key
value Postfix can never look up (it folds case, the server does not), and a
recipient_delimiter that is not ASCII, refused (Postfix splits at its bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mail_kit import CONFIG, mail_repo, mail_with, person, router
from repo_kit import run

from ldifctl.mail.addresses import fold, quoted
from ldifctl.model.errors import LdifctlError
from ldifctl.repo.settings.mail import parse_mail
from ldifctl.repo.workspace import open_workspace

PEOPLE = {
    "bob": person("bob", mail="bob@h1.test"),
    "u1": person("u1", mailAlternateAddress="straße@h1.test", mailForwardingAddress="bob@h1.test"),
    "u2": person("u2", mailAlternateAddress="gross@h1.test", mailForwardingAddress="bob@h1.test"),
    "u3": person("u3", mailAlternateAddress="οδοσ@h1.test", mailForwardingAddress="bob@h1.test"),
}


def test_fold_is_postfix_case_folding_and_utf8_user_parts_stay_unquoted() -> None:
    assert fold("Straße@H1.test") == "strasse@h1.test"
    assert fold("ΟΔΟΣ") == "οδοσ"  # lower() gives a final sigma, which Postfix does not
    assert quoted("zoë") == "zoë"
    assert quoted("bob+é") == "bob+é"
    assert quoted("a b") == '"a b"'


def test_folded_keys_find_what_postfix_finds(tmp_path: Path) -> None:
    routes = router(mail_repo(tmp_path, PEOPLE, ("h1.test",)))
    delivered = {a: routes.resolve(a).delivered for a in
                 ("straße@h1.test", "STRASSE@h1.test", "groß@h1.test", "ΟΔΟΣ@h1.test")}
    assert delivered == {
        "straße@h1.test": False,
        "STRASSE@h1.test": False,
        "groß@h1.test": True,
        "ΟΔΟΣ@h1.test": True,
    }


def test_a_key_postfix_never_looks_up_is_a_warning(tmp_path: Path) -> None:
    repo = mail_repo(tmp_path, PEOPLE, ("h1.test",))
    _, out, err = run(repo, "validate")
    warnings = [line for line in (out + err).splitlines() if "never looked up" in line]
    assert len(warnings) == 1, out + err
    assert warnings[0].startswith(
        "directory/dc=net/dc=example/ou=people/cn=u1.yaml:5: warning [address-syntax] "
    )
    assert (
        "mailAlternateAddress 'straße@h1.test' is never looked up: Postfix case-folds the "
        "address it asks for (SMTPUTF8), so mail to straße@h1.test looks up "
        "'strasse@h1.test', which the server does not hold equal to this value, and finds "
        "nothing here; store the folded spelling 'strasse@h1.test' instead"
    ) in warnings[0]


def test_a_key_stored_folded_is_no_warning(tmp_path: Path) -> None:
    people = {**PEOPLE, "u1": person("u1", mailAlternateAddress="strasse@h1.test",
                                     mailForwardingAddress="bob@h1.test")}
    _, out, err = run(mail_repo(tmp_path, people, ("h1.test",)), "validate")
    assert "never looked up" not in out + err


@pytest.mark.parametrize("delimiter", ["§", "+§", "é"])
def test_a_non_ascii_recipient_delimiter_is_refused(tmp_path: Path, delimiter: str) -> None:
    (tmp_path / "ldifctl.yaml").write_text(
        CONFIG + mail_with(recipient_delimiter=delimiter), encoding="utf-8"
    )
    with pytest.raises(LdifctlError) as err:
        parse_mail(open_workspace(tmp_path, {}).config.mail)
    wide = "".join(c for c in delimiter if not c.isascii())
    assert str(err.value) == (
        f"ldifctl.yaml:8: mail.recipient_delimiter: {wide!r} is not ASCII, and Postfix "
        "splits addresses at each byte of the setting, so it would cut other non-ASCII "
        "characters that share a byte with it: use ASCII characters only, e.g. '+'"
    )
