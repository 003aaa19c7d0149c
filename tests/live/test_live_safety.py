"""What apply refuses and what each write asserts, checked without a server."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_kit import DirectoryRepo
from snapshots import SCHEMA, snapshot

from ldifctl.diff.snapshots import diff
from ldifctl.live.pipeline import _InFlight
from ldifctl.live.preconditions import Preconditions, escape
from ldifctl.live.safety import MAX_LISTED, Scope, refusals, refuse_secrets
from ldifctl.live.undo import undo_changes
from ldifctl.model.changes import Add, Delete, Mod, Modify, ModRdn
from ldifctl.model.dn import DnKey
from ldifctl.model.errors import LdifctlError
from ldifctl.model.snapshot import Snapshot
from ldifctl.repo.settings.apply import ApplySettings, apply_settings
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.server import ServerState

PEOPLE = "ou=people,dc=example,dc=net"
OU = {"objectClass": "organizationalUnit", "ou": "people"}


def person(name: str, **extra: str | list[str]) -> dict[str, str | list[str]]:
    return {"objectClass": ["inetOrgPerson", "mailRecipient"], "cn": name, "sn": "S", **extra}


def people(count: int, **extra: str) -> Snapshot:
    entries = {f"cn=u{i},{PEOPLE}": person(f"u{i}", **extra) for i in range(count)}
    return snapshot({PEOPLE: OU, **entries})


def settings_of(tmp_path: Path, section: str) -> ApplySettings:
    repo = DirectoryRepo(tmp_path, "base_dn: dc=example,dc=net\n" + section)
    ws = open_workspace(repo.root)
    return apply_settings(ws.config.apply, ws.config.base_dns, ws.schema)


# --- apply: in ldifctl.yaml


def test_settings_default_to_octodns_thresholds(tmp_path: Path) -> None:
    assert settings_of(tmp_path, "") == ApplySettings(30.0, 30.0, 10, (), 128, ".ldifctl")


def test_settings_are_read(tmp_path: Path) -> None:
    section = (
        "apply:\n  max_delete_percent: 10\n  max_update_percent: '12.5'\n  min_existing: 0\n"
        "  protected:\n    - ou=Mail,dc=example,dc=net\n  window: 64\n  report_dir: reports\n"
    )
    assert settings_of(tmp_path, section) == ApplySettings(
        10.0, 12.5, 0, ("ou=Mail,dc=example,dc=net",), 64, "reports"
    )


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "apply:\n  max_deletes: 5\n",
            "ldifctl.yaml:3: unknown key 'max_deletes' in apply: use "
            "max_delete_percent, max_update_percent, min_existing, protected, window, report_dir",
        ),
        (
            "apply:\n  max_delete_percent: 150\n",
            "ldifctl.yaml:3: apply.max_delete_percent must "
            "be a percentage from 0 to 100, got '150'",
        ),
        (
            "apply:\n  window: 1000\n",
            "ldifctl.yaml:3: apply.window must be a whole number from 1 to 256, got '1000'",
        ),
        (
            "apply:\n  min_existing: -1\n",
            "ldifctl.yaml:3: apply.min_existing must be a whole number from 0 to 2147483647, "
            "got '-1'",
        ),
        (  # `str.isdigit` takes it, `int()` did not: "unexpected error"
            "apply:\n  min_existing: '²'\n",
            "ldifctl.yaml:3: apply.min_existing must be a whole number from 0 to 2147483647, "
            "got '²'",
        ),
        (
            "apply:\n  report_dir: .git/hooks\n",
            "ldifctl.yaml:3: apply.report_dir must be a folder inside the repository, outside "
            ".git, written relative to ldifctl.yaml with '/', got '.git/hooks'",
        ),
        (
            "apply:\n  protected: [cn]\n",
            "ldifctl.yaml:3: apply.protected: 'cn' is not a valid "
            "DN: write it like ou=Mail,dc=example,dc=net",
        ),
        (
            "apply:\n  protected: [cn=a,dc=example,dc=net]\n",
            "ldifctl.yaml:3: apply.protected: "
            "cn=a is outside base_dn: give the full DN, one per line of a block list",
        ),
    ],
)
def test_bad_settings_name_the_line(tmp_path: Path, section: str, message: str) -> None:
    with pytest.raises(LdifctlError) as caught:
        settings_of(tmp_path, section)
    assert str(caught.value) == message


# --- Thresholds and protected entries (forceable).


def test_mass_delete_is_refused_like_octodns() -> None:
    server = people(19)  # 20 managed entries with the OU
    desired = snapshot({PEOPLE: OU, **{f"cn=u{i},{PEOPLE}": person(f"u{i}") for i in range(10)}})
    changes = diff(server, desired)
    assert refusals(changes, list(server.keys()), ApplySettings(), (), SCHEMA) == [
        "Too many deletes, 45.00% is over 30.00% (9/20): rerun with --force"
    ]


def test_a_share_at_the_limit_passes() -> None:
    server = people(19)
    desired = snapshot({PEOPLE: OU, **{f"cn=u{i},{PEOPLE}": person(f"u{i}") for i in range(13)}})
    assert refusals(diff(server, desired), list(server.keys()), ApplySettings(), (), SCHEMA) == []


def test_too_many_updates() -> None:
    server = people(19)
    desired = people(19)
    edited = snapshot(
        {
            PEOPLE: OU,
            **{
                f"cn=u{i},{PEOPLE}": person(f"u{i}", mail=f"u{i}@x.org" if i < 7 else [])
                for i in range(19)
            },
        }
    )
    changes = diff(server, edited)
    assert len(changes) == 7
    assert refusals(changes, list(desired.keys()), ApplySettings(), (), SCHEMA) == [
        "Too many updates, 35.00% is over 30.00% (7/20): rerun with --force"
    ]


def test_a_renamed_subtree_counts_every_entry_it_moves() -> None:
    staff = {f"cn=u{i},{PEOPLE}": person(f"u{i}") for i in range(19)}
    server = snapshot({PEOPLE: {**OU, "description": "everyone"}, **staff})
    moved = snapshot(
        {
            "ou=staff,dc=example,dc=net": {
                "objectClass": "organizationalUnit",
                "ou": "staff",
                "description": "everyone",
            },
            **{f"cn=u{i},ou=staff,dc=example,dc=net": person(f"u{i}") for i in range(19)},
        }
    )
    changes = diff(server, moved)
    assert [type(c) for c in changes] == [ModRdn]
    assert refusals(changes, list(server.keys()), ApplySettings(), (), SCHEMA) == [
        "Too many updates, 100.00% is over 30.00% (20/20): rerun with --force"
    ]


def test_small_directories_are_not_held_to_shares() -> None:
    server = people(3)
    changes = diff(server, snapshot({PEOPLE: OU}))
    assert refusals(changes, list(server.keys()), ApplySettings(), (), SCHEMA) == []


def test_deleting_everything_needs_force_however_small() -> None:
    server = people(2)
    assert refusals(
        diff(server, snapshot({})), list(server.keys()), ApplySettings(), (), SCHEMA
    ) == ["Every managed entry would be deleted (3): rerun with --force"]


def test_protected_entries_need_force() -> None:
    server = people(2, mail="a@x.org")
    desired = snapshot({PEOPLE: {**OU, "description": "d"}, f"cn=u1,{PEOPLE}": person("u1")})
    changes = diff(server, desired)
    protected = (PEOPLE, f"cn=u0,{PEOPLE}", f"cn=u1,{PEOPLE}")
    assert refusals(changes, list(server.keys()), ApplySettings(), protected, SCHEMA) == [
        f"{PEOPLE} is protected: the plan would modify it: rerun with --force",
        f"cn=u1,{PEOPLE} is protected: the plan would modify it: rerun with --force",
        f"cn=u0,{PEOPLE} is protected: the plan would delete it: rerun with --force",
    ]


def test_moving_a_parent_moves_its_protected_children() -> None:
    changes = [ModRdn(PEOPLE, "ou=staff", True, None, "ou=staff,dc=example,dc=net")]
    assert refusals(changes, [], ApplySettings(), [f"cn=u0,{PEOPLE}"], SCHEMA) == [
        f"cn=u0,{PEOPLE} is protected: the plan would move it: rerun with --force"
    ]


def test_thousands_of_protected_entries_are_counted_past_fifty() -> None:
    """Each protected entry was tested against each change (5,000 of each: 25 million
    tests) and each refusal printed: a long `apply.protected` kept apply busy for
    minutes and wrote a line per entry to the CI log."""
    dns = [f"cn=u{i},{PEOPLE}" for i in range(5000)]
    changes = [Delete(dn, ()) for dn in reversed(dns)]
    moved = ModRdn(PEOPLE, "ou=staff", True, None, "ou=staff,dc=example,dc=net")
    listed = [f"{dn} is protected: the plan would delete it: rerun with --force"
              for dn in reversed(dns[-MAX_LISTED:])]
    assert refusals(changes, [], ApplySettings(), dns, SCHEMA) == [
        *listed, f"... and {5000 - MAX_LISTED} more protected entries the plan would change"
    ]
    assert refusals([moved], [], ApplySettings(), [*dns, *dns], SCHEMA)[-2:] == [
        f"{dns[MAX_LISTED - 1]} is protected: the plan would move it: rerun with --force",
        f"... and {5000 - MAX_LISTED} more protected entries the plan would change",
    ]


# --- Never forceable.


def test_nothing_outside_base_dn_is_written() -> None:
    scope = Scope([PEOPLE], SCHEMA)
    scope.require(Add(f"cn=a,{PEOPLE}", ()))
    away = ModRdn(
        f"cn=a,{PEOPLE}",
        "cn=a",
        True,
        "ou=admins,dc=example,dc=net",
        "cn=a,ou=admins,dc=example,dc=net",
    )
    with pytest.raises(LdifctlError) as caught:
        scope.require(away)
    assert str(caught.value) == (
        "refusing to write cn=a,ou=admins,dc=example,dc=net: it is outside base_dn; nothing "
        "outside the managed subtrees is ever written"
    )
    with pytest.raises(LdifctlError):
        scope.require(Delete("dc=example,dc=net", ()))


@pytest.mark.parametrize("name", ["userPassword", "userPassword;lang-en", "2.5.4.35"])
def test_user_password_is_never_written(name: str) -> None:
    change = Modify(f"cn=a,{PEOPLE}", (Mod("add", name, (b"{SSHA}x",)),))
    with pytest.raises(LdifctlError) as caught:
        refuse_secrets([change], SCHEMA)
    assert str(caught.value) == (
        f"cn=a,{PEOPLE}: the plan would write {name}, which ldifctl never writes "
        f"(secrets stay out of git): remove {name} from the entry file"
    )


RENAMED = ModRdn(f"cn=a,{PEOPLE}", "userPassword=x", True, None, f"userPassword=x,{PEOPLE}")


@pytest.mark.parametrize(
    "change", [Add(f"2.5.4.35=x,{PEOPLE}", (("cn", (b"a",)),)), RENAMED], ids=["add", "modrdn"]
)
def test_user_password_is_never_written_through_a_dn(change: Add | ModRdn) -> None:
    """slapd stores an RDN's value in the entry: `userPassword=x` writes a userPassword."""
    with pytest.raises(LdifctlError) as caught:
        refuse_secrets([change], SCHEMA)
    new_dn = change.new_dn if isinstance(change, ModRdn) else change.dn
    assert str(caught.value) == (
        f"{change.dn}: the plan would write userPassword through the entry's DN, which "
        f"ldifctl never writes (secrets stay out of git): name {new_dn} by another attribute"
    )


