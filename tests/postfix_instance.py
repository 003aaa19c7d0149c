"""A private, running Postfix (the recipe of reference/postfix.md), and `sendmail -bv`.

Its own folders under /tmp, loopback only, no listening socket (master.cf has no `smtp
inet`), nothing written to /etc/postfix. The outside world is a `discard` transport that
records what would have left. Each probe message goes out with a sender of its own, so
that the maillog line of a message cleanup refused leads back to it; every report lands
in root's mailbox (luser_relay).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from postfix_reports import (
    LogReader,
    Refusal,
    Routing,
    complete_messages,
    queue_file_sender,
    routings,
)
from postfix_setup import HOST, backdate, backdated, create_instance, main_cf
from servers import ServerError, _sbin

# Recipients per probe message, round by round: cleanup refuses a whole message for one
# address that loops; the rest of it goes again in smaller batches, then one by one.
BATCHES = (40, 5)
DEADLINE = 60.0  # seconds a probe round may take before the kit gives up
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


class RunningPostfix:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.conf = root / "conf"
        self.tables = root / "tables"  # where the tests let postfix-maps write
        self.mailbox = root / "spool" / "root"
        self.maillog = root / "maillog"
        self.maildrop = root / "queue" / "maildrop"
        self._log_read = self._box_read = 0
        self._log = LogReader()
        self._senders = (f"probe{n}@{HOST}" for n in itertools.count())
        self._main_cf = ""

    # --- Life cycle.

    def create(self) -> None:
        create_instance(self.root)

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
            backdate(path)
        if main_cf_lines != self._main_cf:
            self._write_main_cf(main_cf_lines)
        self._reload()

    def _reload(self) -> None:
        """`postfix reload`, then wait until every daemon that master ran before it is gone.
        A reload only asks them to exit when idle: one may take the next probe with the old
        main.cf (seen under load: a `+tag` address refused before `recipient_delimiter`)."""
        master = self._master_pid()
        before = _children(master) if master is not None else set()
        self._postfix("reload")
        deadline = time.monotonic() + 10
        while master is not None and before & _children(master):
            if time.monotonic() > deadline:
                stale = sorted(before & _children(master))
                raise ServerError(f"postfix daemons {stale} still run 10 s after reload")
            time.sleep(0.02)

    def _write_main_cf(self, extra: str) -> None:
        backdated(self.conf / "main.cf", main_cf(self.root) + extra)
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
        batches, sizes = _batches(wanted, BATCHES[0]), iter(BATCHES[1:])
        while batches:
            refused = self._round(batches, found)
            size = next(sizes, 1)
            batches = [part for batch in refused for part in _batches(batch, size)]
        return {a: found[a] for a in wanted}

    def _round(self, batches: list[list[str]], found: dict[str, Routing]) -> list[list[str]]:
        """Send each batch as one message; wait until each is reported or refused. What
        a refused message held, but for the address that made cleanup refuse it (when
        the log names one), is returned to be sent again."""
        waiting = {self._send(batch): batch for batch in batches}
        refused = []
        deadline = time.monotonic() + DEADLINE
        while waiting:
            if time.monotonic() > deadline:
                raise ServerError(f"no report within {DEADLINE} s for {list(waiting.values())}")
            time.sleep(0.02)
            reports = self._reports()
            for report in reports:
                found.update(report)
            for refusal in self._refusals():
                batch = waiting.pop(refusal.sender, None)
                if batch is not None:  # else pickup retried a message already handled
                    refused.append(_refused(batch, refusal, found))
                    self._drop(refusal.sender)
            for sender, batch in list(waiting.items()):
                if all(a in found for a in batch):
                    del waiting[sender]
                else:
                    _check_whole(batch, reports)
        for path in self.maildrop.iterdir():  # nothing else can be left there
            path.unlink(missing_ok=True)
        return refused

    def _send(self, batch: list[str]) -> str:
        sender = next(self._senders)
        done = subprocess.run(
            [_sbin("sendmail"), "-bv", "-f", sender, "--", *batch],
            env={**os.environ, "MAIL_CONFIG": str(self.conf)},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise ServerError(f"sendmail -bv exited {done.returncode}: {done.stderr}")
        return sender

    def _reports(self) -> list[dict[str, Routing]]:
        """The complete reports that arrived in root's mailbox since the last call."""
        if not self.mailbox.exists():
            return []
        with self.mailbox.open("rb") as box:
            box.seek(self._box_read)
            data = box.read()
        found = []
        for message in complete_messages(data):
            found.append(routings(message))
            self._box_read += len(message)
        return found

    def _refusals(self) -> list[Refusal]:
        """The messages cleanup refused, from the lines logged since the last call."""
        with self.maillog.open("rb") as log:
            log.seek(self._log_read)
            data = log.read()
        complete = data[: data.rfind(b"\n") + 1]
        self._log_read += len(complete)
        return self._log.refusals(complete.decode("utf-8", "replace"))

    def _drop(self, sender: str) -> None:
        """Remove a refused message at once: pickup retries what is in the maildrop
        whenever it wakes, and each retry expands the loop again."""
        for path in self.maildrop.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if queue_file_sender(path.read_bytes()) == sender:
                    path.unlink()


def _refused(batch: list[str], refusal: Refusal, found: dict[str, Routing]) -> list[str]:
    """Note what the refusal says about its culprit; the rest of the batch, to send again.
    The log does not always name the culprit: a batch of one is its own."""
    named = {a.lower(): a for a in batch}.get((refusal.address or "").lower())
    culprit = named or (batch[0] if len(batch) == 1 else None)
    if culprit is not None:
        found[culprit] = Routing(refusal.status, ())
    return [a for a in batch if a != culprit]


def _check_whole(batch: list[str], reports: list[dict[str, Routing]]) -> None:
    """A report covers every recipient of its message: one that names only some of a
    batch means Postfix read the others differently from how they were written."""
    for report in reports:
        if not report.keys().isdisjoint(batch):
            missing = [a for a in batch if a not in report]
            raise ServerError(f"the report of {batch} names {sorted(report)}, not {missing}")


def _batches(addresses: list[str], size: int) -> list[list[str]]:
    """Batches of `size` in which no two addresses are equal but for case (Postfix would
    drop the second's recipients as duplicates of the first's)."""
    batches: list[list[str]] = []
    seen: list[set[str]] = []
    for address in addresses:
        folded = address.lower()
        i = next((i for i, s in enumerate(seen) if folded not in s and len(s) < size), None)
        if i is None:
            batches.append([])
            seen.append(set())
            i = len(batches) - 1
        batches[i].append(address)
        seen[i].add(folded)
    return batches


def _children(parent: int) -> set[tuple[int, int]]:
    """The processes whose parent is `parent`, each as (pid, start time): a pid alone may be
    reused by a daemon master starts after the reload."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.add((int(stat.parent.name), int(fields[19])))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
