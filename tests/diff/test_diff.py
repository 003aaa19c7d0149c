"""The diff engine: per-value, matching-rule aware, rename aware, dependency ordered."""

from __future__ import annotations

from typing import Any

import pytest
from snapshots import Literal, snapshot

from ldifctl.diff.ldif_writer import render_changes
from ldifctl.diff.snapshots import diff
from ldifctl.model.errors import LdifctlError

Attrs = dict[str, Any]
SUFFIX: dict[str, Attrs] = {"dc=example,dc=net": {"objectClass": ["domain"], "dc": "example"}}
PEOPLE: dict[str, Attrs] = {
    "ou=people,dc=example,dc=net": {"objectClass": ["organizationalUnit"], "ou": "people"}
}
USER = "cn=user.example,ou=people,dc=example,dc=net"


def person(cn: str, **attrs: list[str] | str) -> Attrs:
    return {"objectClass": ["inetOrgPerson", "mailRecipient"], "cn": cn, "sn": "X", **attrs}


def ldif(old: Literal, new: Literal, exact_case: bool = False) -> str:
    return render_changes(diff(snapshot(old), snapshot(new), exact_case))


def test_attribute_name_case_is_not_a_change_and_the_real_change_survives() -> None:
    # nxadm/ldifdiff turned this into add+delete of objectClass and slapd dropped the alias.
    old = {USER: {"objectclass": ["inetorgperson"], "CN": "user.example", "sn": "X"}}
    new = {
        USER: {
            "objectClass": ["inetOrgPerson"],
            "cn": "user.example",
            "sn": "X",
            "mailAlternateAddress": "old.address@domain.com",
        }
    }
    assert ldif(old, new) == (
        f"dn: {USER}\nchangetype: modify\n"
        "add: mailAlternateAddress\nmailAlternateAddress: old.address@domain.com\n-\n\n"
    )


def test_case_only_value_change_under_case_ignore_rule_is_no_change() -> None:
    old = {USER: person("user.example", mail="New.Address@Domain.ro")}
    new = {USER: person("user.example", mail="new.address@domain.ro")}
    assert ldif(old, new) == ""


def test_case_only_change_is_a_change_when_asked() -> None:
    old = {USER: person("user.example", mail="New.Address@Domain.ro")}
    new = {USER: person("user.example", mail="new.address@domain.ro")}
    assert ldif(old, new, exact_case=True) == (
        f"dn: {USER}\nchangetype: modify\n"
        "delete: mail\nmail: New.Address@Domain.ro\n-\n"
        "add: mail\nmail: new.address@domain.ro\n-\n\n"
    )


def test_case_exact_attribute_compares_case() -> None:
    old = {USER: person("user.example", mailMessageStore="/srv/Mail")}
    new = {USER: person("user.example", mailMessageStore="/srv/mail")}
    assert "delete: mailMessageStore\nmailMessageStore: /srv/Mail\n-\n" in ldif(old, new)


def test_value_order_never_matters() -> None:
    old = {USER: person("user.example", mailAlternateAddress=["a@x.com", "b@x.com", "c@x.com"])}
    new = {USER: person("user.example", mailAlternateAddress=["c@x.com", "a@x.com", "b@x.com"])}
    assert ldif(old, new) == ""


def test_removed_value_is_deleted_with_the_exact_old_spelling() -> None:
    old = {
        USER: person("user.example", mailAlternateAddress=["Sales@Company.com", "info@company.com"])
    }
    new = {USER: person("user.example", mailAlternateAddress=["info@company.com"])}
    assert ldif(old, new) == (
        f"dn: {USER}\nchangetype: modify\n"
        "delete: mailAlternateAddress\nmailAlternateAddress: Sales@Company.com\n-\n\n"
    )


def test_single_valued_change_is_delete_old_then_add_new() -> None:
    old = {
        "uid=j,dc=example,dc=net": {
            "objectClass": ["account", "posixAccount"],
            "uid": "j",
            "cn": "j",
            "uidNumber": "1000",
            "gidNumber": "100",
            "homeDirectory": "/home/j",
        }
    }
    new = {"uid=j,dc=example,dc=net": {**old["uid=j,dc=example,dc=net"], "uidNumber": "1001"}}
    assert ldif(old, new) == (
        "dn: uid=j,dc=example,dc=net\nchangetype: modify\n"
        "delete: uidNumber\nuidNumber: 1000\n-\nadd: uidNumber\nuidNumber: 1001\n-\n\n"
    )