# --- Preconditions (the Assertion control, where the server has it).


def state(server: Snapshot, stamps: dict[str, bytes] | None = None) -> ServerState:
    return ServerState(server, {SCHEMA.dn_key(d): s for d, s in (stamps or {}).items()})


def test_added_and_replaced_attributes_assert_what_was_read() -> None:
    dn = f"cn=u0,{PEOPLE}"
    server = snapshot({dn: person("u0", mailAlternateAddress=["a@x.org", "b@x.org"])})
    desired = snapshot(
        {
            dn: person(
                "u0",
                mailAlternateAddress=["a@x.org", "b@x.org", "c@x.org"],
                mailForwardingAddress="f@y.org",
            )
        }
    )
    [change] = diff(server, desired)
    checks = Preconditions(state(server), [change], SCHEMA, True)
    assert checks.assertion(change) == (
        "(&(&(mailAlternateAddress=a@x.org)(mailAlternateAddress=b@x.org))"
        "(!(mailForwardingAddress=*)))"
    )


def test_value_deletes_are_their_own_precondition() -> None:
    dn = f"cn=u0,{PEOPLE}"
    server = snapshot({dn: person("u0", mailForwardingAddress="old@y.org")})
    desired = snapshot({dn: person("u0", mailForwardingAddress="new@y.org")})
    [change] = diff(server, desired)
    assert Preconditions(state(server), [change], SCHEMA, True).assertion(change) is None


