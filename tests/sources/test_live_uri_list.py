"""`server.uri` as a list: libldap falls back to the next URI, so every URI must pass the
clear-text rule (issue 10, item 1).

The proof runs inside a network namespace the test creates: its own loopback, with an
extra address (10.99.0.1) that stands for a server elsewhere on the network and a
listener there that records every byte it gets. No traffic leaves the namespace.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, TlsServer, in_sync, ldifctl, live_repo, tls_slapd
from repo_kit import PEOPLE, USER, USER_FORWARD, DirectoryRepo

ELSEWHERE = "10.99.0.1"  # on the namespace's own loopback: unreachable from outside it
PORT = 3899
BIND_DN = "cn=admin,dc=example,dc=net"
CLEAR = f"ldap://{ELSEWHERE}:{PORT}/"
REFUSED = (
    f"error: refusing to send the bind password in clear text to {CLEAR}: set "
    "server.start_tls: true, or use an ldaps:// URI (every URI of server.uri must be safe: "
    "libldap falls back to the next one when a server cannot be reached)\n"
)

LISTENER = """
import socket, sys
log = open(sys.argv[1], "ab", buffering=0)
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[2], int(sys.argv[3])))
server.listen(8)
print("listening", flush=True)
while True:
    conn, _ = server.accept()
    log.write(b"<connection>")
    conn.settimeout(3)
    try:
        while data := conn.recv(65536):
            log.write(data)
    except OSError:
        pass
    conn.close()
"""


@dataclass
class Namespace:
    name: str
    heard: Path  # every byte the listener at ELSEWHERE:PORT received

    def run(self, repo: DirectoryRepo, env: dict[str, str], *args: str) -> tuple[int, str]:
        done = subprocess.run(
            ["ip", "netns", "exec", self.name, sys.executable, "-m", "ldifctl", *args],
            cwd=repo.root,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        return done.returncode, done.stdout + done.stderr


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def netns(tmp_path: Path) -> Iterator[Namespace]:
    name = f"ldifctl-{os.getpid()}-{secrets.token_hex(3)}"
    created = _ip("netns", "add", name) if shutil.which("ip") else None
    if created is None or created.returncode != 0:
        pytest.skip(f"cannot create a network namespace: {created and created.stderr.strip()}")
    listener = None
    try:
        assert _ip("-n", name, "link", "set", "lo", "up").returncode == 0
        assert _ip("-n", name, "addr", "add", f"{ELSEWHERE}/32", "dev", "lo").returncode == 0
        heard = tmp_path / "heard"
        heard.touch()
        command = [sys.executable, "-c", LISTENER, str(heard), ELSEWHERE, str(PORT)]
        listener = subprocess.Popen(
            ["ip", "netns", "exec", name, *command], stdout=subprocess.PIPE, text=True
        )
        assert listener.stdout is not None and listener.stdout.readline() == "listening\n"
        yield Namespace(name, heard)
    finally:
        if listener is not None:
            listener.kill()
            listener.wait()
        _ip("netns", "del", name)


MAIL_WITH_ACCOUNT = f"""\
mail:
  bind_dn: cn=postfix,{PEOPLE_DN}
  virtual_alias_maps:
    - search_base: {PEOPLE_DN}
      query_filter: (mailAlternateAddress=%s)
      result_attribute: mailForwardingAddress
