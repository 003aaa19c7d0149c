"""What apply asserts and what its undo restores, for a big group and for a child renamed
inside a renamed parent, on slapd and on 389-DS.

A value-level `add:` or `delete:` is its own precondition (the server answers 20 or 16),
so it goes out without an assertion: a filter naming each of a group's members costs
slapd time in the square of their number (65,000 members: past the 30 s timeout). Only
a `replace:` (no equality rule: `jpegPhoto`) asserts the entry's stamp, one term.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import Any

import pytest
import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo
from snapshots import SCHEMA, snapshot

from ldifctl.live import apply as applymod
from ldifctl.live import pipeline
from ldifctl.live.preconditions import MAX_ASSERTED, Preconditions
from ldifctl.live.report import ApplyReport
from ldifctl.live.undo import undo_changes
from ldifctl.model.changes import Change, Mod, Modify, ModRdn
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.connection import connected
from ldifctl.sources.server import ServerState

GROUP = f"cn=big,{PEOPLE_DN}"
NEW = f"uid=new,{PEOPLE_DN}"
SIZE = 20_000  # 3.8 s of slapd's time for the assertion this group's add used to carry
PHOTO, NEW_PHOTO = b"\xff\xd8 the photo read", b"\xff\xd8 the photo in git"


def member(i: int) -> str:
    return f"uid=user{i:05d},{PEOPLE_DN}"


def group_yaml(members: list[str]) -> str:
    lines = [f"dn: {GROUP}", "objectClass: groupOfNames", "cn: big", "member:"]
    return "\n".join(lines + [f"  - {m}" for m in members]) + "\n"


def big_group(tmp_path: Path, server: servers.LdapServer) -> Any:
    """A repo and a server both holding the group of SIZE members."""
    repo = live_repo(tmp_path / "repo", server)
    members = [member(i) for i in range(SIZE)]
    repo.write(GROUP, group_yaml(members))
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    shutil.rmtree(repo.root / ".ldifctl")
    return repo, members


def members_on(server: servers.LdapServer) -> set[str]:
    return {v.decode() for v in server.search_all(GROUP)[GROUP]["member"]}


def apply_recorded(
    repo: Any, server: servers.LdapServer, monkeypatch: pytest.MonkeyPatch, edit: str = ""
) -> tuple[ApplyReport, list[tuple[Change, Any]]]:
    """Apply the working tree, `edit` sent by hand between the read and the writes; each
    operation is recorded with the controls it went out with."""
    sent: list[tuple[Change, Any]] = []
    operation = pipeline._operation

    def recording(handle: Any, change: Change, controls: Any) -> int:
        sent.append((change, controls))
        return operation(handle, change, controls)

    monkeypatch.setattr(pipeline, "_operation", recording)
    ws = open_workspace(repo.root)
    desired, _ = applymod.desired_state(ws, "worktree")
    with connected(ws.config.server, ws.environ) as conn:
        prepared = applymod.prepare(ws, conn, desired, None)
        if edit:
            done = server.ldapmodify(f"dn: {GROUP}\nchangetype: modify\n{edit}-\n")
            assert done.returncode == 0, done.stderr
        return applymod.execute(ws, conn, prepared), sent


def test_a_member_added_to_a_big_group_goes_out_unasserted(
    tmp_path: Path, server: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, members = big_group(tmp_path, server)
    repo.write(GROUP, group_yaml([*members, NEW]))
    # A member removed and one added by hand after the read: the add clobbers neither.
    edit = f"delete: member\nmember: {member(0)}\n-\nadd: member\nmember: uid=hand,{PEOPLE_DN}\n"
    result, sent = apply_recorded(repo, server, monkeypatch, edit)
    assert result.ok, result.lines()
    assert sent == [(Modify(GROUP, (Mod("add", "member", (NEW.encode(),)),)), None)]
    assert members_on(server) == {*members[1:], NEW, f"uid=hand,{PEOPLE_DN}"}


def test_a_member_added_by_hand_too_fails_the_add(
    tmp_path: Path, server: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, members = big_group(tmp_path, server)
    repo.write(GROUP, group_yaml([*members, NEW]))
    result, _ = apply_recorded(repo, server, monkeypatch, f"add: member\nmember: {NEW}\n")
    [message] = result.outcome.failed.values()
    assert message.startswith("Type or value exists (20)")
    assert message.endswith(
        "; the entry changed on the server since it was read: a value the plan adds is there "
        "already"
    )


def test_an_add_asserts_the_few_values_read_and_never_a_group_s_members() -> None:
    """An add-only modify asserts the values read where they are few (a second forward
    that came meanwhile refuses it); past MAX_ASSERTED, nothing: the filter's cost is
    slapd's in the square of its terms. A replace asserts the stamp alone."""
    dn = f"cn=u0,{PEOPLE_DN}"
    few = [f"a={i}" for i in range(2)]
    many = [f"a={i}" for i in range(MAX_ASSERTED + 1)]
    add = Modify(dn, (Mod("add", "member", (b"a=new",)),))
    both = Modify(dn, (*add.mods, Mod("replace", "jpegPhoto", (b"p",))))
    for members, expected in ((few, "(&(member=a=0)(member=a=1))"), (many, None)):
        read = snapshot({dn: {"objectClass": "groupOfNames", "cn": "u0", "member": members}})
        stamped = Preconditions(ServerState(read, {SCHEMA.dn_key(dn): b"csn"}), [], SCHEMA, True)
        assert (stamped.assertion(add), stamped.assertion(both)) == (expected, "(entryCSN=csn)")
        unstamped = Preconditions(ServerState(read, {}), [], SCHEMA, True)
        assert unstamped.assertion(add) == expected
        assert unstamped.sent(both) == Modify(
            dn, (Mod("add", "member", (b"a=new",)), Mod("add", "jpegPhoto", (b"p",)))
        )