def test_deletes_and_renames_assert_the_change_stamp() -> None:
    server = people(2)
    rename = ModRdn(f"cn=u0,{PEOPLE}", "cn=v0", True, None, f"cn=v0,{PEOPLE}")
    delete = Delete(f"cn=u1,{PEOPLE}", (("cn", (b"u1",)),))
    stamps = {f"cn=u0,{PEOPLE}": b"20261121.1Z#0#000#0", f"cn=u1,{PEOPLE}": b"2*(x)"}
    checks = Preconditions(state(server, stamps), [rename, delete], SCHEMA, True)
    assert checks.assertion(rename) == "(entryCSN=20261121.1Z#0#000#0)"
    assert checks.assertion(delete) == "(entryCSN=2\\2a\\28x\\29)"


def test_without_a_stamp_a_delete_asserts_the_values_it_removes() -> None:
    dn = f"cn=u0,{PEOPLE}"
    change = Delete(dn, (("cn", (b"u0",)), ("mail", (b"a@x.org",))))
    checks = Preconditions(state(snapshot({dn: person("u0")})), [change], SCHEMA, True)
    assert checks.assertion(change) == "(&(cn=u0)(mail=a@x.org))"


def test_adds_and_recreated_dns_carry_no_stale_assertion() -> None:
    dn = f"cn=u0,{PEOPLE}"
    server = snapshot({dn: {"objectClass": "organizationalRole", "cn": "u0"}})
    desired = snapshot({dn: person("u0")})
    delete, add = diff(server, desired)
    checks = Preconditions(state(server, {dn: b"csn"}), [delete, add], SCHEMA, True)
    assert checks.assertion(add) is None
    assert checks.assertion(delete) == "(entryCSN=csn)"


