"""Connecting: StartTLS, ldaps, certificate checks, SASL EXTERNAL over ldapi, and a
password that never shows, whatever goes wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import servers
from live_kit import (
    PEOPLE_DN,
    TlsServer,
    in_sync,
    ldifctl,
    live_repo,
    tls_slapd,
    wrong_password,
)
from repo_kit import DirectoryRepo


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    with tls_slapd(tmp_path_factory.mktemp("tls")) as box:
        yield box


@pytest.fixture
def tls_env(tls: TlsServer, monkeypatch: pytest.MonkeyPatch) -> TlsServer:
    tls.server.reset()
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", tls.server.root_pw)
    return tls


def repo_for(root: Path, uri: str, server: servers.LdapServer, settings: str) -> DirectoryRepo:
    repo = live_repo(root, server)
    text = (root / "ldifctl.yaml").read_text().replace(f"uri: {server.uri}", f"uri: {uri}")
    (root / "ldifctl.yaml").write_text(text + settings)
    return repo


def test_start_tls_with_the_ca_applies(tmp_path: Path, tls_env: TlsServer) -> None:
    repo = repo_for(
        tmp_path,
        tls_env.server.uri,
        tls_env.server,
        f"  start_tls: true\n  ca_file: {tls_env.ca_file}\n",
    )
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert in_sync(repo, tls_env.server)


def test_ldaps_with_the_ca_applies(tmp_path: Path, tls_env: TlsServer) -> None:
    repo = repo_for(tmp_path, tls_env.ldaps_uri, tls_env.server, f"  ca_file: {tls_env.ca_file}\n")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert in_sync(repo, tls_env.server)


@pytest.mark.parametrize("start_tls", [True, False])
def test_an_unverified_certificate_is_refused(
    tmp_path: Path, tls_env: TlsServer, start_tls: bool
) -> None:
    uri = tls_env.server.uri if start_tls else tls_env.ldaps_uri
    repo = repo_for(tmp_path, uri, tls_env.server, "  start_tls: true\n" if start_tls else "")
    code, out, err = ldifctl(repo, "drift")
    assert (code, out) == (1, "")
    step = "StartTLS failed" if start_tls else "bind as cn=Manager,dc=example,dc=net failed"
    assert err.startswith(f"error: cannot reach {uri} ({step}): ")
    assert err.endswith(
        "check server.uri (or LDIFCTL_URI), that the server runs, and for TLS server.ca_file\n"
    )


def test_turning_verification_off_is_loud(tmp_path: Path, tls_env: TlsServer) -> None:
    repo = repo_for(tmp_path, tls_env.ldaps_uri, tls_env.server, "  tls_require_cert: never\n")
    code, _, err = ldifctl(repo, "drift")
    assert code == 3
    assert err.count("warning:") == 1
    assert err.splitlines()[0] == (
        "warning: ldifctl.yaml:5: server.tls_require_cert is 'never': the server's certificate "
        "is not verified, so anyone on the network path can pose as the server and read the "
        "bind password; use demand with ca_file"
    )


def test_sasl_external_over_ldapi(
    tmp_path: Path, tls_env: TlsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD")
    repo = DirectoryRepo(tmp_path, f"base_dn: {PEOPLE_DN}\nserver:\n  uri: {tls_env.ldapi_uri}\n")
    repo.write(PEOPLE_DN, f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert in_sync(repo, tls_env.server)


def test_a_password_never_travels_in_clear_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", "secret-1")
    repo = DirectoryRepo(
        tmp_path,
        f"base_dn: {PEOPLE_DN}\nserver:\n  uri: "
        "ldap://ldap.example.invalid\n  bind_dn: cn=admin,dc=example,dc=net\n",
    )
    assert ldifctl(repo, "drift") == (
        1,
        "",
        (
            "error: refusing to send the bind password in clear text to "
            "ldap://ldap.example.invalid: set server.start_tls: true, or use an ldaps:// URI\n"
        ),
    )


def test_a_bind_dn_needs_a_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD", raising=False)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
    repo = DirectoryRepo(
        tmp_path,
        f"base_dn: {PEOPLE_DN}\nserver:\n  uri: ldap://127.0.0.1:1\n"
        "  bind_dn: cn=admin,dc=example,dc=net\n",
    )
    assert ldifctl(repo, "apply", "--yes") == (
        1,
        "",
        (
            "error: server.bind_dn is cn=admin,dc=example,dc=net but no password is set: set "
            "LDIFCTL_BIND_PASSWORD or LDIFCTL_BIND_PASSWORD_FILE (a file holding only the "
            "password)\n"
        ),
    )


@pytest.mark.parametrize("how", ["variable", "file", "debug"])
@pytest.mark.parametrize("command", [["drift"], ["apply", "--yes"], ["import", "--from-server"]])
def test_a_wrong_password_is_a_clear_error_without_the_password(
    tmp_path: Path,
    server: servers.LdapServer,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
    command: list[str],
) -> None:
    password = wrong_password()
    if how == "file":
        (tmp_path / "pw").write_text(password + "\n")
        monkeypatch.delenv("LDIFCTL_BIND_PASSWORD")
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD_FILE", str(tmp_path / "pw"))
    else:
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", password)
    if how == "debug":
        monkeypatch.setenv("LDIFCTL_DEBUG", "1")
    repo = live_repo(tmp_path / "repo", server)

    code, out, err = ldifctl(repo, *command)
    assert (code, out) == (1, "")
    assert err == (
        f"error: {server.uri} refused the bind as {server.root_dn}: invalid credentials (49): "
        "check server.bind_dn (or LDIFCTL_BIND_DN) and the password in LDIFCTL_BIND_PASSWORD "
        "or LDIFCTL_BIND_PASSWORD_FILE\n"
    )
    assert password not in out + err
    reports = repo.root / ".ldifctl"
    assert not reports.exists()


def test_no_server_is_an_error(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path, f"base_dn: {PEOPLE_DN}\n")
    assert ldifctl(repo, "drift") == (
        1,
        "",
        (
            "error: no server to talk to: set server.uri in ldifctl.yaml (or LDIFCTL_URI), e.g. "
            "ldaps://ldap.example.net\n"
        ),
    )


def test_a_missing_ca_file_is_an_error(tmp_path: Path) -> None:
    repo = DirectoryRepo(
        tmp_path,
        f"base_dn: {PEOPLE_DN}\nserver:\n  uri: ldaps://127.0.0.1:1\n  ca_file: certs/ca.pem\n",
    )
    assert ldifctl(repo, "drift") == (
        1,
        "",
        (f"error: server.ca_file {tmp_path}/certs/ca.pem does not exist: fix the path\n"),
    )