def test_integer_rule_ignores_leading_zeros() -> None:
    old = {USER: person("user.example", mailUidNumber="0500")}
    new = {USER: person("user.example", mailUidNumber="500")}
    assert ldif(old, new) == ""


def test_attribute_without_equality_rule_is_replaced() -> None:
    old = {USER: person("user.example", mailSieveRuleSource="keep;")}
    new = {USER: person("user.example", mailSieveRuleSource="discard;")}
    assert ldif(old, new) == (
        f"dn: {USER}\nchangetype: modify\n"
        "replace: mailSieveRuleSource\nmailSieveRuleSource: discard;\n-\n\n"
    )


def test_operational_and_ignored_attributes_are_never_touched() -> None:
    old = {USER: person("user.example", entryUUID="1234", modifyTimestamp="20260101000000Z")}
    new = {USER: person("user.example")}
    assert ldif(old, new) == ""


def test_superior_object_classes_added_by_389_are_not_drift() -> None:
    old = {
        USER: {
            **person("user.example"),
            "objectClass": [
                "top",
                "person",
                "organizationalPerson",
                "inetOrgPerson",
                "mailRecipient",
            ],
        }
    }
    new = {USER: person("user.example")}
    assert ldif(old, new) == ""


def test_new_auxiliary_class_and_its_attribute_go_in_one_modify() -> None:
    old = {USER: {"objectClass": ["inetOrgPerson"], "cn": "user.example", "sn": "X"}}
    new = {USER: person("user.example", mailForwardingAddress="a@b.org")}
    assert ldif(old, new) == (
        f"dn: {USER}\nchangetype: modify\n"
        "add: objectClass\nobjectClass: mailRecipient\n-\n"
        "add: mailForwardingAddress\nmailForwardingAddress: a@b.org\n-\n\n"
    )


def test_adds_go_parent_first_and_deletes_deepest_first() -> None:
    tree = {**SUFFIX, **PEOPLE, USER: person("user.example")}
    assert ldif(SUFFIX, tree) == (
        "dn: ou=people,dc=example,dc=net\nchangetype: add\n"
        "objectClass: organizationalUnit\nou: people\n\n"
        f"dn: {USER}\nchangetype: add\n"
        "objectClass: inetOrgPerson\nobjectClass: mailRecipient\ncn: user.example\nsn: X\n\n"
    )
    assert ldif(tree, SUFFIX) == (
        f"dn: {USER}\nchangetype: delete\n\ndn: ou=people,dc=example,dc=net\nchangetype: delete\n\n"
    )


def test_rename_is_a_modrdn_not_delete_and_add() -> None:
    old = {**SUFFIX, **PEOPLE, USER: person("user.example", mail="u@x.com", uid="u1")}
    new = {
        **SUFFIX,
        **PEOPLE,
        "cn=user.renamed,ou=people,dc=example,dc=net": person(
            "user.renamed", mail="u@x.com", uid="u1"
        ),
    }
    assert ldif(old, new) == (
        f"dn: {USER}\nchangetype: modrdn\nnewrdn: cn=user.renamed\ndeleteoldrdn: 1\n\n"
    )


def test_rename_keeping_the_old_rdn_value_sets_deleteoldrdn_0() -> None:
    old = {**SUFFIX, **PEOPLE, USER: person("user.example", mail="u@x.com", uid="u1")}
    moved = person("user.example", mail="u@x.com", uid="u1")
    moved["cn"] = ["user.example", "user.renamed"]
    new = {**SUFFIX, **PEOPLE, "cn=user.renamed,ou=people,dc=example,dc=net": moved}
    assert ldif(old, new) == (
        f"dn: {USER}\nchangetype: modrdn\nnewrdn: cn=user.renamed\ndeleteoldrdn: 0\n\n"
    )