def test_a_replace_asserts_the_stamp_or_goes_out_value_by_value() -> None:
    """No filter names a jpegPhoto: OpenLDAP asserts the entry's stamp; a server without
    the control gets the replace as delete of the values read and add of the new."""
    dn = f"cn=u0,{PEOPLE}"
    old, new = b"\xff\xd8old", b"\xff\xd8new"
    server = snapshot({dn: {**person("u0"), "jpegPhoto": [old]}})
    [change] = diff(server, snapshot({dn: {**person("u0"), "jpegPhoto": [new]}}))
    assert change == Modify(dn, (Mod("replace", "jpegPhoto", (new,), (old,)),))
    openldap = Preconditions(state(server, {dn: b"csn-1"}), [change], SCHEMA, True)
    assert (openldap.assertion(change), openldap.sent(change)) == ("(entryCSN=csn-1)", change)
    ds389 = Preconditions(state(server), [change], SCHEMA, False)
    assert ds389.assertion(change) is None
    assert ds389.sent(change) == Modify(
        dn, (Mod("delete", "jpegPhoto", (old,)), Mod("add", "jpegPhoto", (new,)))
    )


def test_a_moved_entry_keeps_its_stamp_and_a_renamed_one_gets_the_new() -> None:
    child = f"cn=u0,{PEOPLE}"
    parent_move = ModRdn(PEOPLE, "ou=staff", True, None, "ou=staff,dc=example,dc=net")
    checks = Preconditions(state(people(1), {child: b"csn-child"}), [parent_move], SCHEMA, True)
    moved = SCHEMA.dn_key("cn=u0,ou=staff,dc=example,dc=net")
    assert checks.stamp(moved) is None  # not moved yet: nothing is known at that DN
    checks.renamed(parent_move, b"csn-parent")
    assert checks.stamp(moved) == b"csn-child"
    assert checks.stamp(SCHEMA.dn_key("ou=staff,dc=example,dc=net")) == b"csn-parent"


