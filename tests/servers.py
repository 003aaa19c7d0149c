"""Real servers for the tests: OpenLDAP's slapd, 389 Directory Server, Postfix's postmap.

Each LDAP server is started on 127.0.0.1 with the suffix dc=example,dc=net and handed
out as an `LdapServer`: its URI and root credentials plus the real `ldapmodify` and a
python-ldap reader, so a test can feed ldifctl's output to what a user would run.
"""

from __future__ import annotations

import os

# libldap reads ~/.ldaprc and /etc/ldap/ldap.conf on first use, in this process and in
# every ldapmodify/ldapsearch started from it: the tests must not depend on them.
os.environ["LDAPNOINIT"] = "1"

import contextlib
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import ldap
import ldap.dn

import ldifctl

SUFFIX = "dc=example,dc=net"
SCHEMA_FILES = Path(ldifctl.__file__).parent / "schema_files"
# Order matters: each file uses names defined by the ones before it.
OPENLDAP_SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
MAIL_SCHEMAS = ("mailrecipient", "postfix-book")

# lib389 is Debian's python3-lib389, built for Debian's own interpreter and matching
# the installed ns-slapd; the project's venv cannot import it.
DS389_PYTHON = "/usr/bin/python3"
DS389_CREATE = Path(__file__).with_name("ds389_create.py")
DS389_USER = "dirsrv"
DS389_PID_FILE = "run/slapd.pid"
DS389_DIRS = ("config", "run", "tmp", "cert", "inst", "bak", "db", "ldif", "lock", "log")


class ServerError(RuntimeError):
    """A server could not be set up or did not do what a test asked."""