def test_move_to_a_new_parent_adds_it_first_and_deletes_the_old_one_last() -> None:
    # The new OU is not the old one renamed: of the people below either, one is in both.
    # (A subtree that moves whole is one modrdn: tests/test_subtree_moves.py.)
    staff = {"ou=staff,dc=example,dc=net": {"objectClass": ["organizationalUnit"], "ou": "staff"}}
    leaver = "cn=leaver,ou=people,dc=example,dc=net"
    old = {
        **SUFFIX,
        **PEOPLE,
        USER: person("user.example", mail="u@x.com", uid="u1"),
        leaver: person("leaver", mail="l@x.com", uid="l1"),
    }
    new = {
        **SUFFIX,
        **staff,
        "cn=user.example,ou=staff,dc=example,dc=net": person(
            "user.example", mail="u@x.com", uid="u1", description="moved"
        ),
        "cn=joiner,ou=staff,dc=example,dc=net": person("joiner", mail="j@x.com", uid="j1"),
    }
    assert ldif(old, new) == (
        "dn: ou=staff,dc=example,dc=net\nchangetype: add\nobjectClass: organizationalUnit\n"
        "ou: staff\n\n"
        "dn: cn=joiner,ou=staff,dc=example,dc=net\nchangetype: add\n"
        "objectClass: inetOrgPerson\nobjectClass: mailRecipient\ncn: joiner\n"
        "mail: j@x.com\nsn: X\nuid: j1\n\n"
        f"dn: {USER}\nchangetype: modrdn\nnewrdn: cn=user.example\ndeleteoldrdn: 0\n"
        "newsuperior: ou=staff,dc=example,dc=net\n\n"
        "dn: cn=user.example,ou=staff,dc=example,dc=net\nchangetype: modify\n"
        "add: description\ndescription: moved\n-\n\n"
        f"dn: {leaver}\nchangetype: delete\n\n"
        "dn: ou=people,dc=example,dc=net\nchangetype: delete\n\n"
    )


def test_renaming_a_parent_moves_the_subtree_in_one_modrdn() -> None:
    ou = {"objectClass": ["organizationalUnit"], "ou": "people", "description": "all staff"}
    renamed = {"objectClass": ["organizationalUnit"], "ou": "staff", "description": "all staff"}
    child = person("user.example", mail="u@x.com", uid="u1")
    old = {**SUFFIX, "ou=people,dc=example,dc=net": ou, USER: child}
    new = {
        **SUFFIX,
        "ou=staff,dc=example,dc=net": renamed,
        "cn=user.example,ou=staff,dc=example,dc=net": child,
    }
    assert ldif(old, new) == (
        "dn: ou=people,dc=example,dc=net\nchangetype: modrdn\nnewrdn: ou=staff\ndeleteoldrdn: 1\n\n"
    )


def test_unrelated_entries_are_not_taken_for_a_rename() -> None:
    old = {**SUFFIX, **PEOPLE, USER: person("user.example", mail="a@x.com")}
    other = "cn=other,ou=people,dc=example,dc=net"
    new = {**SUFFIX, **PEOPLE, other: person("other", mail="b@x.com")}
    assert ldif(old, new).splitlines()[:2] == [f"dn: {other}", "changetype: add"]
    assert ldif(old, new).endswith(f"dn: {USER}\nchangetype: delete\n\n")


def test_structural_class_change_recreates_the_entry() -> None:
    dn = "cn=box,dc=example,dc=net"
    old = {**SUFFIX, dn: {"objectClass": ["device"], "cn": "box"}}
    new = {**SUFFIX, dn: {"objectClass": ["organizationalRole"], "cn": "box"}}
    assert ldif(old, new) == (
        f"dn: {dn}\nchangetype: delete\n\n"
        f"dn: {dn}\nchangetype: add\nobjectClass: organizationalRole\ncn: box\n\n"
    )


def test_swapping_two_dns_cannot_be_ordered_and_says_so() -> None:
    a, b = "cn=a,dc=example,dc=net", "cn=b,dc=example,dc=net"
    old = {
        **SUFFIX,
        a: person("a", mail="1@x.com", uid="1"),
        b: person("b", mail="2@x.com", uid="2"),
    }
    new = {
        **SUFFIX,
        a: person("a", mail="2@x.com", uid="2"),
        b: person("b", mail="1@x.com", uid="1"),
    }
    # Each entry kept its DN, so this is two modifies, not a swap.
    assert ldif(old, new).count("changetype: modify") == 2
    with pytest.raises(LdifctlError, match="cannot be ordered"):
        from snapshots import SCHEMA

        from ldifctl.diff.ordering import order_changes
        from ldifctl.model.changes import ModRdn

        order_changes([ModRdn(a, "cn=b", True, None, b), ModRdn(b, "cn=a", True, None, a)], SCHEMA)
