"""A private, running Postfix: the oracle for where mail really goes.

One instance per test session (see reference/postfix.md for the recipe): its own folders
under /tmp, loopback only, no listening socket, nothing written to /etc/postfix. The
outside world is a `discard` transport that records what would have left. Tables are the
`.cf` files `ldifctl postfix-maps` wrote, unchanged, named by the main.cf lines it printed.

The interface:

    with running_postfix() as postfix:
        postfix.use_tables(main_cf_lines)       # after (re)writing the .cf files
        postfix.probe(["a@x.test", ...])        # {address: Routing}

`Routing` has the words of `ldifctl resolve --format json` (`routing_of` turns its JSON
into one), so a test compares the two directly.
"""

from __future__ import annotations

import contextlib
import email
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from email.message import Message
from pathlib import Path
from typing import Any, NamedTuple

from repo_kit import DirectoryRepo, run
from servers import LdapServer, ServerError, _sbin

from ldifctl import route_report, sources
from ldifctl.policy_check import mail_config
from ldifctl.routing import Router
from ldifctl.workspace import open_workspace

HOST = "probe.invalid"  # the instance's own name; never a domain under test
SENDER = f"root@{HOST}"  # delivery status reports land in the spool mailbox of root
EXTERNAL = "left-for-the-outside"  # the recording transport's next hop: its report line
BATCH = 40  # recipients per probe message
DEADLINE = 60.0  # seconds a probe round may take before the kit gives up

MASTER_CF = """\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
postlog   unix-dgram n  -       n       -       1       postlogd
external  unix  -       -       n       -       -       discard
"""

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
mail_spool_directory = {root}/spool
maillog_file = {root}/maillog
maillog_file_prefixes = {root}
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = {host}
mydomain = {host}
myorigin = {host}
mydestination = {host}
alias_maps =
alias_database =
notify_classes =
biff = no
default_transport = external:{external}
relay_transport = external:{external}
virtual_transport = virtual
virtual_mailbox_base = {root}/mailboxes
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
"""

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_NOT_ACCEPTED = re.compile(
    r"warning: \w+: (?:unreasonable virtual_alias_maps map (nesting|expansion size)|"
    r"virtual_alias_maps map (lookup problem)) for (\S+) -- message not accepted"
)


class Routing(NamedTuple):
    """Where mail to one address went: `status` and the final recipients with their kind
    (sorted: Postfix reports them grouped by transport, not in expansion order)."""

    status: str  # delivered, undeliverable, loop, deferred
    destinations: tuple[tuple[str, str], ...]  # (address as written, kind)


def routing_of(resolved: Mapping[str, Any]) -> Routing:
    """`ldifctl resolve --format json` in the kit's shape."""
    found = ((d["address"], d["kind"]) for d in resolved["destinations"])
    return Routing(resolved["status"], tuple(sorted(found)))