def test_assertion_values_are_escaped() -> None:
    assert escape("a*(b)\\c é\x00".encode()) == "a\\2a\\28b\\29\\5cc \\c3\\a9\\00"


# --- Pipelining: what may be in flight together.


def keys(*dns: str) -> list[DnKey]:
    return [SCHEMA.dn_key(d) for d in dns]


def test_related_entries_wait_for_each_other() -> None:
    inflight = _InFlight()
    inflight.add(7, 0, keys(PEOPLE))
    assert inflight.blocks(keys(f"cn=a,{PEOPLE}"))
    assert inflight.blocks(keys("dc=example,dc=net"))
    assert inflight.blocks(keys(PEOPLE.upper()))
    assert not inflight.blocks(keys("ou=Mail,dc=example,dc=net"))
    assert inflight.pop(7) == 0
    assert not inflight.blocks(keys(f"cn=a,{PEOPLE}"))


def test_siblings_fly_together() -> None:
    inflight = _InFlight()
    inflight.add(1, 0, keys(f"cn=a,{PEOPLE}"))
    assert not inflight.blocks(keys(f"cn=b,{PEOPLE}"))
    # A rename is in flight at its old and its new DN.
    inflight.add(2, 1, keys(f"cn=c,{PEOPLE}", f"cn=d,{PEOPLE}"))
    assert inflight.blocks(keys(f"cn=d,{PEOPLE}"))


# --- Undo.


def test_undo_takes_back_every_kind_of_change() -> None:
    before = snapshot({f"cn=u0,{PEOPLE}": person("u0", mail="a@x.org")})
    rename = ModRdn(f"cn=u0,{PEOPLE}", "cn=v0", True, None, f"cn=v0,{PEOPLE}")
    modify = Modify(
        f"cn=v0,{PEOPLE}", (Mod("delete", "mail", (b"a@x.org",)), Mod("add", "mail", (b"b@x.org",)))
    )
    add = Add(f"cn=n,{PEOPLE}", (("cn", (b"n",)),))
    delete = Delete(f"cn=gone,{PEOPLE}", (("cn", (b"gone",)),))
    assert undo_changes([rename, modify, add, delete], before) == [
        Add(f"cn=gone,{PEOPLE}", (("cn", (b"gone",)),)),
        Delete(f"cn=n,{PEOPLE}", (("cn", (b"n",)),)),
        Modify(
            f"cn=v0,{PEOPLE}",
            (Mod("delete", "mail", (b"b@x.org",)), Mod("add", "mail", (b"a@x.org",))),
        ),
        ModRdn(f"cn=v0,{PEOPLE}", "cn=u0", True, None, f"cn=u0,{PEOPLE}"),
    ]
