"""The managed subtrees as `ldapsearch` prints them: how `drift` reads a big directory.

python-ldap makes a Python object of every attribute and value, which alone takes longer
than `ldapsearch` takes to read and print the whole directory (benchmarks/bench_drift.py).
`drift` only has to find the few entries that differ, and it can do that on the printed
text (diff/fingerprints.py). The connection is the one `sources/connection.py` makes, said the
ldapsearch way: the same URI, StartTLS, CA file and certificate check, bind DN, SASL
EXTERNAL over ldapi://, timeouts and paging. The password travels through a pipe, never
argv or the environment. Anything out of the ordinary (no ldapsearch, a failed bind, a
referral, a size limit) gives None: the caller then reads through python-ldap, which
reports the problem exactly as every other command does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Mapping

from ldifctl.model.errors import LdifctlError
from ldifctl.repo.settings import uris as server_uris
from ldifctl.repo.settings.secrets import PASSWORD_FILE_VAR, PASSWORD_VAR, bind_password
from ldifctl.repo.settings.server import DEFAULT_TIMEOUT, ServerConfig
from ldifctl.repo.workspace import Workspace

PAGE_SIZE = 500  # as sources/server.py reads: within OpenLDAP's default limit for a non-root DN


class Dump:
    """One running `ldapsearch` per managed subtree; their output is read as it comes, so
    the caller can do its own work meanwhile."""

    def __init__(self, runs: list[subprocess.Popen[bytes]], timeout: float) -> None:
        self._runs = runs
        self._results: list[tuple[bytes, int] | None] = [None] * len(runs)
        self._threads = [
            threading.Thread(target=self._collect, args=(i, run, timeout), daemon=True)
            for i, run in enumerate(runs)
        ]
        for thread in self._threads:
            thread.start()

    def _collect(self, i: int, run: subprocess.Popen[bytes], timeout: float) -> None:
        try:
            out, _ = run.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            run.kill()
            run.communicate()
            return
        self._results[i] = (out, run.returncode)

    def stop(self) -> None:
        """Give up: the reads are not wanted any more (the caller failed meanwhile)."""
        for run in self._runs:
            run.kill()
        for thread in self._threads:
            thread.join()

    def text(self) -> bytes | None:
        """Every subtree's LDIF; None when any ldapsearch failed."""
        for thread in self._threads:
            thread.join()
        results, self._results = self._results, []  # held once: 30 MB at 100k entries
        if any(r is None or r[1] != 0 for r in results):
            return None
        if len(results) == 1 and results[0] is not None:
            return results[0][0].strip(b"\n")
        return b"\n\n".join(r[0].strip(b"\n") for r in results if r is not None)


def start(ws: Workspace) -> Dump | None:
    """Start reading the managed subtrees; None when ldapsearch cannot stand in for the
    connection ldifctl.yaml describes."""
    settings = ws.config.server
    program = shutil.which("ldapsearch")
    if program is None or not settings.uri or not ws.config.base_dns:
        return None
    try:
        bind, password = _bind_args(settings, ws.environ)
    except LdifctlError:
        return None  # python-ldap's path says what is wrong, in its words
    timeout = settings.timeout or DEFAULT_TIMEOUT
    common = [program, "-LLL", "-o", "ldif-wrap=no", "-o", f"nettimeout={int(timeout)}"]
    common += ["-H", settings.uri, *(["-ZZ"] if settings.start_tls else []), *bind]
    common += ["-E", f"pr={PAGE_SIZE}/noprompt"]
    runs = []
    for base in ws.config.base_dns:
        args = [*common, "-b", base, "(objectClass=*)", "*"]
        runs.append(_spawn(args, password, _environment(settings)))
    # A page may take `timeout` seconds, as for python-ldap; a whole read, a few minutes.
    return Dump(runs, timeout * 20)


def _bind_args(settings: ServerConfig, environ: Mapping[str, str]) -> tuple[list[str], str | None]:
    """ldapsearch's bind options, and the password to hand it through a pipe."""
    uri = settings.uri or ""
    if settings.bind_dn is None:
        return (["-Q", "-Y", "EXTERNAL"] if uri.startswith("ldapi://") else ["-x"]), None
    password = bind_password(environ)
    if password is None:
        raise LdifctlError("no password")
    # As sources/connection.py refuses it, without loading python-ldap (ldapsearch starts
    # sooner): no simple bind in clear text to anything but loopback.
    server_uris.refuse_clear_text(server_uris.split(uri), settings.start_tls)
    return ["-x", "-D", settings.bind_dn], password


def _environment(settings: ServerConfig) -> dict[str, str]:
    """libldap's TLS settings, as sources/connection.py sets them; never the password variables."""
    env = {k: v for k, v in os.environ.items() if k not in (PASSWORD_VAR, PASSWORD_FILE_VAR)}
    env["LDAPTLS_REQCERT"] = settings.tls_require_cert
    if settings.ca_file is not None:
        env["LDAPTLS_CACERT"] = str(settings.ca_file)
    return env


def _spawn(args: list[str], password: str | None, env: dict[str, str]) -> subprocess.Popen[bytes]:
    if password is None:
        return _popen(args, env, ())
    read_end, write_end = os.pipe()
    try:
        # ldapsearch -y reads the whole file as the password: no newline after it.
        os.write(write_end, password.encode("utf-8"))
    finally:
        os.close(write_end)
    try:
        return _popen([*args, "-y", f"/dev/fd/{read_end}"], env, (read_end,))
    finally:
        os.close(read_end)


def _popen(args: list[str], env: dict[str, str], fds: tuple[int, ...]) -> subprocess.Popen[bytes]:
    # ldapsearch's complaints go nowhere: the python-ldap read that follows a failure
    # says what is wrong in ldifctl's words.
    out, nothing = subprocess.PIPE, subprocess.DEVNULL
    return subprocess.Popen(args, stdin=nothing, stdout=out, stderr=nothing, env=env, pass_fds=fds)