"""


def repo_for(root: Path, extra: str = "") -> DirectoryRepo:
    """A repo whose uri comes from LDIFCTL_URI; waits on a silent server end in 2 s."""
    text = f"base_dn: {PEOPLE_DN}\nserver:\n  bind_dn: {BIND_DN}\n  timeout: 2\n{extra}"
    repo = DirectoryRepo(root, text)
    repo.write(PEOPLE_DN, PEOPLE)
    repo.write(USER, USER_FORWARD)
    return repo


@pytest.mark.parametrize(
    "first", ["ldap://127.0.0.1:1/,", "ldaps://127.0.0.1:1/ ", "ldapi://%2Fnowhere%2Fldapi , "]
)
def test_a_clear_text_uri_anywhere_in_the_list_is_refused(
    tmp_path: Path, netns: Namespace, first: str
) -> None:
    # postfix-maps writes a bind (and so is held to the rule) for Postfix's own account.
    repo = repo_for(tmp_path, MAIL_WITH_ACCOUNT)
    password = "pw-" + secrets.token_hex(8)
    env = {"LDIFCTL_URI": first + CLEAR, "LDIFCTL_BIND_PASSWORD": password}
    commands = (["drift"], ["apply", "--yes"], ["postfix-maps"])
    results = [netns.run(repo, env, *command) for command in commands]
    assert netns.heard.read_bytes() == b""  # not even a connection
    assert results == [(1, REFUSED)] * len(commands)


def test_without_a_password_the_list_does_reach_the_next_uri(
    tmp_path: Path, netns: Namespace
) -> None:
    """The listener does hear what libldap sends there: an anonymous bind may travel."""
    repo = repo_for(tmp_path)
    (repo.root / "ldifctl.yaml").write_text(f"base_dn: {PEOPLE_DN}\nserver:\n  timeout: 2\n")
    code, output = netns.run(
        repo, {"LDIFCTL_URI": "ldap://127.0.0.1:1/," + CLEAR}, "apply", "--yes"
    )
    assert code == 1
    assert output.startswith("error: ldap://127.0.0.1:1/ ldap://10.99.0.1:3899/: reading the root")
    assert netns.heard.read_bytes().startswith(b"<connection>0")  # an LDAP message (BER)


@pytest.mark.parametrize(
    ("uri", "extra", "first_byte"),
    [
        (f"ldap://127.0.0.1:1/,ldaps://{ELSEWHERE}:{PORT}/", "", b"\x16"),  # TLS handshake
        (f"ldap://127.0.0.1:1/,{CLEAR}", "  start_tls: true\n", b"0"),  # the StartTLS request
    ],
)
def test_a_list_of_tls_uris_passes_and_the_password_stays_off_the_wire(
    tmp_path: Path, netns: Namespace, uri: str, extra: str, first_byte: bytes
) -> None:
    repo = repo_for(tmp_path, extra)
    password = "pw-" + secrets.token_hex(8)
    code, output = netns.run(
        repo, {"LDIFCTL_URI": uri, "LDIFCTL_BIND_PASSWORD": password}, "apply", "--yes"
    )
    # The silent listener times the command out; what matters is what reached it.
    assert code == 1
    assert uri.replace(",", " ") in output
    assert "refusing" not in output
    heard = netns.heard.read_bytes()
    assert heard.startswith(b"<connection>" + first_byte)
    assert password.encode() not in heard
    assert BIND_DN.encode() not in heard


def test_a_list_of_loopback_uris_works(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    repo.write(USER, USER_FORWARD)
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace(server.uri, f"ldap://127.0.0.1:1/,{server.uri}"))
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert in_sync(repo, server)
    assert ldifctl(repo, "drift")[0] == 0


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    with tls_slapd(tmp_path_factory.mktemp("tls")) as box:
        yield box


def test_a_list_of_ldaps_and_ldapi_uris_works(
    tmp_path: Path, tls: TlsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls.server.reset()
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", tls.server.root_pw)
    for i, uri in enumerate(
        [f"ldaps://127.0.0.1:1 {tls.ldaps_uri}", f"ldap://127.0.0.1:1/, {tls.ldapi_uri}"]
    ):
        repo = live_repo(tmp_path / str(i), tls.server, f"  ca_file: {tls.ca_file}\n")
        repo.write(USER, USER_FORWARD)
        monkeypatch.setenv("LDIFCTL_URI", uri)
        code, _, err = ldifctl(repo, "apply", "--yes")
        assert code == 0, err
        assert in_sync(repo, tls.server)
        tls.server.reset()


def test_postfix_maps_write_the_list_as_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = DirectoryRepo(
        tmp_path,
        f"base_dn: {PEOPLE_DN}\nserver:\n  uri: ldap://127.0.0.1:1/,  ldapi://%2Frun%2Fldapi\n"
        "mail:\n  virtual_alias_maps:\n    - search_base: ou=people,dc=example,dc=net\n"
        "      query_filter: (mailAlternateAddress=%s)\n"
        "      result_attribute: mailForwardingAddress\n",
    )
    code, _, err = ldifctl(repo, "postfix-maps", "--output-dir", "out")
    assert code == 0, err
    text = (repo.root / "out" / "virtual_alias_maps.cf").read_text()
    assert "server_host = ldap://127.0.0.1:1/ ldapi://%2Frun%2Fldapi\n" in text


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        (
            "ldap://127.0.0.1/dc=example,dc=net",
            "'dc=net' is not an LDAP URI: write it like ldaps://ldap.example.net (several URIs "
            "are separated by commas or spaces, so a comma inside a URI splits it)",
        ),
        (
            "ldap://127.0.0.1\tldap://10.99.0.1",
            "'ldap://127.0.0.1\\tldap://10.99.0.1' is not an LDAP URI: write it like "
            "ldaps://ldap.example.net",
        ),
        (
            "ldap://127.0.0.1, ldap://user@10.99.0.1",
            "'ldap://user@10.99.0.1' is not an LDAP URI: write it like ldaps://ldap.example.net "
            "(several URIs are separated by commas or spaces, so a comma inside a URI splits it)",
        ),
    ],
)
def test_a_list_is_parsed_strictly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uri: str, message: str
) -> None:
    repo = DirectoryRepo(tmp_path, f"base_dn: {PEOPLE_DN}\n")
    monkeypatch.setenv("LDIFCTL_URI", uri)
    assert ldifctl(repo, "drift") == (
        1,
        "",
        f"error: LDIFCTL_URI: {message} (fix the environment variable)\n",
    )
