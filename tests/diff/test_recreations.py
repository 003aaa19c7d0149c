"""A structural object class change re-creates the entry (delete, then add): with entries
left below it, slapd refuses the delete (66), so the diff's judgement refuses the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from snapshots import SCHEMA, snapshot

from ldifctl.diff.ldif_writer import render_changes
from ldifctl.diff.snapshots import diff, judged_diff
from ldifctl.model.findings import Finding
from ldifctl.sources.ldif_reader import load_changed

SUFFIX: dict[str, dict[str, Any]] = {
    "dc=example,dc=net": {"objectClass": ["domain"], "dc": "example"}
}
BOX, KID = "cn=box,dc=example,dc=net", "cn=kid,cn=box,dc=example,dc=net"
OLD = {
    **SUFFIX,
    BOX: {"objectClass": "device", "cn": "box"},
    KID: {"objectClass": "device", "cn": "kid"},
}
NEW = {**OLD, BOX: {"objectClass": "applicationProcess", "cn": "box"}}


def refused(where: str = BOX, also: str = "") -> Finding:
    return Finding(
        where,
        "structure/structural-class-with-children",
        "error",
        BOX,
        f"the structural object class of {BOX} changes from device to applicationProcess, "
        f"which takes deleting and re-adding it, but {KID}{also} stays below it: slapd "
        "refuses to delete an entry with entries below it (Operation not allowed on "
        "non-leaf), and re-adding them would lose their passwords and operational "
        "attributes. Change the class in a change of its own after moving the entries "
        "below away, or delete and re-add the subtree by hand",
    )


def judged(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, list[Finding]]:
    changes, found = judged_diff(snapshot(old), snapshot(new))
    assert changes == diff(snapshot(old), snapshot(new))
    return render_changes(changes), found


def test_a_parent_whose_structural_class_changes_is_refused() -> None:
    assert judged(OLD, NEW)[1] == [refused()]
    other = {"cn=z,cn=box,dc=example,dc=net": {"objectClass": "device", "cn": "z"}}
    assert judged({**OLD, **other}, {**NEW, **other})[1] == [refused(also=" and 1 more")]


def test_a_leaf_or_a_parent_whose_children_go_first_is_recreated() -> None:
    leaf_old = {k: v for k, v in OLD.items() if k != KID}
    leaf_new = {k: v for k, v in NEW.items() if k != KID}
    assert judged(leaf_old, leaf_new) == (
        f"dn: {BOX}\nchangetype: delete\n\n"
        f"dn: {BOX}\nchangetype: add\nobjectClass: applicationProcess\ncn: box\n\n",
        [],
    )
    # The child deleted (deepest first), or gone from below it, before the parent's delete.
    assert judged(OLD, leaf_new)[1] == []
    moved = {**leaf_new, "cn=kid,dc=example,dc=net": {"objectClass": "device", "cn": "kid"}}
    assert judged(OLD, moved)[1] == []


def test_two_ldif_files_name_the_unchanged_child_from_the_whole_new_state(
    tmp_path: Path,
) -> None:
    # Of two LDIF files only the differing records are diffed: the unchanged child is in
    # the whole new state only.
    text = (
        "dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n\n"
        f"dn: {BOX}\nobjectClass: device\ncn: box\n\ndn: {KID}\nobjectClass: device\ncn: kid\n"
    )
    old = text.encode()
    new = text.replace("device\ncn: box", "applicationProcess\ncn: box").encode()
    files = load_changed((lambda: old, "a.ldif"), (lambda: new, "b.ldif"), SCHEMA)
    assert len(files.old) == 1
    assert judged_diff(files.old, files.new)[1] == []  # what it cannot see, it cannot judge
    found = judged_diff(files.old, files.new, whole_new=lambda: files.whole_new)[1]
    assert found == [refused("b.ldif:5")]
