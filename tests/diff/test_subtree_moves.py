"""A moved subtree (a `git mv` of an OU's file and folder) is one modrdn of its root
(issue 11, item 16): the children follow it on the server by themselves."""

from __future__ import annotations

from pathlib import Path

import hypothesis.strategies as st
import servers
from hypothesis import HealthCheck, event, given, settings
from ldap_state import server_snapshot
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import DirectoryRepo, run
from snapshots import SCHEMA, Literal, snapshot

from ldifctl.diff.ldif_writer import render_changes
from ldifctl.diff.snapshots import diff
from ldifctl.model.snapshot import Snapshot
from ldifctl.repo.entries.render import render_entry
from ldifctl.sources.export import export_ldif

SUFFIX = "dc=example,dc=net"
BASE: Literal = {SUFFIX: {"objectClass": ["domain"], "dc": "example"}}


def ou(name: str, **attrs: str) -> dict[str, object]:
    return {"objectClass": ["organizationalUnit"], "ou": name, **attrs}


def person(cn: str, mail: str) -> dict[str, object]:
    return {"objectClass": ["inetOrgPerson"], "cn": cn, "sn": "Person", "mail": mail}


NAMES = ["alice", "bob", "carol", "dave"]


def subtree(parent: str, **edits: dict[str, object]) -> dict[str, dict[str, object]]:
    """The OU `parent` (a DN) with four people; `edits` replace a person by cn."""
    entries: dict[str, dict[str, object]] = {parent: ou(parent.split(",")[0][3:])}
    for name in NAMES:
        entries[f"cn={name},{parent}"] = edits.get(name, person(name, f"{name}@example.net"))
    return entries


def ldif(old: Literal, new: Literal) -> str:
    return render_changes(diff(snapshot(old), snapshot(new)))


PEOPLE = f"ou=people,{SUFFIX}"
STAFF = f"ou=staff,{SUFFIX}"


def test_a_renamed_ou_without_attributes_of_its_own_is_one_modrdn(
    clean_slapd: servers.LdapServer,
) -> None:
    old = {**BASE, **subtree(PEOPLE)}
    new = {**BASE, **subtree(STAFF)}
    changes = ldif(old, new)
    assert changes == f"dn: {PEOPLE}\nchangetype: modrdn\nnewrdn: ou=staff\ndeleteoldrdn: 1\n\n"
    sent_to(clean_slapd, old, changes, new)


def test_edited_children_get_their_modifies_under_the_new_dn(
    clean_slapd: servers.LdapServer,
) -> None:
    old = {**BASE, **subtree(PEOPLE)}
    new = {**BASE, **subtree(STAFF, bob=person("bob", "robert@example.net"))}
    changes = ldif(old, new)
    assert changes == (
        f"dn: {PEOPLE}\nchangetype: modrdn\nnewrdn: ou=staff\ndeleteoldrdn: 1\n\n"
        f"dn: cn=bob,{STAFF}\nchangetype: modify\n"
        "delete: mail\nmail: bob@example.net\n-\nadd: mail\nmail: robert@example.net\n-\n\n"
    )
    sent_to(clean_slapd, old, changes, new)


def test_children_left_behind_or_new_are_deleted_or_added_after_the_move(
    clean_slapd: servers.LdapServer,
) -> None:
    old = {**BASE, **subtree(PEOPLE)}
    new = {**BASE, **subtree(STAFF)}
    del new[f"cn=dave,{STAFF}"]
    new[f"cn=eve,{STAFF}"] = person("eve", "eve@example.net")
    changes = ldif(old, new)
    assert changes == (
        f"dn: {PEOPLE}\nchangetype: modrdn\nnewrdn: ou=staff\ndeleteoldrdn: 1\n\n"
        f"dn: cn=eve,{STAFF}\nchangetype: add\nobjectClass: inetOrgPerson\ncn: eve\n"
        "mail: eve@example.net\nsn: Person\n\n"
        f"dn: cn=dave,{STAFF}\nchangetype: delete\n\n"
    )
    sent_to(clean_slapd, old, changes, new)


