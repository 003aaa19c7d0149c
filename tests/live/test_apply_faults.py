"""What apply tells and keeps when something around it fails: a refused write's hint by
change kind, a report folder it cannot write, a stderr that breaks mid-run.

The refusals are slapd's own answers to real operations, fed to the hints.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import ldap
import pytest
import servers
from live_kit import PEOPLE_DN, in_sync, ldifctl, live_repo
from repo_kit import USER, USER_FORWARD

from ldifctl.live.hints import failure_text
from ldifctl.model.changes import Add, Change, Mod, Modify, ModRdn
from ldifctl.repo.settings.server import ServerConfig
from ldifctl.sources.connection import open_connection

A, B = f"cn=a,{PEOPLE_DN}", f"cn=b,{PEOPLE_DN}"
GONE = f"ou=gone,{PEOPLE_DN}"
RERUN = "run `ldifctl drift` to see the server's state, then `ldifctl apply` again"


def _add(dn: str, object_class: bytes = b"inetOrgPerson", *more: tuple[str, bytes]) -> Add:
    attrs = [("objectClass", object_class), ("cn", dn[3:4].encode()), ("sn", b"S"), *more]
    return Add(dn, tuple((name, (value,)) for name, value in attrs))


def _modify(attr: str, *values: bytes) -> Modify:
    return Modify(A, (Mod("add", attr, values),))


def _sent(conn: Any, change: Change) -> None:
    if isinstance(change, Add):
        conn.add_s(change.dn, [(n, list(v)) for n, v in change.attrs])
    elif isinstance(change, ModRdn):
        conn.rename_s(change.dn, change.new_rdn, change.new_superior)
    else:
        assert isinstance(change, Modify)
        conn.modify_s(change.dn, [(ldap.MOD_ADD, m.attr, list(m.values)) for m in change.mods])


CASES: dict[str, tuple[Change, str]] = {
    "add-under-a-gone-parent": (
        _add(f"cn=x,{GONE}"),
        f"No such object (32); the parent {GONE} is gone from the server (the closest "
        f"entry the server holds is {PEOPLE_DN}): {RERUN}, or restore the parent first",
    ),
    "move-under-a-gone-parent": (
        ModRdn(A, "cn=a", False, GONE, f"cn=a,{GONE}"),
        f"No such object (32): new superior not found; the parent {GONE} is gone from the "
        f"server: {RERUN}, or restore the parent first",
    ),
    "rename-onto-a-taken-dn": (
        ModRdn(A, "cn=b", True, None, B),
        f"Already exists (68); the new DN {B} is taken: an entry exists there already; {RERUN}",
    ),
    "constraint": (
        _modify("displayName", b"one", b"two"),
        "Constraint violation (19): displayName: multiple values provided; the server's "
        "constraints refuse the values (a single-valued attribute holding another value, a "
        f"size or uniqueness limit): {RERUN}",
    ),
    "syntax": (
        _modify("telephoneNumber", b""),
        "Invalid syntax (21): telephoneNumber: value #0 invalid per syntax; the server "
        "refuses a value's syntax: fix the value in the repo (`ldifctl validate` checks "
        "ldifctl's schema, not the server's)",
    ),
    "unwilling": (
        Modify("", (Mod("add", "description", (b"x",)),)),
        "Server is unwilling to perform (53): modify upon the root DSE not supported; the "
        "server is unwilling to perform it (a read-only replica or a server-side rule): check "
        "that server.uri names a writable server, and the server's log",
    ),
    "schema": (
        _add(f"cn=y,{PEOPLE_DN}", b"person", ("mailForwardingAddress", b"a@b.c")),
        "Object class violation (65): attribute 'mailForwardingAddress' not allowed; the "
        "server's schema refuses the entry's object classes or attributes "
        "(mailForwardingAddress); `ldifctl validate` cannot know the server's schema for it: "
        "fix the entry in the repo, or load the schema it needs on the server",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_refusal_is_explained_by_the_change_it_refuses(
    case: str, clean_slapd: servers.LdapServer
) -> None:
    entries = [f"dn: {d}\nobjectClass: person\ncn: {d[3]}\nsn: S\n" for d in (A, B)]
    done = clean_slapd.ldapadd(
        f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n\n" + "\n".join(entries)
    )
    assert done.returncode == 0, done.stderr
    change, expected = CASES[case]
    with clean_slapd.bind() as conn, pytest.raises(ldap.LDAPError) as refused:
        _sent(conn, change)
    assert failure_text(refused.value, change) == expected


def test_a_server_without_starttls_gets_a_hint(clean_slapd: servers.LdapServer) -> None:
    settings = ServerConfig(clean_slapd.uri, True, None, clean_slapd.root_dn, "demand", 5)
    with pytest.raises(Exception, match="StartTLS") as refused:
        open_connection(settings, {"LDIFCTL_BIND_PASSWORD": clean_slapd.root_pw})
    assert str(refused.value) == (
        f"{clean_slapd.uri}: StartTLS failed: Protocol error (2): unsupported extended "
        "operation: the server does not offer StartTLS: use an ldaps:// URI in server.uri, or "
        "set server.start_tls: false in ldifctl.yaml (a bind in clear text then goes only to "
        "loopback)"
    )


def test_an_unwritable_report_folder_means_nothing_is_sent(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.write(USER, USER_FORWARD)
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    code, _, err = ldifctl(repo, "apply", "--yes", "--report-dir", str(a_file / "x"))
    assert code == 1
    assert err.splitlines()[-1] == (
        f"error: cannot write apply's report in {a_file / 'x'}: Not a directory; nothing was "
        "sent: make that folder writable, or choose another with --report-dir (or "
        "apply.report_dir in ldifctl.yaml)"
    )
    assert clean_slapd.search_all(servers.SUFFIX).keys() == {servers.SUFFIX}


def run_apply_piped(
    repo_root: Path, password: str, reader: str
) -> subprocess.CompletedProcess[str]:
    """`ldifctl apply` with its stderr piped into `reader`, as a shell pipeline."""
    apply = f"{sys.executable} -m ldifctl apply --yes --force"
    env = {**os.environ, "LDIFCTL_BIND_PASSWORD": password}
    return subprocess.run(
        ["bash", "-c", f"( {apply} 2>&1 >/dev/null ) | {reader}"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_broken_stderr_does_not_cost_the_report(
    tmp_path: Path, clean_slapd: servers.LdapServer
) -> None:
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.populate({f"cn=u{i},{PEOPLE_DN}": _mailbox(i) for i in range(50)})
    repo.commit()
    shown = run_apply_piped(repo.root, clean_slapd.root_pw, "head -c 50")  # then EPIPE
    assert shown.stdout.startswith("server -> working tree: 51 add"), shown
    assert in_sync(repo, clean_slapd)
    [report] = (repo.root / ".ldifctl").glob("apply-*")
    assert sorted(p.name for p in report.iterdir()) == [
        ".gitignore",
        "remaining.ldif",
        "report.json",
        "undo.ldif",
    ]
    assert (report / "undo.ldif").read_text().count("changetype: delete") == 51


def _mailbox(i: int) -> str:
    return (
        f"dn: cn=u{i},{PEOPLE_DN}\nobjectClass:\n  - inetOrgPerson\n  - mailRecipient\n"
        f"cn: u{i}\nsn: U\nmail: u{i}@domain.ro\n"
    )
