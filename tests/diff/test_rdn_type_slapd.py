"""A real slapd reads `commonName=x` as `cn=x` (RFC 4512 2.5): the diff must too, or its
LDIF adds an entry that exists and deletes the one it meant to keep."""

from __future__ import annotations

import servers
from snapshots import snapshot

from ldifctl.diff.ldif_writer import render_changes
from ldifctl.diff.snapshots import diff
from ldifctl.live.undo import undo_changes

SUFFIX = {"dc=example,dc=net": {"objectClass": ["domain"], "dc": "example"}}
OUS = {
    f"ou={ou},dc=example,dc=net": {"objectClass": ["organizationalUnit"], "ou": ou}
    for ou in ("people", "staff")
}
PERSON = {"objectClass": ["person"], "cn": "x", "sn": "s"}
SEED = """\
dn: ou=people,dc=example,dc=net
objectClass: organizationalUnit
ou: people

dn: ou=staff,dc=example,dc=net
objectClass: organizationalUnit
ou: staff

dn: commonName=x,ou=people,dc=example,dc=net
objectClass: person
cn: x
sn: s
"""


def test_slapd_and_the_diff_read_an_alias_as_the_type(clean_slapd: servers.LdapServer) -> None:
    clean_slapd.ldapadd(SEED)
    assert "cn=x,ou=people,dc=example,dc=net" in clean_slapd.search_all()
    old = snapshot({**SUFFIX, **OUS, "commonName=x,ou=people,dc=example,dc=net": PERSON})
    same = snapshot({**SUFFIX, **OUS, "cn=x,ou=people,dc=example,dc=net": PERSON})
    assert render_changes(diff(old, same)) == render_changes(diff(old, same, True)) == ""

    moved = snapshot({**SUFFIX, **OUS, "2.5.4.3=x,ou=staff,dc=example,dc=net": PERSON})
    ldif = render_changes(diff(old, moved))
    # The moved entry keeps its cn value: the old RDN's value is not deleted.
    assert ldif == (
        "dn: commonName=x,ou=people,dc=example,dc=net\nchangetype: modrdn\n"
        "newrdn: 2.5.4.3=x\ndeleteoldrdn: 0\nnewsuperior: ou=staff,dc=example,dc=net\n\n"
    )
    done = clean_slapd.ldapmodify(ldif)
    assert done.returncode == 0, done.stderr
    held = clean_slapd.search_all()
    assert "cn=x,ou=people,dc=example,dc=net" not in held
    assert held["cn=x,ou=staff,dc=example,dc=net"]["cn"] == [b"x"]


def test_undoing_a_rename_to_an_alias_keeps_the_value(clean_slapd: servers.LdapServer) -> None:
    clean_slapd.ldapadd(SEED)
    old = snapshot({**SUFFIX, **OUS, "cn=x,ou=people,dc=example,dc=net": PERSON})
    moved = snapshot({**SUFFIX, **OUS, "commonName=x,ou=staff,dc=example,dc=net": PERSON})
    changes = diff(old, moved)
    undo = render_changes(undo_changes(changes, old))
    # The entry held cn: x before: taking the rename back must not delete it.
    assert undo == (
        "dn: commonName=x,ou=staff,dc=example,dc=net\nchangetype: modrdn\n"
        "newrdn: cn=x\ndeleteoldrdn: 0\nnewsuperior: ou=people,dc=example,dc=net\n\n"
    )
    for ldif in (render_changes(changes), undo):
        done = clean_slapd.ldapmodify(ldif)
        assert done.returncode == 0, done.stderr
    assert clean_slapd.search_all()["cn=x,ou=people,dc=example,dc=net"]["cn"] == [b"x"]
