"""The bind password against a server that is not the one the CA vouches for, and in every
output a run leaves behind: stdout, stderr, reports, caches, and the command lines of the
programs ldifctl starts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import servers
from attack_kit import ArgvLog, assert_secret_absent, run, run_here
from ldap_listener import BIND_REQUEST, CA_FILE, EXTENDED_REQUEST, WRONG_CA_FILE, listening
from live_kit import PEOPLE_DN, live_repo
from repo_kit import DirectoryRepo

PASSWORD = "attack-canary-7d1e0c"  # sent to the listener: no real server's password


def tls_repo(
    root: Path, uri: str, start_tls: bool, ca_file: Path, extra: str = ""
) -> DirectoryRepo:
    settings = f"  start_tls: {'true' if start_tls else 'false'}\n  ca_file: {ca_file}\n{extra}"
    return DirectoryRepo(
        root,
        f"base_dn: {PEOPLE_DN}\nserver:\n  uri: {uri}\n"
        f"  bind_dn: cn=admin,dc=example,dc=net\n{settings}",
    )


@pytest.fixture
def canary(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", PASSWORD)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
    return PASSWORD


@pytest.mark.parametrize("start_tls", [True, False], ids=["starttls", "ldaps"])
def test_a_certificate_the_ca_file_does_not_vouch_for_gets_no_bind(
    tmp_path: Path, canary: str, start_tls: bool
) -> None:
    """ldaps/StartTLS to a certificate the CA file did not sign: refused, no bind sent."""
    with listening(start_tls) as (uri, heard):
        repo = tls_repo(tmp_path / "repo", uri, start_tls, WRONG_CA_FILE)
        for command in (["drift"], ["apply", "--yes"]):
            done = run(repo, *command)
            assert (done.code, done.out) == (1, ""), done.err
            assert f"cannot reach {uri}" in done.err
            assert_secret_absent(canary, done.out, done.err)
    # libldap checks the certificate once the TLS handshake is done, then hangs up.
    assert heard.handshakes
    assert [(layer, op) for layer, op, _ in heard.requests] == [("clear", EXTENDED_REQUEST)] * len(
        heard.handshakes
    ) * start_tls
    assert heard.binds() == []


@pytest.mark.parametrize("start_tls", [True, False], ids=["starttls", "ldaps"])
def test_the_listener_hears_a_bind_when_the_ca_is_right(
    tmp_path: Path, canary: str, start_tls: bool
) -> None:
    """The control: with the right CA the listener does hear the bind (inside TLS)."""
    with listening(start_tls) as (uri, heard):
        done = run(tls_repo(tmp_path / "repo", uri, start_tls, CA_FILE), "drift")
    assert done.code == 1
    assert "ok" in heard.handshakes
    assert any(canary.encode() in bind for bind in heard.binds())
    assert all(layer == "tls" for layer, op, _ in heard.requests if op == BIND_REQUEST)


def test_turning_the_check_off_warns_on_every_command(tmp_path: Path, canary: str) -> None:
    """`tls_require_cert: never` warns on every command, even those that read no server."""
    with listening(False) as (uri, _):
        repo = tls_repo(tmp_path / "repo", uri, False, WRONG_CA_FILE, "  tls_require_cert: never\n")
        for command in (["plan", "--base", "server"], ["validate"]):
            done = run(repo, *command)
            assert re.match(
                r"warning: ldifctl.yaml:\d+: server.tls_require_cert is 'never'", done.err
            )


def test_the_password_is_in_no_output_report_cache_or_command_line(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day of work: the password is in no output, report, cache or child's argv."""
    (tmp_path / "pw").write_text(clean_slapd.root_pw + "\n")
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD", raising=False)
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD_FILE", str(tmp_path / "pw"))
    shims = ArgvLog(tmp_path / "shims", "git", "ldapsearch")
    repo = live_repo(tmp_path / "repo", clean_slapd)
    bad = f"cn=bad,{PEOPLE_DN}"
    repo.write(bad, f"dn: {bad}\nobjectClass: person\ncn: bad\nsn: B\nmail: x@y.org\n")
    repo.commit("an entry the server refuses (mail is not allowed by person)")
    monkeypatch.setenv("PATH", shims.env["PATH"])
    runs = [
        run_here(repo, *command)
        for command in (
            ["plan", "--base", "server"],
            ["export", "--rev", "server"],
            ["apply", "--yes"],
            ["drift"],
            ["drift", "--write"],
            ["import", "--from-server"],
            ["postfix-maps"],
        )
    ]
    assert [done.code for done in runs[2:4]] == [1, 3]
    assert any(line.startswith("ldapsearch ") for line in shims.lines())
    outputs = [text for done in runs for text in (done.out, done.err)]
    assert_secret_absent(
        clean_slapd.root_pw, *outputs, *shims.lines(), folders=(repo.root, tmp_path / "shims")
    )
