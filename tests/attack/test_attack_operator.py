"""An unlucky operator: ldifctl killed with SIGKILL mid-apply, the server dying mid-apply,
and a concurrent administrator writing between the plan's read and its writes.

The apply runs as a real `ldifctl` process with one operation in flight at a time
(`window: 1`); the test watches the server fill and strikes once part of the plan is in.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import ldap
import pytest
import servers
from attack_kit import GUARD_SECONDS, assert_secret_absent, finish, run_here, start
from live_kit import PEOPLE_DN, Dedicated, dedicated_slapd, in_sync, live_repo, people
from repo_kit import DirectoryRepo

from ldifctl.live import apply as applymod
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import connected

COUNT = 400
STRIKE_AT = 20  # entries on the server before the test strikes
SLOW = "apply:\n  window: 1\n"


def mailbox(i: int) -> str:
    return (
        f"dn: cn=u{i},{PEOPLE_DN}\nobjectClass: [inetOrgPerson, mailRecipient]\n"
        f"cn: u{i}\nsn: U\nmail: u{i}@domain.ro\n"
    )


def big_repo(root: Path, server: servers.LdapServer) -> DirectoryRepo:
    repo = live_repo(root, server, SLOW)
    repo.populate({f"cn=u{i},{PEOPLE_DN}": mailbox(i) for i in range(COUNT)})
    return repo


def entries_on(server: servers.LdapServer) -> int:
    with server.bind() as conn:
        try:
            return len(conn.search_s(PEOPLE_DN, ldap.SCOPE_SUBTREE, "(objectClass=*)", ["1.1"]))
        except ldap.NO_SUCH_OBJECT:
            return 0


def wait_for_entries(server: servers.LdapServer, proc: subprocess.Popen[str], count: int) -> None:
    """Until `count` entries are on the server (or the apply ended, which the caller sees)."""
    guard = time.monotonic() + GUARD_SECONDS  # a stuck apply must not hang CI; not a measure
    while entries_on(server) < count and proc.poll() is None:
        if time.monotonic() > guard:
            proc.kill()
            raise AssertionError(f"apply wrote fewer than {count} entries and did not end")


def test_kill_9_mid_apply_then_a_rerun_converges(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL leaves part of the plan applied and no report; `apply` again finishes it."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = big_repo(tmp_path / "repo", clean_slapd)
    proc = start(repo, "apply", "--yes")
    wait_for_entries(clean_slapd, proc, STRIKE_AT)
    proc.send_signal(signal.SIGKILL)
    killed = finish(proc)
    assert killed.code == -signal.SIGKILL
    assert STRIKE_AT <= entries_on(clean_slapd) < COUNT + 1
    # The report folder is made (and tried) before anything is sent; SIGKILL leaves it
    # without a report.
    assert not list((repo.root / ".ldifctl").glob("**/report.json"))

    again = run_here(repo, "apply", "--yes")
    assert again.code == 0, again.err
    assert in_sync(repo, clean_slapd)
    assert run_here(repo, "drift").code == 0


@pytest.fixture
def own_slapd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dedicated]:
    with dedicated_slapd(tmp_path / "slapd") as box:
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", box.server.root_pw)
        yield box


def test_the_server_dies_mid_apply(tmp_path: Path, own_slapd: Dedicated) -> None:
    """slapd stopped mid-apply: exit 1, a report true to the server, no password; re-run."""
    box = own_slapd
    server = box.server
    repo = big_repo(tmp_path / "repo", server)
    proc = start(repo, "apply", "--yes")
    wait_for_entries(server, proc, STRIKE_AT)
    box.stop()
    done = finish(proc)
    box.start()

    assert (done.code, done.out.count("changetype: add")) == (1, COUNT + 1), done.err
    told = next(line for line in done.err.splitlines() if " undo LDIF in " in line)
    folder = repo.root / told.split(" in ", 1)[1]
    report = json.loads((folder / "report.json").read_text())
    status = {c["dn"]: c["status"] for c in report["changes"]}
    held = set(people(server).keys())
    applied = {server_key(server, dn) for dn, s in status.items() if s == "applied"}
    unknown = {server_key(server, dn) for dn, s in status.items() if s == "unknown"}
    assert applied <= held <= applied | unknown
    assert STRIKE_AT <= len(applied) < COUNT + 1
    remaining = (folder / "remaining.ldif").read_text().count("changetype: add")
    # What was in flight is neither applied nor remaining: unknown.ldif holds it.
    assert remaining == COUNT + 1 - len(applied) - len(unknown)
    if unknown:
        assert (folder / "unknown.ldif").read_text().count("changetype: add") == len(unknown)
    assert_secret_absent(server.root_pw, done.out, done.err, folders=(repo.root,))

    again = run_here(repo, "apply", "--yes")
    assert again.code == 0, again.err
    assert in_sync(repo, server)


def server_key(server: servers.LdapServer, dn: str) -> object:
    return people(server).schema.dn_key(dn)


# --- A concurrent administrator, between the plan's read and its writes.


def prepared_then(
    repo: DirectoryRepo, hand_edit: str, server: servers.LdapServer
) -> dict[str, str]:
    """Plan, let the administrator run `hand_edit` through ldapmodify, then write."""
    ws = open_workspace(repo.root)
    desired, _ = applymod.desired_state(ws, "worktree")
    with connected(ws.config.server, ws.environ) as conn:
        prepared = applymod.prepare(ws, conn, desired, None)
        assert server.ldapmodify(hand_edit).returncode == 0
        result = applymod.execute(ws, conn, prepared)
    changes = prepared.plan.changes
    return {changes[i].dn: message for i, message in result.outcome.failed.items()}


CAROL = f"cn=carol,{PEOPLE_DN}"


def test_an_entry_added_by_hand_meanwhile_is_not_overwritten(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan adds carol; an admin adds carol first: the add fails, the admin's stays."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    assert run_here(repo, "apply", "--yes").code == 0
    repo.write(CAROL, mailbox(0).replace("u0", "carol"))
    by_hand = f"dn: {CAROL}\nchangetype: add\nobjectClass: person\ncn: carol\nsn: Hand\n"
    failed = prepared_then(repo, by_hand, clean_slapd)
    assert list(failed) == [CAROL]
    assert failed[CAROL].startswith("Already exists (68)")
    assert people(clean_slapd).get_dn(CAROL).get("sn") == (b"Hand",)  # type: ignore[union-attr]


def test_an_entry_deleted_by_hand_meanwhile_is_not_resurrected(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan edits carol; an admin deletes carol first: the modify fails, carol stays gone."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.write(CAROL, mailbox(0).replace("u0", "carol"))
    assert run_here(repo, "apply", "--yes").code == 0
    repo.write(CAROL, mailbox(0).replace("u0", "carol").replace("domain.ro", "domain.net"))
    failed = prepared_then(repo, f"dn: {CAROL}\nchangetype: delete\n", clean_slapd)
    assert list(failed) == [CAROL]
    assert failed[CAROL].startswith("No such object (32)")
    assert people(clean_slapd).get_dn(CAROL) is None


def test_two_operators_applying_at_once_never_double_write(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two applies of one plan at once: the second's writes fail, nothing is written twice."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.write(CAROL, mailbox(0).replace("u0", "carol"))
    assert run_here(repo, "apply", "--yes").code == 0
    repo.write(CAROL, mailbox(0).replace("u0", "carol").replace("domain.ro", "domain.net"))
    ws = open_workspace(repo.root)
    desired, _ = applymod.desired_state(ws, "worktree")
    with (
        connected(ws.config.server, ws.environ) as first,
        connected(ws.config.server, ws.environ) as second,
    ):
        plans = [applymod.prepare(ws, conn, desired, None) for conn in (first, second)]
        results = [applymod.execute(ws, c, p) for c, p in zip((first, second), plans, strict=True)]
    assert [r.ok for r in results] == [True, False]
    assert in_sync(repo, clean_slapd)
    mails = people(clean_slapd).get_dn(CAROL).get("mail")  # type: ignore[union-attr]
    assert mails == (b"carol@domain.net",)
