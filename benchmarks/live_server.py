"""A throwaway slapd for the live benchmarks, loaded offline with `slapadd` (100k entries
in about a second, where `ldapadd` over the wire takes about a minute)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import servers

from ldifctl.diff.entries import sorted_attrs
from ldifctl.diff.ldif_writer import render_content
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry


@contextlib.contextmanager
def loaded_slapd(workdir: Path, entries: list[Entry]) -> Iterator[servers.LdapServer]:
    workdir.mkdir(parents=True, exist_ok=True)
    slapd = servers._slapd_object()
    slapd.start()
    try:
        slapd.terminate()
        slapd.wait()
        content = workdir / "content.ldif"
        schema = build_schema()
        content.write_text(render_content((e.dn, sorted_attrs(e, schema)) for e in entries))
        subprocess.run(
            [
                servers._sbin("slapadd"),
                "-q",
                "-F",
                slapd._slapd_conf,
                "-b",
                servers.SUFFIX,
                "-l",
                str(content),
            ],
            check=True,
        )
        slapd.resume()
        password_file = workdir / "root.pw"
        password_file.write_text(slapd.root_pw)
        os.chmod(password_file, 0o600)
        yield servers.LdapServer(
            f"ldap://127.0.0.1:{slapd.port}",
            slapd.root_dn,
            slapd.root_pw,
            servers.SUFFIX,
            password_file,
        )
    finally:
        slapd.stop()


def connect_repo(repo: Path, server: servers.LdapServer) -> dict[str, str]:
    """Point the repo at the server; the environment a run of ldifctl needs."""
    config = repo / "ldifctl.yaml"
    text = config.read_text().split("server:")[0]
    config.write_text(f"{text}server:\n  uri: {server.uri}\n  bind_dn: {server.root_dn}\n")
    return {
        **os.environ,
        "LDIFCTL_BIND_PASSWORD_FILE": str(server.password_file),
        "LDAPNOINIT": "1",
    }


def client(tool: str, server: servers.LdapServer) -> list[str]:
    """An OpenLDAP client (`ldapsearch`, `ldapmodify`) bound as the server's root DN."""
    return [tool, "-x", "-H", server.uri, "-D", server.root_dn, "-y", str(server.password_file)]
