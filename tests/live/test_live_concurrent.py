"""A hand edit made on the server after the plan's read is never overwritten, for any
attribute, on OpenLDAP and on 389-DS (issue 10, item 2).

`jpegPhoto` has no equality rule in OpenLDAP: no filter can name its value and no
`delete:` can match it, so a change of it is a `replace:`. OpenLDAP's writes then assert
the entry's entryCSN; 389-DS, which has no Assertion control but matches the photo byte
for byte, gets the replace as `delete:` of the old photo and `add:` of the new one.
"""

from __future__ import annotations

import base64
import json
import os
import pty
import re
import select
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, SERVER_PARAMS, is_389, ldifctl, live_repo, people
from repo_kit import USER, USER_FORWARD, DirectoryRepo

from ldifctl.live import apply as applymod
from ldifctl.live import entry_check
from ldifctl.live.report import ApplyReport
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import connected

READ = b"\xff\xd8\xff\xe0 the photo the plan read"
WANTED = b"\xff\xd8\xff\xe0 the photo in git"
BY_HAND = b"\xff\xd8\xff\xe0 a photo set by hand"
CHANGED = "the entry changed on the server since it was read"


def with_photo(photo: bytes, text: str = USER_FORWARD) -> str:
    return text + f"jpegPhoto: !!binary {base64.b64encode(photo).decode()}\n"


def photo_on(server: servers.LdapServer, dn: str = USER) -> tuple[bytes, ...]:
    entry = people(server).get_dn(dn)
    assert entry is not None
    return entry.get("jpegPhoto")


def set_photo_by_hand(server: servers.LdapServer, dn: str = USER) -> None:
    done = server.ldapmodify(
        f"dn: {dn}\nchangetype: modify\nreplace: jpegPhoto\n"
        f"jpegPhoto:: {base64.b64encode(BY_HAND).decode()}\n-\n"
    )
    assert done.returncode == 0, done.stderr


def refusal(server: servers.LdapServer) -> tuple[str, str]:
    """How each server refuses a write whose precondition no longer holds."""
    if is_389(server):
        return "No such attribute (16)", f"; {CHANGED}: a value the plan deletes is gone"
    return (
        "Assertion Failed (122)",
        f"; {CHANGED}: the assertion sent with the write no longer holds",
    )


def photo_repo(tmp_path: Path, server: servers.LdapServer) -> DirectoryRepo:
    """The user with READ on the server; the working tree wants WANTED."""
    repo = live_repo(tmp_path / "repo", server)
    repo.write(USER, with_photo(READ))
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    shutil.rmtree(repo.root / ".ldifctl")  # that apply's report: a test reads the next one
    repo.write(USER, with_photo(WANTED))
    return repo


def apply_with_edit(
    repo: DirectoryRepo, edit: Callable[[], object], after: Callable[[int], None] | None = None
) -> ApplyReport:
    """An apply whose read comes before `edit`, and whose writes after it."""
    ws = open_workspace(repo.root)
    desired, _ = applymod.desired_state(ws, "worktree")
    with connected(ws.config.server, ws.environ) as conn:
        prepared = applymod.prepare(ws, conn, desired, None)
        edit()
        return applymod.execute(ws, conn, prepared, after)


