"""A running Postfix for the tests: the oracle for where mail really goes.

One private instance per test session (postfix_instance.py: loopback only, no listening
socket, nothing written to /etc/postfix), its tables the `.cf` files `ldifctl
postfix-maps` wrote, unchanged, named by the main.cf lines it printed; slapd holds the
directory. The interface, for any test that asks where mail goes:

    point_at(repo, slapd)                # ldifctl.yaml names slapd and Postfix's account
    serve(repo, slapd, rev)              # slapd holds the repo's state; no reload needed
    write_tables(repo, postfix)          # postfix-maps, then main.cf and a reload
    postfix.probe(addresses)             # {address: Routing}, from `sendmail -bv`
    resolved(repo, addresses, rev)       # {address: Routing}, from `ldifctl resolve`

`Routing(status, destinations)` has the words of `resolve --format json`: status
delivered / undeliverable / loop / deferred, destinations (address, kind) sorted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from postfix_instance import PLAIN_ADDRESS, RunningPostfix
from postfix_reports import Routing
from repo_kit import DirectoryRepo, run
from servers import LdapServer, ServerError

from ldifctl.mail import route_report
from ldifctl.mail.routing import Router
from ldifctl.policy.check import mail_config
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.load import load
from ldifctl.sources.specs import WORKTREE

__all__ = ["PLAIN_ADDRESS", "Routing", "RunningPostfix", "running_postfix"]


@contextlib.contextmanager
def running_postfix() -> Iterator[RunningPostfix]:
    """A private Postfix, started and stopped here; its files are removed at the end."""
    # Not under pytest's tmp dirs: those are 0700 root, which Postfix's daemons (user
    # postfix) cannot traverse.
    if os.geteuid() != 0:
        raise ServerError("a private Postfix needs root: its daemons switch to user postfix")
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


def routing_of(resolved: Mapping[str, Any]) -> Routing:
    """`ldifctl resolve --format json` in the kit's shape."""
    found = ((d["address"], d["kind"]) for d in resolved["destinations"])
    return Routing(resolved["status"], tuple(sorted(found)))


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


def serve(repo: DirectoryRepo, slapd: LdapServer, rev: str = WORKTREE) -> None:
    """Replace what slapd holds with the repo's state at `rev` (as `ldifctl export` gives
    it), plus Postfix's read-only account, which lives outside the repo."""
    code, ldif, err = run(repo, "export", "--rev", rev)
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


def resolved(
    repo: DirectoryRepo, addresses: Iterable[str], rev: str = WORKTREE
) -> dict[str, Routing]:
    """What `ldifctl resolve ADDRESS --rev REV --format json` prints for each address, in
    the kit's shape (the state is loaded once: the CLI would load it once per address)."""
    ws = open_workspace(repo.root, {})
    router = Router(load(ws, rev), mail_config(ws))
    return {a: routing_of(json.loads(route_report.as_json(router.resolve(a)))) for a in addresses}
