"""Directory repos wired to a real server, for the tests of apply, drift and import.

The repos manage `ou=people,dc=example,dc=net` only: the suffix entry each server creates
differs (389 adds `aci` and `description`), and a mail team manages its own subtrees.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import servers
from repo_kit import PEOPLE, DirectoryRepo
from typer.testing import CliRunner

from ldifctl.cli.main import app
from ldifctl.diff.snapshots import diff
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.load import load

PEOPLE_DN = "ou=people,dc=example,dc=net"
SERVER_PARAMS = ["slapd", pytest.param("ds389", marks=pytest.mark.ds389)]


def mailbox(i: int) -> str:
    """Entry u{i} of ou=people with a mailbox: what the apply tests write by the hundred."""
    return (
        f"dn: cn=u{i},{PEOPLE_DN}\nobjectClass:\n  - inetOrgPerson\n  - mailRecipient\n"
        f"cn: u{i}\nsn: U\nmail: u{i}@domain.ro\n"
    )


# The last line of an apply that lost its connection (live/report.py).
LOST_CAVEAT = (
    "the server may still apply requests it received before the connection was lost: run "
    "`ldifctl drift` once the server answers, then `ldifctl apply` again"
)


def config(server: servers.LdapServer, extra: str = "") -> str:
    return (
        f"base_dn: {PEOPLE_DN}\nserver:\n  uri: {server.uri}\n  bind_dn: {server.root_dn}\n{extra}"
    )


def is_389(server: servers.LdapServer) -> bool:
    return server.root_dn == "cn=Directory Manager"


def live_repo(root: Path, server: servers.LdapServer, extra: str = "") -> DirectoryRepo:
    repo = DirectoryRepo(root, config(server, extra))
    repo.write(PEOPLE_DN, PEOPLE)
    return repo


def clean_server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The session server named by the test's parameter, emptied, its password in the env."""
    server: servers.LdapServer = request.getfixturevalue(f"clean_{request.param}")
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", server.root_pw)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
    return server


def ldifctl(repo: DirectoryRepo, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run the CLI in the repo as a user would (stdin is not a terminal)."""
    old = os.getcwd()
    os.chdir(repo.root)
    try:
        result = CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def people(server: servers.LdapServer) -> Snapshot:
    """ou=people as the server holds it, read with plain python-ldap, not with ldifctl."""
    schema = build_schema()
    snapshot = Snapshot("server", schema)
    for dn, attrs in server.search_all(PEOPLE_DN).items():
        snapshot.add(Entry(dn, {schema.canonical_name(k): tuple(v) for k, v in attrs.items()}))
    return snapshot


def in_sync(repo: DirectoryRepo, server: servers.LdapServer) -> bool:
    """The server holds exactly the working tree."""
    return diff(people(server), load(open_workspace(repo.root), "worktree")) == []


@dataclass
class Dedicated:
    """A server of the test's own, which the test may stop and start again."""

    server: servers.LdapServer
    stop: Callable[[], None]
    start: Callable[[], None]
    pid: Callable[[], int] = lambda: 0  # the server process, for SIGSTOP and SIGCONT


@contextlib.contextmanager
def dedicated_slapd(workdir: Path) -> Iterator[Dedicated]:
    workdir.mkdir(parents=True, exist_ok=True)
    slapd = servers._slapd_object()
    slapd.start()
    try:
        server = servers.serve(slapd, workdir)

        def stop() -> None:
            slapd.terminate()
            slapd.wait()

        yield Dedicated(server, stop, slapd.resume, lambda: int(slapd._proc.pid))
    finally:
        slapd.stop()


@contextlib.contextmanager
def dedicated_ds389(workdir: Path) -> Iterator[Dedicated]:
    root = Path(tempfile.mkdtemp(prefix="ldifctl-389-", dir="/tmp"))
    try:
        instance = servers._create_ds389(root)
        servers._start_ds389(instance)
        instance.server.reset()
        yield Dedicated(
            instance.server,
            lambda: servers._stop_ds389(instance.pid_file),
            lambda: servers._start_ds389(instance),
        )
    finally:
        servers._stop_ds389(root / servers.DS389_PID_FILE)
        shutil.rmtree(root, ignore_errors=True)


def dedicated(kind: str, workdir: Path) -> contextlib.AbstractContextManager[Dedicated]:
    return dedicated_slapd(workdir) if kind == "slapd" else dedicated_ds389(workdir)


def wrong_password() -> str:
    return "wrong-" + secrets.token_hex(8)


@dataclass
class TlsServer:
    """A slapd with a certificate: StartTLS on `uri`, plus `ldaps_uri` and `ldapi_uri`."""

    server: servers.LdapServer
    ldaps_uri: str
    ldapi_uri: str
    ca_file: str


@contextlib.contextmanager
def tls_slapd(workdir: Path) -> Iterator[TlsServer]:
    """slapd with python-ldap's test certificates (for 127.0.0.1 and localhost), an ldaps
    listener, and write access for this process's own identity over ldapi (SASL EXTERNAL)."""
    workdir.mkdir(parents=True, exist_ok=True)
    ldaps_uri = f"ldaps://127.0.0.1:{servers._free_ports(1)[0]}"
    peer = f"gidNumber={os.getgid()}+uidNumber={os.getuid()},cn=peercred,cn=external,cn=auth"

    class TlsSlapd(servers.short_home_slapd()):  # type: ignore[misc]
        suffix = servers.SUFFIX
        root_pw = secrets.token_urlsafe(16)
        slapd_loglevel = "0"
        openldap_schema_files = ()
        ldap_uri: str

        def gen_config(self) -> str:
            tls = (
                f"olcTLSCACertificateFile: {self.cafile}\nolcTLSCertificateFile: "
                f"{self.servercert}\nolcTLSCertificateKeyFile: {self.serverkey}\n"
            )
            text = servers._slapd_config(self).replace("cn: config\n", "cn: config\n" + tls, 1)
            return f"{text}olcAccess: to * by dn.exact={peer} manage by * read\n"

        def _start_slapd(self) -> None:
            plain = self.ldap_uri
            self.ldap_uri = f"{plain} {ldaps_uri}"  # slapd -h takes a list of URLs
            try:
                super()._start_slapd()
            finally:
                self.ldap_uri = plain

    slapd = TlsSlapd()
    slapd.start()
    try:
        server = servers.serve(slapd, workdir)
        yield TlsServer(server, ldaps_uri, slapd.ldapi_uri, slapd.cafile)
    finally:
        slapd.stop()
