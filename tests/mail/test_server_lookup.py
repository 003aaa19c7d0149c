"""Keys whose answer depends on the server (server_lookup.py): slapd finds `ﬁnance@h1.test`,
the Kelvin sign's and `ǅemal@h1.test` by the keys Postfix sends, 389-DS does not
(tests/model/test_server_rules.py holds that to both servers). `resolve` says unknown
for them, never undeliverable; `straße@h1.test`, which neither finds, stays undeliverable."""

from __future__ import annotations

from pathlib import Path

from mail_kit import mail_repo, person, router
from repo_kit import run

from ldifctl.mail.route_report import status

FORWARD = {"mailForwardingAddress": "bob@h1.test"}
PEOPLE = {
    "bob": person("bob", mail="bob@h1.test"),
    "u1": person("u1", mailAlternateAddress="ﬁnance@h1.test", **FORWARD),
    "u2": person("u2", mailAlternateAddress="\u212aelvin@h1.test", **FORWARD),
    "u3": person("u3", mailAlternateAddress="ǅemal@h1.test", **FORWARD),
    "u4": person("u4", mailAlternateAddress="straße@h1.test", **FORWARD),
    "u5": person("u5", mailAlternateAddress="zoë@h1.test", **FORWARD),
}


def test_a_key_only_slapd_finds_is_unknown(tmp_path: Path) -> None:
    routes = router(mail_repo(tmp_path, PEOPLE, ("h1.test",)))
    asked = ("ﬁnance@h1.test", "finance@h1.test", "\u212aelvin@h1.test", "KELVIN@h1.test",
             "ǅemal@h1.test", "straße@h1.test", "Zoë@h1.test", "bob@h1.test")
    assert {a: status(routes.resolve(a)) for a in asked} == {
        "ﬁnance@h1.test": "unknown",
        "finance@h1.test": "unknown",
        "\u212aelvin@h1.test": "unknown",
        "KELVIN@h1.test": "unknown",
        "ǅemal@h1.test": "unknown",
        "straße@h1.test": "undeliverable",
        "Zoë@h1.test": "delivered",
        "bob@h1.test": "delivered",
    }
    assert routes.resolve("ﬁnance@h1.test").error == (
        "virtual_alias_maps[2]: ldifctl cannot tell what Postfix finds for finance@h1.test, "
        "which depends on the server: slapd finds cn=u1,ou=people,dc=example,dc=net (its "
        "caseIgnoreMatch holds the mailAlternateAddress of cn=u1,ou=people,dc=example,dc=net "
        "equal to the folded key), 389-DS finds nothing"
    )


def test_resolve_says_unknown(tmp_path: Path) -> None:
    code, out, _ = run(mail_repo(tmp_path, PEOPLE, ("h1.test",)), "resolve", "ﬁnance@h1.test")
    assert code == 1 and out.endswith("\nunknown\n"), out
    assert "  unknown       virtual_alias_maps[2]: ldifctl cannot tell" in out, out


def test_the_fold_warning_names_the_server_that_finds_the_value(tmp_path: Path) -> None:
    _, out, err = run(mail_repo(tmp_path, PEOPLE, ("h1.test",)), "validate")
    lines = (out + err).splitlines()
    warnings = sorted(line for line in lines if " warning [address-syntax] " in line)
    assert [w.split(".yaml")[0].rsplit("=", 1)[1] for w in warnings] == ["u1", "u2", "u3", "u4"]
    assert (
        "mailAlternateAddress 'ﬁnance@h1.test' is looked up on one server only: Postfix "
        "case-folds the address it asks for (SMTPUTF8), so mail to ﬁnance@h1.test looks up "
        "'finance@h1.test'; slapd finds it by the folded key, 389-DS does not; store the "
        "folded spelling 'finance@h1.test' instead"
    ) in warnings[0]
    assert "slapd finds it by the folded key, 389-DS does not" in warnings[1]
    assert "slapd finds it by the folded key, 389-DS does not" in warnings[2]
    assert "'straße@h1.test' is never looked up: " in warnings[3]
    assert "which the server does not hold equal to this value" in warnings[3]
