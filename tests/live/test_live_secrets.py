"""Where the bind password may go: to libldap, and to ldapsearch through a pipe. Never
into a child's environment or argv, never into a message (issue 10, items 8 and 9)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, TlsServer, ldifctl, live_repo, tls_slapd
from repo_kit import PEOPLE, USER, USER_FORWARD, DirectoryRepo

BIND_DN = "cn=admin,dc=example,dc=net"
# Each is a piece of the bind DN, the URI or ldifctl's own words around them.
SHORT_PASSWORDS = ["admin", "example", "1", "ldap", "net", "bind", "127.0.0.1", "failed"]


def secret() -> str:
    return "pw-" + secrets.token_hex(12)


# --- Item 8: children inherit nothing secret.

SPY = """\
#!/bin/sh
# Records what this child was given, then runs the real program.
{{ printf 'argv:'; printf ' [%s]' "$0" "$@"; printf '\\n'; tr '\\0' '\\n' < /proc/$$/environ; }} \
>> {log}
exec {real} "$@"
"""


def spy_on(folder: Path, program: str) -> Path:
    """A `program` earlier on PATH that logs its argv and /proc/self/environ."""
    real = subprocess.run(["which", program], capture_output=True, text=True, check=True)
    log = folder / f"{program}.log"
    log.touch()
    spy = folder / program
    spy.write_text(SPY.format(log=log, real=real.stdout.strip()))
    spy.chmod(0o755)
    return log


def run_process(repo: DirectoryRepo, env: dict[str, str], *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "ldifctl", *args],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("how", ["variable", "file"])
def test_no_child_inherits_the_password(
    tmp_path: Path, clean_slapd: servers.LdapServer, how: str
) -> None:
    password = clean_slapd.root_pw
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.write(USER, USER_FORWARD)
    repo.commit("a user")
    spies = tmp_path / "spies"
    spies.mkdir()
    logs = [spy_on(spies, "git"), spy_on(spies, "ldapsearch")]
    cache_key = "k" * 40
    env = {**os.environ, "PATH": f"{spies}:{os.environ['PATH']}", "LDIFCTL_CACHE_KEY": cache_key}
    env.pop("LDIFCTL_BIND_PASSWORD_FILE", None)
    if how == "variable":
        env["LDIFCTL_BIND_PASSWORD"] = password
    else:
        env.pop("LDIFCTL_BIND_PASSWORD", None)
        env["LDIFCTL_BIND_PASSWORD_FILE"] = str(clean_slapd.password_file)

    for command in (["validate"], ["plan"], ["apply", "--yes"], ["drift"]):
        code, output = run_process(repo, env, *command)
        assert code == 0, output
    # The password did its job (apply wrote, drift read through ldapsearch)...
    assert clean_slapd.search_all(PEOPLE_DN).keys() == {PEOPLE_DN, USER}
    git_log, ldapsearch_log = (log.read_text() for log in logs)
    assert git_log.count("argv:") >= 4
    assert ldapsearch_log.count("argv:") == 2  # the dump, and the probe for referral entries
    # ...and no child saw it or the name of the file holding it.
    for seen in (git_log, ldapsearch_log):
        assert password not in seen
        assert "LDIFCTL_BIND_PASSWORD" not in seen
        assert cache_key not in seen
    # The key was used: the cache validate and plan wrote is sealed under it.
    assert (repo.root / ".git/ldifctl").is_dir()


# --- Item 9: messages never hold the password, and are never rewritten around it.


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    with tls_slapd(tmp_path_factory.mktemp("tls")) as box:
        yield box


def repo_at(root: Path, uri: str) -> DirectoryRepo:
    repo = DirectoryRepo(
        root, f"base_dn: {PEOPLE_DN}\nserver:\n  uri: {uri}\n  bind_dn: {BIND_DN}\n"
    )
    repo.write(PEOPLE_DN, PEOPLE)
    repo.write(USER, USER_FORWARD)
    return repo


def errors_with(
    repo: DirectoryRepo, password: str, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[int, str, str]]:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", password)
    monkeypatch.setenv("LDIFCTL_DEBUG", "1")
    return [ldifctl(repo, *command) for command in (["drift"], ["apply", "--yes"])]


def down_uri() -> str:
    return "ldap://127.0.0.1:1"


@pytest.mark.parametrize("failure", ["server down", "wrong password", "certificate refused"])
def test_messages_are_the_same_whatever_the_password(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean_slapd: servers.LdapServer,
    tls: TlsServer,
    failure: str,
) -> None:
    uri = {
        "server down": down_uri(),
        "wrong password": clean_slapd.uri,
        "certificate refused": tls.ldaps_uri,  # no ca_file: the test CA is not trusted
    }[failure]
    repo = repo_at(tmp_path, uri)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
    unrelated = secret()
    baseline = errors_with(repo, unrelated, monkeypatch)
    for code, out, err in baseline:
        assert (code, out) == (1, "")
        assert unrelated not in err
    expected = {
        "server down": (
            f"error: cannot reach {uri} (bind as {BIND_DN} failed): Can't contact LDAP server "
            "(-1): Transport endpoint is not connected: check server.uri (or LDIFCTL_URI), that "
            "the server runs, and for TLS server.ca_file\n"
        ),
        "wrong password": (
            f"error: {uri} refused the bind as {BIND_DN}: invalid credentials (49): check "
            "server.bind_dn (or LDIFCTL_BIND_DN) and the password in LDIFCTL_BIND_PASSWORD or "
            "LDIFCTL_BIND_PASSWORD_FILE\n"
        ),
    }
    if failure in expected:
        assert [err for _, _, err in baseline] == [expected[failure]] * 2
    else:
        assert baseline[0][2].startswith(f"error: cannot reach {uri} (bind as {BIND_DN} failed): ")
    for password in SHORT_PASSWORDS:
        # Every word stays as it is: only a message that depends on the password could
        # differ, and none may.
        assert errors_with(repo, password, monkeypatch) == baseline, password


class EchoingServer:
    """An LDAP server that answers every bind with `unwillingToPerform` (53) and a
    diagnostic that repeats the password it was sent, which no real server we can run
    does. Hand-written BER: short forms only, which the bind of a short DN fits."""

    def __init__(self, diagnostic: bytes) -> None:
        self.diagnostic = diagnostic
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.uri = f"ldap://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                request = conn.recv(4096)
                # 30 len 02 01 <id> 60 len 02 01 03 04 <dn> 80 <len> <password>
                password = request[request.rindex(b"\x80") + 2 :]
                conn.sendall(self._response(request[4], self.diagnostic.replace(b"%s", password)))

    @staticmethod
    def _response(message_id: int, text: bytes) -> bytes:
        result = b"\x0a\x01\x35\x04\x00\x04" + bytes([len(text)]) + text
        body = b"\x02\x01" + bytes([message_id]) + b"\x61" + bytes([len(result)]) + result
        return b"\x30" + bytes([len(body)]) + body

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize(
    ("diagnostic", "shown"),
    [
        (b"binds are off; you sent %s", ""),
        (b"binds are off today", ": binds are off today"),
    ],
)
def test_a_server_diagnostic_that_repeats_the_password_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, diagnostic: bytes, shown: str
) -> None:
    server = EchoingServer(diagnostic)
    try:
        repo = repo_at(tmp_path, server.uri)
        monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", secret())
        assert ldifctl(repo, "apply", "--yes") == (
            1,
            "",
            f"error: {server.uri}: bind as {BIND_DN} failed: Server is unwilling to perform "
            f"(53){shown}\n",
        )
    finally:
        server.close()