def test_a_subtree_moved_to_another_parent_is_one_modrdn_with_newsuperior(
    clean_slapd: servers.LdapServer,
) -> None:
    corp = f"ou=corp,{SUFFIX}"
    nested = f"ou=people,{corp}"
    old = {**BASE, corp: ou("corp"), **subtree(PEOPLE), f"ou=sub,{PEOPLE}": ou("sub")}
    new = {**BASE, corp: ou("corp"), **subtree(nested), f"ou=sub,{nested}": ou("sub")}
    changes = ldif(old, new)
    assert changes == (
        f"dn: {PEOPLE}\nchangetype: modrdn\nnewrdn: ou=people\ndeleteoldrdn: 0\n"
        f"newsuperior: {corp}\n\n"
    )
    sent_to(clean_slapd, old, changes, new)


def test_a_child_whose_structural_class_changed_is_recreated_under_the_new_dn(
    clean_slapd: servers.LdapServer,
) -> None:
    role: dict[str, object] = {
        "objectClass": ["organizationalRole"],
        "cn": "bob",
        "description": "a role",
    }
    old, new = {**BASE, **subtree(PEOPLE)}, {**BASE, **subtree(STAFF, bob=role)}
    changes = ldif(old, new)
    assert changes == (
        f"dn: {PEOPLE}\nchangetype: modrdn\nnewrdn: ou=staff\ndeleteoldrdn: 1\n\n"
        f"dn: cn=bob,{STAFF}\nchangetype: delete\n\n"
        f"dn: cn=bob,{STAFF}\nchangetype: add\nobjectClass: organizationalRole\ncn: bob\n"
        "description: a role\n\n"
    )
    sent_to(clean_slapd, old, changes, new)


def test_every_child_edited_in_the_same_change_still_moves_with_its_ou() -> None:
    old = {**BASE, **subtree(PEOPLE)}
    edited = {n: person(n, f"{n}@elsewhere.org") | {"sn": n} for n in NAMES}
    changes = ldif(old, {**BASE, **subtree(STAFF, **edited)})
    assert changes.startswith(
        f"dn: {PEOPLE}\nchangetype: modrdn\nnewrdn: ou=staff\ndeleteoldrdn: 1\n\n"
    )
    assert changes.count("changetype: modify") == 4 and "changetype: add" not in changes


def test_an_ou_replaced_by_another_holding_other_entries_is_no_rename() -> None:
    old = {**BASE, **subtree(PEOPLE)}
    new = {**BASE, STAFF: ou("staff")}
    for name in ["erin", "frank", "grace", "alice"]:  # one place of seven in both
        new[f"cn={name},{STAFF}"] = person(name, f"{name}@example.net")
    changes = ldif(old, new)
    assert "ou=staff\ndeleteoldrdn" not in changes
    assert changes.startswith(f"dn: {STAFF}\nchangetype: add\n")
    assert changes.endswith(f"dn: {PEOPLE}\nchangetype: delete\n\n")


def test_a_git_mv_of_an_ou_planned_and_sent_to_slapd(
    tmp_path: Path, clean_slapd: servers.LdapServer
) -> None:
    old, new = snapshot({**BASE, **subtree(PEOPLE)}), snapshot({**BASE, **subtree(STAFF)})
    repo = DirectoryRepo(tmp_path / "repo")
    for entry in old:
        repo.write(entry.dn, render_entry(entry, SCHEMA))
    repo.commit()
    folder = "directory/dc=net/dc=example"
    repo.git("mv", f"{folder}/ou=people", f"{folder}/ou=staff")
    repo.git("mv", f"{folder}/ou=people.yaml", f"{folder}/ou=staff.yaml")
    for entry in new:  # each moved file names its new DN
        repo.write(entry.dn, render_entry(entry, SCHEMA))
    code, planned, err = run(repo, "plan")
    assert (code, planned) == (
        0,
        f"dn: {PEOPLE}\nchangetype: modrdn\nnewrdn: ou=staff\ndeleteoldrdn: 1\n\n",
    ), err
    sent_to(clean_slapd, old, planned, new)


