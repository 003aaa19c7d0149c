"""The files of a private Postfix instance: its folders, master.cf and main.cf."""

from __future__ import annotations

import grp
import os
import pwd
import time
from pathlib import Path

from postfix_reports import EXTERNAL

HOST = "probe.invalid"  # the instance's own name; never a domain under test

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

# `in_flow_delay = 0s`: the tests send bursts; Postfix would pause each submission 1 s.
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
luser_relay = root
notify_classes =
biff = no
in_flow_delay = 0s
default_transport = external:{external}
relay_transport = external:{external}
virtual_transport = virtual
virtual_mailbox_base = {root}/mailboxes
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
"""


def create_instance(root: Path) -> None:
    """The folders (owned as Postfix wants them) and master.cf; main.cf with no tables."""
    for name in ("conf", "queue", "data", "spool", "mailboxes", "tables"):
        (root / name).mkdir()
    os.chown(root / "data", _uid("postfix"), _gid("postfix"))
    (root / "data").chmod(0o700)  # master's lock file, or it will not start
    (root / "spool").chmod(0o1777)  # local(8) delivers root's mail as nobody
    os.chown(root / "mailboxes", _uid("nobody"), _gid("nogroup"))
    backdated(root / "conf" / "master.cf", MASTER_CF)
    backdated(root / "conf" / "main.cf", main_cf(root))


def main_cf(root: Path) -> str:
    """main.cf but for the lines of the tables under test."""
    return MAIN_CF.format(
        root=root, host=HOST, external=EXTERNAL, uid=_uid("nobody"), gid=_gid("nogroup")
    )


def backdated(path: Path, text: str) -> None:
    path.write_text(text)
    backdate(path)


def backdate(path: Path) -> None:
    """Date a file a minute back: Postfix re-reads a main.cf or table file younger than
    about 2 s every 300 ms until it "cools down"."""
    past = time.time() - 60
    os.utime(path, (past, past))


def _uid(user: str) -> int:
    return pwd.getpwnam(user).pw_uid


def _gid(group: str) -> int:
    return grp.getgrnam(group).gr_gid
