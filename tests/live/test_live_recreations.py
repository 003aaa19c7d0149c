"""A structural object class change re-creates the entry (delete, then add). With entries
left below it the server refuses the delete (slapd: Operation not allowed on non-leaf,
66): `diff`, `plan` and `apply` refuse the change whole, and nothing is sent; a leaf, or
a parent whose children leave in the same change, is re-created on the real server."""

from __future__ import annotations

from pathlib import Path

import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo, people
from repo_kit import DirectoryRepo

BOX, KID = f"cn=box,{PEOPLE_DN}", f"cn=kid,cn=box,{PEOPLE_DN}"
DEVICE = "dn: {dn}\nobjectClass: {cls}\ncn: {cn}\n"
REFUSAL = (
    f"error [structure/structural-class-with-children] the structural object class of {BOX} "
    f"changes from device to applicationProcess, which takes deleting and re-adding it, but "
    f"{KID} stays below it: slapd refuses to delete an entry with entries below it "
    "(Operation not allowed on non-leaf), and re-adding them would lose their passwords "
    "and operational attributes. Change the class in a change of its own after moving the "
    "entries below away, or delete and re-add the subtree by hand"
)


def box(cls: str = "device") -> str:
    return DEVICE.format(dn=BOX, cls=cls, cn="box")


def with_a_box_and_its_kid(root: Path, server: servers.LdapServer) -> DirectoryRepo:
    repo = live_repo(root, server)
    repo.write(BOX, box())
    repo.write(KID, DEVICE.format(dn=KID, cls="device", cn="kid"))
    repo.commit("a box and its kid")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    return repo


def test_plan_and_apply_refuse_to_recreate_a_parent(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = with_a_box_and_its_kid(tmp_path / "repo", server)
    repo.write(BOX, box("applicationProcess"))
    code, out, err = ldifctl(repo, "plan")  # the incremental plan: the kid is unchanged
    box_file = "directory/dc=net/dc=example/ou=people/cn=box.yaml"
    assert (code, out, err.splitlines()[0]) == (1, "", f"{box_file}:1: {REFUSAL}"), err
    code, out, err = ldifctl(repo, "plan", "--base", "server")
    assert (code, out, err.splitlines()[0]) == (1, "", f"{box_file}:1: {REFUSAL}"), err
    before = people(server)
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert (code, err.splitlines()[-1]) == (1, f"error: {box_file}:1: {REFUSAL}; nothing was sent")
    assert people(server).get_dn(BOX) == before.get_dn(BOX)
    assert people(server).get_dn(KID) is not None


def test_a_parent_whose_kid_leaves_in_the_same_change_is_recreated(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = with_a_box_and_its_kid(tmp_path / "repo", server)
    repo.write(BOX, box("applicationProcess"))
    repo.remove(KID)
    code, out, err = ldifctl(repo, "plan", "--base", "server")
    assert code == 0, err
    assert out == (
        f"dn: {KID}\nchangetype: delete\n\ndn: {BOX}\nchangetype: delete\n\n"
        f"dn: {BOX}\nchangetype: add\nobjectClass: applicationProcess\ncn: box\n\n"
    )
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    classes = people(server).get_dn(BOX).get("objectClass")  # type: ignore[union-attr]
    assert set(classes) - {b"top"} == {b"applicationProcess"}  # 389 adds top


def test_diff_of_two_dumps_refuses_what_slapd_would(tmp_path: Path) -> None:
    """Only the records that differ are diffed: the unchanged kid is found in the new file."""
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    people_ou = f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n"
    kid = DEVICE.format(dn=KID, cls="device", cn="kid")
    (tmp_path / "a.ldif").write_text("\n".join([people_ou, box(), kid]))
    (tmp_path / "b.ldif").write_text("\n".join([people_ou, box("applicationProcess"), kid]))
    code, out, err = ldifctl(repo, "diff", str(tmp_path / "a.ldif"), str(tmp_path / "b.ldif"))
    assert (code, out, err.splitlines()[0]) == (1, "", f"{tmp_path / 'b.ldif'}:5: {REFUSAL}")