# --- The undo of a child renamed inside a renamed parent.


def ou(name: str) -> str:
    return f"dn: ou={name},{PEOPLE_DN}\nobjectClass: organizationalUnit\nou: {name}\n"


def person(cn: str, parent: str, photo: bytes) -> str:
    return (
        f"dn: cn={cn},{parent}\nobjectClass: inetOrgPerson\ncn: {cn}\nsn: Same\n"
        f"mail: m@example.org\njpegPhoto: !!binary {base64.b64encode(photo).decode()}\n"
    )


def entries(parent: str, child: str, photo: bytes) -> dict[str, str]:
    """ou=PARENT with cn=CHILD (its photo) and four siblings that stay as they are."""
    under = f"ou={parent},{PEOPLE_DN}"
    files = {under: ou(parent), f"cn={child},{under}": person(child, under, photo)}
    return files | {f"cn={k},{under}": person(k, under, b"k photo") for k in "klmn"}


def test_undo_restores_a_child_renamed_inside_a_renamed_parent(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = live_repo(tmp_path / "repo", server, "apply:\n  max_update_percent: 100\n")
    repo.populate(entries("x", "a", PHOTO))
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    shutil.rmtree(repo.root / ".ldifctl")  # that apply's report: the test reads the next one
    before = server.search_all(PEOPLE_DN)

    shutil.rmtree(repo.path(f"ou=x,{PEOPLE_DN}").with_suffix(""))
    repo.remove(f"ou=x,{PEOPLE_DN}")
    repo.populate(entries("y", "b", NEW_PHOTO))
    code, out, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert f"dn: cn=a,ou=y,{PEOPLE_DN}\nchangetype: modrdn\nnewrdn: cn=b\n" in out
    [undo] = (repo.root / ".ldifctl").glob("apply-*/undo.ldif")
    assert (
        f"dn: cn=b,ou=y,{PEOPLE_DN}\nchangetype: modrdn\nnewrdn: cn=a\ndeleteoldrdn: 1\n"
        in undo.read_text()
    )
    done = server.ldapmodify(undo.read_text())
    assert done.returncode == 0, done.stderr
    assert sorted_values(server.search_all(PEOPLE_DN)) == sorted_values(before)


def sorted_values(found: dict[str, dict[str, list[bytes]]]) -> dict[str, dict[str, list[bytes]]]:
    return {dn: {name: sorted(vs) for name, vs in attrs.items()} for dn, attrs in found.items()}


def test_undo_looks_a_renamed_child_up_where_the_read_saw_it() -> None:
    x, y = f"ou=x,{PEOPLE_DN}", f"ou=y,{PEOPLE_DN}"
    before = snapshot(
        {x: {"objectClass": "organizationalUnit", "ou": "x"}, f"cn=a,{x}": {"cn": "a"}}
    )
    parent = ModRdn(x, "ou=y", True, None, y)
    child = ModRdn(f"cn=a,{y}", "cn=b", True, None, f"cn=b,{y}")
    assert undo_changes([parent, child], before) == [
        ModRdn(f"cn=b,{y}", "cn=a", True, None, f"cn=a,{y}"),
        ModRdn(y, "ou=x", True, None, x),
    ]