def sent_to(
    slapd: servers.LdapServer, old: Literal | Snapshot, ldif: str, new: Literal | Snapshot
) -> None:
    """Load `old` into slapd, send `ldif` with the real ldapmodify: slapd holds `new`."""
    before = old if isinstance(old, Snapshot) else snapshot(old)
    below = Snapshot(before.label, before.schema)
    for entry in before:
        if entry.dn != SUFFIX:
            below.add(entry)
    slapd.ldapadd(export_ldif(below))
    applied = slapd.ldapmodify(ldif)
    assert applied.returncode == 0, applied.stderr
    after = new if isinstance(new, Snapshot) else snapshot(new)
    assert diff(server_snapshot(slapd, SCHEMA), after) == []


@st.composite
def ou_moves(draw: st.DrawFn) -> tuple[dict[str, dict[str, object]], dict[str, dict[str, object]]]:
    """OUs of people; B renames or re-parents some OUs, and edits, drops or adds people
    in them on the way."""
    suffix: dict[str, object] = {"objectClass": ["domain"], "dc": "example"}
    old: dict[str, dict[str, object]] = {SUFFIX: suffix}
    new: dict[str, dict[str, object]] = {SUFFIX: suffix}
    ous = draw(st.lists(st.sampled_from(["sales", "staff", "admin"]), unique=True, min_size=1))
    first = ""  # where the first OU ends up: the others may move below it
    for name in ous:
        dn = f"ou={name},{SUFFIX}"
        fate = draw(st.sampled_from(["keep", "rename", "nest"] if first else ["keep", "rename"]))
        target = {
            "keep": dn,
            "rename": f"ou={name}2,{SUFFIX}",
            "nest": f"ou={name},{first}",
        }[fate]
        first = first or target
        event(f"ou {fate}")
        old[dn], new[target] = ou(name), ou(target.split(",")[0][3:])
        for cn in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=4)):
            old[f"cn={cn},{dn}"] = person(cn, f"{cn}@{name}.example.net")
            child = draw(st.sampled_from(["keep", "keep", "edit", "drop"]))
            if child != "drop":
                mail = f"{cn}@{'new' if child == 'edit' else name}.example.net"
                new[f"cn={cn},{target}"] = person(cn, mail)
        if draw(st.booleans()):
            new[f"cn=zoe,{target}"] = person("zoe", "zoe@example.net")
    return old, new


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ou_moves())
def test_moved_ous_through_ldapmodify_give_exactly_the_new_state(
    slapd: servers.LdapServer, pair: tuple[Literal, Literal]
) -> None:
    old, new = pair
    slapd.reset()
    changes = ldif(old, new)
    for kind in ("add", "modify", "delete", "modrdn"):
        if f"changetype: {kind}\n" in changes:
            event(kind)
    sent_to(slapd, old, changes, new)


def test_an_ou_renamed_by_hand_is_one_modrdn_of_drift_and_written_back(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    team, crew = f"ou=team,{PEOPLE_DN}", f"ou=crew,{PEOPLE_DN}"
    repo = live_repo(tmp_path / "repo", server)
    for entry in snapshot(subtree(team)):
        repo.write(entry.dn, render_entry(entry, SCHEMA))
    repo.commit()
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    rename = f"dn: {team}\nchangetype: modrdn\nnewrdn: ou=crew\ndeleteoldrdn: 1\n"
    assert server.ldapmodify(rename).returncode == 0

    code, out, _ = ldifctl(repo, "drift")
    assert (code, out) == (
        3,
        f"dn: {crew}\nchangetype: modrdn\nnewrdn: ou=team\ndeleteoldrdn: 1\n\n",
    )
    assert ldifctl(repo, "drift", "--write")[0] == 3
    assert sorted(p.name for p in repo.path(crew).with_suffix("").iterdir()) == [
        f"cn={name}.yaml" for name in NAMES
    ]
    assert ldifctl(repo, "drift") == (0, "", "server -> working tree: no changes\n")
