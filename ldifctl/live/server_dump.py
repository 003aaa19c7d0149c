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

import contextlib
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator, Mapping

from ldifctl.live import memory_file
from ldifctl.model.errors import LdifctlError
from ldifctl.repo.settings import uris as server_uris
from ldifctl.repo.settings.ldaprc import refuse_local_ldaprc
from ldifctl.repo.settings.secrets import PASSWORD_FILE_VAR, PASSWORD_VAR, bind_password
from ldifctl.repo.settings.server import DEFAULT_TIMEOUT, ServerConfig
from ldifctl.repo.workspace import Workspace

PIECE = 1 << 18  # bytes handed on at once
PAGE_SIZE = 500  # as sources/server.py reads: within OpenLDAP's default limit for a non-root DN
_CAUGHT_UP = 0.01  # seconds to wait for more output once all of it so far is compared


class Dump:
    """One running `ldapsearch` per managed subtree, each printing into a file of its own
    that lives in memory (memfd) and that `pieces` reads as it grows, cut at blank lines:
    the caller compares while ldapsearch still reads.

    Not a pipe: through one, ldapsearch waits on every full pipe until a Python thread
    drains it, and that thread waits on the GIL while the main one loads the repo's
    renderings, so ldapsearch took 2.35 s inside drift where it takes 1.45 s alone (100k
    entries, benchmarks/HISTORY.md). Into a file it never waits. The file gives back what
    was read (memory_file.py), so it holds only what ldapsearch is ahead; never on disk,
    since the server may send userPassword to the bind DN."""

    def __init__(
        self, runs: list[tuple[subprocess.Popen[bytes], int]], timeout: float,
        probes: list[subprocess.Popen[bytes]] | None = None,
    ) -> None:
        self._runs = runs  # each ldapsearch and the file it prints into
        self._open = True
        self._probes = probes or []
        # A page may take `timeout` seconds, as for python-ldap; a whole read, a few minutes.
        self._timers = [_kill_at(timeout, run) for run, _ in runs]
        self._probe_timers = [_kill_at(timeout, probe) for probe in self._probes]
        self._outputs: list[bytes] | None = None
        self.failed = False

    def stop(self) -> None:
        """Give up: the reads are not wanted any more (the caller failed meanwhile). Once
        `pieces` has been taken whole there is nothing to stop: `referred` may yet ask the
        probes."""
        if not self._open:
            return
        runs = [run for run, _ in self._runs]
        for run in runs + self._probes:
            run.kill()
        self._probed()  # reaped: none is left running behind a failed command
        self._finish()

    def referred(self) -> bool:
        """Does a managed subtree hold a referral entry, or could the probes not tell (one
        failed, or was killed at the time limit)? A referral entry whose `ref` the server
        cannot read as a URL is printed neither as an entry nor as a reference: the
        python-ldap read then refuses it, naming it."""
        outputs = self._probed()
        failed = any(probe.returncode != 0 for probe in self._probes)
        return failed or any(b"dn:" in out for out in outputs)

    def _probed(self) -> list[bytes]:
        """What the probes printed, each read to its end once (a second read would fail)."""
        if self._outputs is None:
            self._outputs = [probe.communicate()[0] or b"" for probe in self._probes]
            for timer in self._probe_timers:
                timer.cancel()
        return self._outputs

    def _finish(self) -> None:
        for (run, output), timer in zip(self._runs, self._timers, strict=True):
            run.wait()
            timer.cancel()
            if self._open:  # once, whoever ends the reads: a closed number is soon reused
                os.close(output)
        self._open = False

    def pieces(self) -> Iterator[bytes]:
        """Every subtree's LDIF, in order, in pieces that end where an entry ends; once
        they are all taken, `failed` says whether any ldapsearch failed (or was killed at
        the time limit): its pieces are then not the whole subtree."""
        for run, output in self._runs:
            rest, offset, released = b"", 0, memory_file.Released(output)
            while True:
                ended = run.poll() is not None  # asked first: all it printed is then there
                chunk = os.pread(output, PIECE, offset)
                if chunk:
                    offset += len(chunk)
                    rest += chunk
                    cut = rest.rfind(b"\n\n")
                    if cut >= 0:
                        yield rest[:cut]
                        rest = rest[cut + 2 :]
                        released.let_go(offset - len(rest))
                elif ended:
                    break
                else:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        run.wait(_CAUGHT_UP)
            yield rest
        self._finish()
        self.failed = any(run.returncode != 0 for run, _ in self._runs)


def _kill_at(seconds: float, process: subprocess.Popen[bytes]) -> threading.Timer:
    timer = threading.Timer(seconds, process.kill)
    timer.daemon = True
    timer.start()
    return timer


def start(ws: Workspace) -> Dump | None:
    """Start reading the managed subtrees; None when ldapsearch cannot stand in for the
    connection ldifctl.yaml describes."""
    settings = ws.config.server
    program = shutil.which("ldapsearch")
    if program is None or not settings.uri or not ws.config.base_dns:
        return None
    refuse_local_ldaprc()
    try:
        bind, password = _bind_args(settings, ws.environ)
    except LdifctlError:
        return None  # python-ldap's path says what is wrong, in its words
    timeout = settings.timeout or DEFAULT_TIMEOUT
    common = [program, "-LLL", "-o", "ldif-wrap=no", "-o", f"nettimeout={int(timeout)}"]
    common += ["-H", settings.uri, *(["-ZZ"] if settings.start_tls else []), *bind]
    common += ["-E", f"pr={PAGE_SIZE}/noprompt"]
    runs: list[tuple[subprocess.Popen[bytes], int]] = []
    probes: list[subprocess.Popen[bytes]] = []
    try:
        for base in ws.config.base_dns:
            output = memory_file.create("ldifctl-drift")
            try:
                args = [*common, "-b", base, "(objectClass=*)", "*"]
                runs.append((_spawn(args, password, _environment(settings), output), output))
            except OSError:
                os.close(output)
                raise
            # The referral entries, as ManageDsaIT shows them (few: read beside the dump).
            args = [*common, "-M", "-b", base, "(objectClass=referral)", "1.1"]
            probes.append(_spawn(args, password, _environment(settings), subprocess.PIPE))
    except OSError:  # no memory file or no process to be had: python-ldap's read says why
        Dump(runs, timeout, probes).stop()
        return None
    return Dump(runs, timeout * 20, probes)


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


def _spawn(
    args: list[str], password: str | None, env: dict[str, str], out: int
) -> subprocess.Popen[bytes]:
    """`out`: a file to print into, or subprocess.PIPE."""
    if password is None:
        return _popen(args, env, (), out)
    read_end, write_end = os.pipe()
    try:
        # ldapsearch -y reads the whole file as the password: no newline after it.
        os.write(write_end, password.encode("utf-8"))
    finally:
        os.close(write_end)
    try:
        return _popen([*args, "-y", f"/dev/fd/{read_end}"], env, (read_end,), out)
    finally:
        os.close(read_end)


def _popen(
    args: list[str], env: dict[str, str], fds: tuple[int, ...], out: int
) -> subprocess.Popen[bytes]:
    # ldapsearch's complaints go nowhere: the python-ldap read that follows a failure
    # says what is wrong in ldifctl's words.
    nothing = subprocess.DEVNULL
    return subprocess.Popen(args, stdin=nothing, stdout=out, stderr=nothing, env=env, pass_fds=fds)