def test_a_photo_change_applies_and_its_undo_restores(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = photo_repo(tmp_path, server)
    code, out, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert f"dn: {USER}\nchangetype: modify\nreplace: jpegPhoto\n" in out
    assert photo_on(server) == (WANTED,)
    [undo] = (repo.root / ".ldifctl").glob("apply-*/undo.ldif")
    done = server.ldapmodify(undo.read_text())
    assert done.returncode == 0, done.stderr
    assert photo_on(server) == (READ,)


def test_a_photo_edited_between_read_and_write_is_kept(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = photo_repo(tmp_path, server)
    result = apply_with_edit(repo, lambda: set_photo_by_hand(server))
    assert photo_on(server) == (BY_HAND,)
    assert not result.ok
    [(index, message)] = result.outcome.failed.items()
    assert result.changes[index].dn == USER
    start, end = refusal(server)
    assert message.startswith(start) and message.endswith(end), message
    assert result.undo == ()


def test_a_modify_after_the_plans_own_rename_is_guarded_too(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    """The rename changes the entry's stamp (OpenLDAP): its post-read control tells the
    new one, which the photo's write then asserts."""
    renamed = f"cn=renamed,{PEOPLE_DN}"
    repo = photo_repo(tmp_path, server)
    repo.remove(USER)
    text = with_photo(WANTED).replace("cn: user.example", "cn: renamed")
    repo.write(renamed, text.replace(f"dn: {USER}", f"dn: {renamed}"))

    def edit_after_the_rename(done: int) -> None:
        if done == 1:
            set_photo_by_hand(server, renamed)

    result = apply_with_edit(repo, lambda: None, edit_after_the_rename)
    assert [type(c).__name__ for c in result.changes] == ["ModRdn", "Modify"]
    assert result.status(0) == "applied"
    start, end = refusal(server)
    assert result.outcome.failed[1].startswith(start) and result.outcome.failed[1].endswith(end)
    assert photo_on(server, renamed) == (BY_HAND,)

    # Without the hand edit the same kind of plan goes through.
    repo.write(renamed, text.replace(f"dn: {USER}", f"dn: {renamed}"))
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert photo_on(server, renamed) == (WANTED,)


def test_a_reviewed_plan_covers_what_it_overwrites(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = photo_repo(tmp_path, server)  # the plan: READ -> WANTED
    server.ldapadd(f"dn: cn=gone,{PEOPLE_DN}\nobjectClass: person\ncn: gone\nsn: G\n")  # deleted
    code, out, _ = ldifctl(repo, "plan", "--base", "server", "--format", "json")
    assert json.loads(out)["summary"] == {"add": 0, "modify": 1, "modrdn": 0, "delete": 1}
    reviewed = json.loads(out)["checksum"]
    [photo] = [m for c in json.loads(out)["changes"] for m in c.get("mods", ())]
    assert photo["old_values"] == [{"base64": base64.b64encode(READ).decode()}]

    for edit in (
        lambda: set_photo_by_hand(server),  # the replaced value
        lambda: server.ldapmodify(  # the content of the deleted entry
            f"dn: cn=gone,{PEOPLE_DN}\nchangetype: modify\nreplace: sn\nsn: edited\n-\n"
        ),
    ):
        before = people(server)
        edit()
        code, out, err = ldifctl(repo, "apply", "--yes", "--checksum", reviewed)
        # The LDIF is the same as the reviewed one; what it would overwrite is not.
        assert code == 1
        assert "error: the plan changed since it was reviewed: its checksum is now" in err
        assert len(people(server)) == len(before)
        reviewed = re.search(r"checksum is now (sha256:[0-9a-f]+)", err)[1]  # type: ignore[index]
    assert photo_on(server) == (BY_HAND,)


@pytest.mark.parametrize("kind", SERVER_PARAMS)
def test_an_entry_edited_before_its_delete_is_not_deleted(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OpenLDAP asserts the entryCSN read; on 389-DS the entry is read right before the
    delete and compared with the plan's read."""
    server: servers.LdapServer = request.getfixturevalue(f"clean_{kind}")
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", server.root_pw)
    repo = photo_repo(tmp_path, server)
    repo.remove(USER)
    result = apply_with_edit(
        repo,
        lambda: server.ldapmodify(
            f"dn: {USER}\nchangetype: modify\nadd: mailAlternateAddress\n"
            "mailAlternateAddress: by.hand@domain.com\n-\n"
        ),
    )
    [message] = result.outcome.failed.values()
    expected = (
        f"{CHANGED}: a read right before the delete found other values"
        if kind == "ds389"
        else f"Assertion Failed (122); {CHANGED}: the assertion sent with the write no longer holds"
    )
    assert message == expected
    entry = people(server).get_dn(USER)
    assert entry is not None and b"by.hand@domain.com" in entry.get("mailAlternateAddress")


@pytest.mark.ds389
def test_an_edit_between_the_check_and_the_delete_is_reported_and_undone(
    tmp_path: Path, clean_ds389: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """389-DS's remaining window, forced open: the delete's pre-read control tells what
    was really deleted, the run fails, and undo.ldif re-creates exactly that."""
    server = clean_ds389
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", server.root_pw)
    repo = photo_repo(tmp_path, server)
    repo.remove(USER)
    check = entry_check.changed_since_read

    def check_then_edit(*args: object) -> str | None:
        problem = check(*args)  # type: ignore[arg-type]
        set_photo_by_hand(server)
        return problem

    monkeypatch.setattr(entry_check, "changed_since_read", check_then_edit)
    result = apply_with_edit(repo, lambda: None)
    assert people(server).get_dn(USER) is None
    assert not result.ok
    assert result.lines()[1] == (
        f"delete {USER}: deleted, though {CHANGED} right before the delete (after the check): "
        "undo.ldif re-creates it as it was deleted"
    )
    folder = result.write(tmp_path / "reports")
    assert json.loads((folder / "report.json").read_text())["changes"][0]["warning"]
    done = server.ldapmodify((folder / "undo.ldif").read_text())
    assert done.returncode == 0, done.stderr
    assert photo_on(server) == (BY_HAND,)


# --- The same through a real `ldifctl apply` on a terminal, edited while it asks.


def apply_on_a_terminal(repo: DirectoryRepo, between: Callable[[], None]) -> tuple[int, str]:
    """Run `ldifctl apply` on a pseudo-terminal: it reads and plans, asks; `between` runs
    while it waits for the answer, then it gets "y"."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes ldifctl
        os.chdir(repo.root)
        os.execv(sys.executable, [sys.executable, "-m", "ldifctl", "apply"])
    seen = b""
    deadline = time.monotonic() + 60
    answered = False
    while time.monotonic() < deadline:
        if not answered and b"change(s) to" in seen and seen.rstrip().endswith(b"[y/N]:"):
            between()
            os.write(fd, b"y\n")
            answered = True
        if not select.select([fd], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closed: ldifctl exited
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode().replace("\r\n", "\n")


def test_a_real_apply_reports_the_edit_it_did_not_overwrite(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = photo_repo(tmp_path, server)
    code, output = apply_on_a_terminal(repo, lambda: set_photo_by_hand(server))
    assert code == 1, output
    assert f"{server.uri}: 0 applied, 1 failed, 0 unknown, 0 not attempted\n" in output
    assert f"failed: modify {USER}: {refusal(server)[0]}" in output
    assert photo_on(server) == (BY_HAND,)
    [report] = (repo.root / ".ldifctl").glob("apply-*/report.json")
    assert [c["status"] for c in json.loads(report.read_text())["changes"]] == ["failed"]