class RunningPostfix:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.conf = root / "conf"
        self.tables = root / "tables"  # where the tests let postfix-maps write
        self.mailbox = root / "spool" / "root"
        self.maillog = root / "maillog"
        self._log_read = 0
        self._box_read = 0
        self._main_cf = ""

    # --- Life cycle.

    def create(self) -> None:
        for name in ("conf", "queue", "data", "spool", "mailboxes", "tables"):
            (self.root / name).mkdir()
        os.chown(self.root / "data", _uid("postfix"), _gid("postfix"))
        (self.root / "data").chmod(0o700)  # master's lock file, or it will not start
        (self.root / "spool").chmod(0o1777)  # local(8) delivers root's mail as nobody
        os.chown(self.root / "mailboxes", _uid("nobody"), _gid("nogroup"))
        _backdated(self.conf / "master.cf", MASTER_CF)
        self._write_main_cf("")

    def start(self) -> None:
        self._postfix("start")

    def stop(self) -> None:
        """`postfix stop`, then wait for master to go (killed by its pid file if it stays)."""
        pid = self._master_pid()
        with contextlib.suppress(ServerError):
            self._postfix("stop")
        deadline = time.monotonic() + 10
        while pid is not None and _alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.05)

    def _master_pid(self) -> int | None:
        try:
            return int((self.root / "queue" / "pid" / "master.pid").read_text())
        except (OSError, ValueError):
            return None

    def _postfix(self, command: str) -> None:
        # postfix(1) prints its errors to a terminal only: give it one.
        line = f"{_sbin('postfix')} -c {self.conf} {command}"
        done = subprocess.run(
            ["script", "-qec", line, "/dev/null"], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ServerError(f"postfix {command} exited {done.returncode}: {done.stdout}")

    # --- Configuration.

    def use_tables(self, main_cf_lines: str) -> None:
        """Put the lines `postfix-maps` printed into main.cf and reload. The `.cf` files are
        back-dated (Postfix re-reads young files until they "cool down"), nothing else."""
        for path in self.tables.iterdir():
            _backdate(path)
        if main_cf_lines != self._main_cf:
            self._write_main_cf(main_cf_lines)
        self.reload()

    def reload(self) -> None:
        self._postfix("reload")

    def _write_main_cf(self, extra: str) -> None:
        base = MAIN_CF.format(
            root=self.root,
            host=HOST,
            external=EXTERNAL,
            uid=_uid("nobody"),
            gid=_gid("nogroup"),
        )
        _backdated(self.conf / "main.cf", base + extra)
        self._main_cf = extra

    # --- Probing.

    def probe(self, addresses: Iterable[str]) -> dict[str, Routing]:
        """`sendmail -bv` for every address: what its report (or the log) says. Addresses
        are plain `local@domain` (dot-atom text): others would be read as something else."""
        wanted = list(dict.fromkeys(addresses))
        odd = [a for a in wanted if not PLAIN_ADDRESS.fullmatch(a)]
        if odd:
            raise ValueError(f"not plain addresses, which sendmail would rewrite: {odd}")
        found: dict[str, Routing] = {}
        batches = _batches(wanted)
        while batches:
            refused = self._round(batches, found)
            batches = [half for batch in refused for half in _halves(batch) if half]
        return {a: found[a] for a in wanted}

    def _round(self, batches: list[list[str]], found: dict[str, Routing]) -> list[list[str]]:
        """Send each batch as one message and wait until each is reported or refused.

        Cleanup refuses a whole message for one address (a loop, say) and names it in
        the log: the rest of that batch is returned, to be sent again."""
        for batch in batches:
            self._send(batch)
        waiting, refused = batches, []
        deadline = time.monotonic() + DEADLINE
        while waiting:
            if time.monotonic() > deadline:
                raise ServerError(f"no report within {DEADLINE} s for {waiting}")
            time.sleep(0.02)
            reports, refusals = self._reports(), self._refusals()
            for report in reports:
                found.update(report)
            found.update((a, Routing(why, ())) for a, why in refusals.items())
            still = []
            for batch in waiting:
                if any(a in refusals for a in batch):
                    refused.append([a for a in batch if a not in found])
                elif not all(a in found for a in batch):
                    _check_whole(batch, reports)
                    still.append(batch)
            waiting = still
        self._clear_maildrop()
        return refused

    def _send(self, batch: list[str]) -> None:
        done = subprocess.run(
            [_sbin("sendmail"), "-bv", "-f", SENDER, "--", *batch],
            env={**os.environ, "MAIL_CONFIG": str(self.conf)},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise ServerError(f"sendmail -bv exited {done.returncode}: {done.stderr}")

    def _reports(self) -> list[dict[str, Routing]]:
        """The complete reports that arrived in root's mailbox since the last call."""
        if not self.mailbox.exists():
            return []
        with self.mailbox.open("rb") as box:
            box.seek(self._box_read)
            data = box.read()
        found = []
        for message in _complete_messages(data):
            found.append(_routings(email.message_from_bytes(message)))
            self._box_read += len(message)
        return found

    def _refusals(self) -> dict[str, str]:
        """Addresses cleanup refused since the last call (the log names them), and why."""
        with self.maillog.open("rb") as log:
            log.seek(self._log_read)
            lines = log.read().decode("utf-8", "replace")
        complete = lines[: lines.rfind("\n") + 1]
        self._log_read += len(complete.encode())
        found = {}
        for match in _NOT_ACCEPTED.finditer(complete):
            found[match[3]] = "loop" if match[1] == "nesting" else "deferred"
        return found

    def _clear_maildrop(self) -> None:
        """Refused messages stay in the maildrop and pickup retries them: remove them."""
        for path in (self.root / "queue" / "maildrop").iterdir():
            path.unlink(missing_ok=True)


_FROM_LINE = re.compile(rb"^From ", re.MULTILINE)
_BOUNDARY = re.compile(rb'boundary="([^"]+)"')


def _complete_messages(data: bytes) -> Iterator[bytes]:
    """The whole messages at the start of an mbox; one still being written (its closing
    MIME boundary not there yet) ends the list."""
    starts = [m.start() for m in _FROM_LINE.finditer(data)] + [len(data)]
    for start, end in itertools.pairwise(starts):
        message = data[start:end]
        boundary = _BOUNDARY.search(message)
        if boundary is None or b"--" + boundary[1] + b"--" not in message:
            return
        yield message


def _routings(report: Message) -> dict[str, Routing]:
    """A delivery status report: each original recipient's final recipients and status."""
    by_original: dict[str, list[tuple[str, str]]] = {}
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        assert isinstance(payload, list)
        for fields in payload[1:]:  # the first block is about the message
            assert isinstance(fields, Message)
            original = _address(fields["Original-Recipient"] or fields["Final-Recipient"])
            final = (_address(fields["Final-Recipient"]), _kind(fields))
            by_original.setdefault(original, []).append(final)
    return {a: _routing(finals) for a, finals in by_original.items()}


def _address(field: str) -> str:
    """`rfc822; a@b` -> `a@b`."""
    return field.split(";", 1)[1].strip()


def _kind(fields: Message) -> str:
    status, action = fields["Status"], fields["Action"]
    diagnostic = " ".join(fields["Diagnostic-Code"].split())
    if status.startswith("4."):
        return "deferred"
    if action == "undeliverable":
        return "undeliverable"
    if "delivery via virtual: delivers to" in diagnostic:
        return "mailbox"
    if diagnostic == f"X-Postfix; {EXTERNAL}":
        return "external"
    return diagnostic  # anything else shows in a failed comparison as it is


def _routing(finals: list[tuple[str, str]]) -> Routing:
    kinds = {kind for _, kind in finals}
    if "deferred" in kinds:
        return Routing("deferred", ())
    status = "undeliverable" if "undeliverable" in kinds else "delivered"
    return Routing(status, tuple(sorted(finals)))


def _check_whole(batch: list[str], reports: list[dict[str, Routing]]) -> None:
    """A report covers every recipient of its message: one that names only some of a
    batch means Postfix read the others differently from how they were written."""
    for report in reports:
        if not report.keys().isdisjoint(batch):
            missing = [a for a in batch if a not in report]
            raise ServerError(f"the report of {batch} names {sorted(report)}, not {missing}")


def _batches(addresses: list[str]) -> list[list[str]]:
    """Batches in which no two addresses are equal but for case (Postfix would drop the
    second's recipients as duplicates of the first's)."""
    batches: list[list[str]] = []
    seen: list[set[str]] = []
    for address in addresses:
        folded = address.lower()
        i = next((i for i, s in enumerate(seen) if folded not in s and len(s) < BATCH), None)
        if i is None:
            batches.append([])
            seen.append(set())
            i = len(batches) - 1
        batches[i].append(address)
        seen[i].add(folded)
    return batches


def _halves(batch: list[str]) -> list[list[str]]:
    middle = len(batch) // 2
    return [batch[:middle], batch[middle:]]


def _uid(user: str) -> int:
    import pwd

    return pwd.getpwnam(user).pw_uid


def _gid(group: str) -> int:
    import grp

    return grp.getgrnam(group).gr_gid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _backdated(path: Path, text: str) -> None:
    path.write_text(text)
    _backdate(path)


def _backdate(path: Path) -> None:
    past = time.time() - 60
    os.utime(path, (past, past))


@contextlib.contextmanager
def running_postfix() -> Iterator[RunningPostfix]:
    """A private Postfix, started and stopped here; its files are removed at the end."""
    # Not under pytest's tmp dirs: those are 0700 root, which Postfix's daemons (user
    # postfix) cannot traverse.
    root = Path(tempfile.mkdtemp(prefix="ldifctl-postfix-", dir="/tmp"))
    root.chmod(0o755)
    postfix = RunningPostfix(root)
    try:
        postfix.create()
        postfix.start()
        yield postfix
    finally:
        postfix.stop()
        shutil.rmtree(root, ignore_errors=True)


# --- A directory repo served to the running Postfix.

READER = "cn=postfix-reader,dc=example,dc=net"  # Postfix's read-only account (mail.bind_dn)
READER_PASSWORD = secrets.token_urlsafe(16)


def point_at(repo: DirectoryRepo, slapd: LdapServer) -> None:
    """Make the repo's ldifctl.yaml name `slapd`, and Postfix's read-only account."""
    config = repo.root / "ldifctl.yaml"
    head, _, tables = config.read_text().partition("\nmail:\n")
    head = re.sub(r"(?m)^  uri: .*$", f"  uri: {slapd.uri}", head)
    head = re.sub(r"(?m)^  bind_dn: .*$", f"  bind_dn: {slapd.root_dn}", head)
    tables = re.sub(r"(?m)^  bind_dn: .*\n", "", tables)
    config.write_text(f"{head}\nmail:\n  bind_dn: {READER}\n{tables}")


def serve(repo: DirectoryRepo, slapd: LdapServer) -> None:
    """Replace what slapd holds with the repo's working tree (as `ldifctl export` gives
    it), plus Postfix's read-only account, which lives outside the repo."""
    code, ldif, err = run(repo, "export")
    assert code == 0, err
    records = ldif.split("\n\n")
    assert records[0].startswith(f"dn: {slapd.suffix}\n")  # slapd has its own
    slapd.reset()
    slapd.ldapadd("\n\n".join([*records[1:], _reader_entry()]))


def _reader_entry() -> str:
    return (
        f"dn: {READER}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: postfix-reader\nuserPassword: {READER_PASSWORD}\n"
    )


def write_tables(repo: DirectoryRepo, postfix: RunningPostfix) -> str:
    """`ldifctl postfix-maps` into the instance's table folder, and the main.cf lines it
    printed put to use. Returns those lines."""
    for path in postfix.tables.iterdir():  # those of an earlier configuration
        path.unlink()
    lines = postfix_maps(repo, postfix.tables)
    postfix.use_tables(lines)
    return lines


def postfix_maps(repo: DirectoryRepo, folder: Path) -> str:
    """`ldifctl postfix-maps --with-password`, binding as Postfix's read-only account:
    the main.cf lines it prints."""
    with _environment(LDIFCTL_POSTFIX_BIND_PASSWORD=READER_PASSWORD):
        code, lines, err = run(repo, "postfix-maps", "--output-dir", str(folder), "--with-password")
    assert code == 0, err
    return lines


@contextlib.contextmanager
def _environment(**variables: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def resolved(repo: DirectoryRepo, addresses: Iterable[str]) -> dict[str, Routing]:
    """What `ldifctl resolve ADDRESS --format json` prints for each address, in the kit's
    shape (the state is loaded once: the CLI would load it once per address)."""
    ws = open_workspace(repo.root, {})
    router = Router(sources.load(ws, sources.WORKTREE), mail_config(ws))
    return {a: routing_of(json.loads(route_report.as_json(router.resolve(a)))) for a in addresses}