@dataclass(frozen=True)
class LdapServer:
    uri: str
    root_dn: str
    root_pw: str
    suffix: str
    password_file: Path

    def ldapmodify(
        self, ldif_text: str, continue_on_error: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """Run the real ldapmodify; never raises, the result is what is under test."""
        return self._ldapmodify(ldif_text, *(["-c"] if continue_on_error else []))

    def ldapadd(self, ldif_text: str) -> subprocess.CompletedProcess[str]:
        """Add content LDIF (seed data): raises ServerError unless every entry is added."""
        done = self._ldapmodify(ldif_text, "-a")
        if done.returncode != 0:
            raise ServerError(f"ldapadd exited {done.returncode}: {done.stderr.strip()}")
        return done

    def _ldapmodify(self, ldif_text: str, *flags: str) -> subprocess.CompletedProcess[str]:
        command = ["ldapmodify", "-x", "-H", self.uri, "-D", self.root_dn]
        return subprocess.run(
            [*command, "-y", str(self.password_file), *flags],
            input=ldif_text,
            capture_output=True,
            text=True,
            check=False,
        )

    @contextlib.contextmanager
    def bind(self) -> Iterator[Any]:
        """A python-ldap connection bound as the root DN."""
        conn = ldap.initialize(self.uri)
        try:
            conn.simple_bind_s(self.root_dn, self.root_pw)
            yield conn
        finally:
            conn.unbind_s()

    def search_all(self, base: str | None = None) -> dict[str, dict[str, list[bytes]]]:
        """Every entry at and below base (default: the suffix), user attributes only."""
        with self.bind() as conn:
            return dict(_search_subtree(conn, base or self.suffix, ["*"]))

    def reset(self) -> None:
        """Delete every entry, the suffix too, and re-create the default suffix entry: a test
        that replaced the suffix (the example's has other object classes) leaves no trace."""
        with self.bind() as conn:
            dns = [dn for dn, _ in _search_subtree(conn, self.suffix, ["1.1"])]
            for dn in sorted(dns, key=_depth, reverse=True):
                conn.delete_s(dn)
            conn.add_s(self.suffix, _suffix_entry(self.suffix))


def _search_subtree(conn: Any, base: str, attrs: list[str]) -> list[tuple[str, Any]]:
    try:
        found: list[tuple[str, Any]] = conn.search_s(
            base, ldap.SCOPE_SUBTREE, "(objectClass=*)", attrs
        )
    except ldap.NO_SUCH_OBJECT:
        return []
    return found


def _depth(dn: str) -> int:
    return len(ldap.dn.str2dn(dn))


def _suffix_entry(suffix: str) -> list[tuple[str, list[bytes]]]:
    dc = ldap.dn.str2dn(suffix)[0][0][1]
    return [("objectClass", [b"top", b"domain"]), ("dc", [dc.encode()])]


def _write_secret(path: Path, text: str) -> Path:
    """Write a file only its owner can read, without a moment of wider permissions."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    return path


def _free_ports(count: int) -> list[int]:
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]


def _sbin(command: str) -> str:
    """Find a daemon tool: a non-root PATH on Debian leaves out /usr/sbin."""
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    found = shutil.which(command, path=path)
    if found is None:
        raise ServerError(f"{command} not found: run scripts/setup.sh")
    return found


# slapd -------------------------------------------------------------------------------


def _slapd_config(slapd: Any) -> str:
    """cn=config: global, then the schemas, then the database.

    slapdtest loads its database before extra schemas, so an index on a schema
    attribute would fail; its defaults also cap the database at 10 MiB, flush every
    write and log every operation, which makes bulk tests slow or fail. An authenticated
    request may hold 64 MiB (the default, 4 MiB, keeps out the entry too big for a file
    that tests/attack/test_attack_file_size.py has the server hold).
    """
    schemas = [Path(slapd.SCHEMADIR) / f"{name}.ldif" for name in OPENLDAP_SCHEMAS]
    schemas += [SCHEMA_FILES / f"{name}.ldif" for name in MAIL_SCHEMAS]
    includes = "".join(f"include: file://{path}\n" for path in schemas)
    return f"""\
dn: cn=config
objectClass: olcGlobal
cn: config
olcLogLevel: {slapd.slapd_loglevel}
olcSockbufMaxIncomingAuth: {64 << 20}

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

{includes}
dn: cn=module,cn=config
objectClass: olcModuleList
cn: module
olcModuleLoad: back_mdb

dn: olcDatabase=mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: mdb
olcSuffix: {slapd.suffix}
olcRootDN: {slapd.root_dn}
olcRootPW: {slapd.root_pw}
olcDbDirectory: {slapd._db_directory}
olcDbMaxSize: {4 << 30}
olcDbNoSync: TRUE
olcDbIndex: objectClass eq
olcDbIndex: mail,mailAlias,mailAlternateAddress eq
"""


def short_home_slapd() -> Any:
    """slapdtest's SlapdObject with its files in a folder of its own under /tmp, removed
    when it stops.

    slapd's ldapi socket lies among those files, and a socket's path holds at most 107
    bytes: under a test's tmp_path (pytest-xdist adds `popen-gwN/`) it came to 108, and
    slapd would not start. slapdtest reads $TMP once, at its import: the folder is set
    here, leaving TMP (which tempfile honours) alone for everything else."""
    import slapdtest

    class ShortHomeSlapd(slapdtest.SlapdObject):  # type: ignore[misc]
        def __init__(self) -> None:
            self.TMPDIR = tempfile.mkdtemp(prefix="ldifctl-slapd-", dir="/tmp")
            super().__init__()

        def stop(self) -> None:
            try:
                super().stop()
            finally:
                shutil.rmtree(self.TMPDIR, ignore_errors=True)

    return ShortHomeSlapd


def _slapd_object() -> Any:
    class MailSlapd(short_home_slapd()):  # type: ignore[misc]
        suffix = SUFFIX
        root_pw = secrets.token_urlsafe(16)
        slapd_loglevel = "0"
        openldap_schema_files = ()  # in gen_config, where they go before the database

        def gen_config(self) -> str:
            return _slapd_config(self)

    return MailSlapd()


@contextlib.contextmanager
def running_slapd(workdir: Path) -> Iterator[LdapServer]:
    """A throwaway slapd with the mail schemas and the suffix entry; its password file in
    workdir."""
    slapd = _slapd_object()
    slapd.start()
    try:
        yield serve(slapd, workdir)
    finally:
        slapd.stop()


def serve(slapd: Any, workdir: Path) -> LdapServer:
    """The LdapServer for a started slapdtest object, reset to just the suffix entry."""
    server = LdapServer(
        uri=f"ldap://127.0.0.1:{slapd.port}",
        root_dn=slapd.root_dn,
        root_pw=slapd.root_pw,
        suffix=SUFFIX,
        password_file=_write_secret(workdir / "root.pw", slapd.root_pw),
    )
    server.reset()
    return server


# 389 Directory Server ----------------------------------------------------------------


class Ds389Instance(NamedTuple):
    config_dir: Path
    pid_file: Path
    server: LdapServer


def _ds389_inf(root: Path, name: str, ports: list[int], root_pw: str) -> str:
    # schema_dir must be config_dir/schema: elsewhere, the daemonised ns-slapd still
    # looks there and stops with "60trust.ldif could not be accessed".
    return f"""\
[general]
full_machine_name = localhost
strict_host_checking = False
selinux = False
systemd = False
start = False

[slapd]
instance_name = {name}
user = {DS389_USER}
group = {DS389_USER}
root_dn = cn=Directory Manager
root_password = {root_pw}
port = {ports[0]}
secure_port = {ports[1]}
self_sign_cert = False
ldapi = {root}/run/slapd.socket
config_dir = {root}/config
schema_dir = {root}/config/schema
run_dir = {root}/run
tmp_dir = {root}/tmp
cert_dir = {root}/cert
inst_dir = {root}/inst
backup_dir = {root}/bak
db_dir = {root}/db
db_home_dir = {root}/db
ldif_dir = {root}/ldif
lock_dir = {root}/lock/slapd-{name}
log_dir = {root}/log

[backend-userroot]
suffix = {SUFFIX}
create_suffix_entry = True
sample_entries = no
"""


def _chown_to_dirsrv(*paths: Path) -> None:
    try:
        user = pwd.getpwnam(DS389_USER)
    except KeyError:
        raise ServerError(f"no user {DS389_USER}: run scripts/setup.sh") from None
    for path in paths:
        os.chown(path, user.pw_uid, user.pw_gid)


def _create_ds389(root: Path) -> Ds389Instance:
    """Build an instance under root (about 5 s); it is left stopped."""
    if os.geteuid() != 0:
        raise ServerError("389-DS needs root: ns-slapd switches to user dirsrv")
    dirs = [root / name for name in DS389_DIRS]
    for path in dirs:
        path.mkdir()
    _chown_to_dirsrv(root, *dirs)  # ns-slapd, as dirsrv, must reach every one of them
    ports = _free_ports(2)
    root_pw = secrets.token_urlsafe(16)
    settings = _ds389_inf(root, f"ldifctl-{ports[0]}", ports, root_pw)
    inf = _write_secret(root / "instance.inf", settings)
    pid_file = root / DS389_PID_FILE
    try:
        done = subprocess.run(
            [DS389_PYTHON, str(DS389_CREATE), str(inf), str(pid_file)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServerError(f"creating the 389-DS instance failed: {exc}") from exc
    if done.returncode != 0:
        raise ServerError(f"creating the 389-DS instance failed:\n{done.stdout}{done.stderr}")
    server = LdapServer(
        uri=f"ldap://127.0.0.1:{ports[0]}",
        root_dn="cn=Directory Manager",
        root_pw=root_pw,
        suffix=SUFFIX,
        password_file=_write_secret(root / "root.pw", root_pw),
    )
    return Ds389Instance(root / "config", pid_file, server)


def _answers(uri: str) -> bool:
    probe = ["ldapsearch", "-x", "-H", uri, "-s", "base", "-b", "", "1.1"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def _start_ds389(instance: Ds389Instance, timeout: float = 60) -> None:
    """Start ns-slapd (it daemonises) and wait until it answers."""
    command = [_sbin("ns-slapd"), "-D", str(instance.config_dir), "-i", str(instance.pid_file)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServerError(f"ns-slapd exited {done.returncode}:\n{done.stderr}")
    deadline = time.monotonic() + timeout
    while not _answers(instance.server.uri):
        if time.monotonic() > deadline:
            raise ServerError(f"389-DS did not answer on {instance.server.uri} in {timeout} s")
        time.sleep(0.05)


def _running_ns_slapd(pid_file: Path) -> int | None:
    """The pid in pid_file if it is a live ns-slapd (the file outlives the process)."""
    try:
        pid = int(pid_file.read_text())
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ValueError):
        return None
    name, state = stat.split(" (", 1)[1].rsplit(") ", 1)
    # ns-slapd is not our child once it daemonises: where PID 1 does not reap orphans
    # (containers), it stays a zombie after exiting, so a zombie counts as gone.
    return pid if name == "ns-slapd" and not state.startswith("Z") else None


def _stop_ds389(pid_file: Path, timeout: float = 60) -> None:
    pid = _running_ns_slapd(pid_file)
    if pid is None:
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _running_ns_slapd(pid_file) is not None:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.05)


@contextlib.contextmanager
def running_ds389() -> Iterator[LdapServer]:
    """A throwaway 389 Directory Server with the suffix entry, without systemd."""
    # Not under pytest's tmp dirs: those are 0700 root, which dirsrv cannot traverse.
    root = Path(tempfile.mkdtemp(prefix="ldifctl-389-", dir="/tmp"))
    try:
        instance = _create_ds389(root)
        _start_ds389(instance)
        instance.server.reset()
        yield instance.server
    finally:
        # Also stops an ns-slapd that a failed creation left running.
        _stop_ds389(root / DS389_PID_FILE)
        shutil.rmtree(root, ignore_errors=True)


# Postfix -----------------------------------------------------------------------------


def write_backdated(path: Path, text: str) -> Path:
    """Write a Postfix file and date it a minute back.

    Postfix re-reads a main.cf or table file younger than ~2 s every 300 ms until it
    "cools down", which makes the first lookup take 1.2-2.4 s.
    """
    path.write_text(text)
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def write_table_cf(path: Path, settings: Mapping[str, str]) -> Path:
    """Write an ldap_table(5) file: one `name = value` line per setting, in order."""
    return write_backdated(path, "".join(f"{name} = {value}\n" for name, value in settings.items()))


def make_postfix_confdir(path: Path) -> Path:
    """A private Postfix config dir: postmap needs a main.cf, and an empty one will do."""
    path.mkdir(parents=True, exist_ok=True)
    write_backdated(path / "main.cf", "")
    return path


def postmap_query(
    table_cf_path: Path, key: str, confdir: Path | None = None
) -> tuple[int, str, str]:
    """Look key up as Postfix would: (exit code, result without its newline, stderr).

    confdir defaults to the table's folder, which must hold a main.cf. Exit code 1 is
    both "not found" and "error": read stderr to tell them apart.
    """
    # A relative path after "ldap:" silently means ldap://localhost:389.
    table = table_cf_path.resolve()
    command = [_sbin("postmap"), "-c", str(confdir or table.parent), "-q", key, f"ldap:{table}"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout.removesuffix("\n"), done.stderr
