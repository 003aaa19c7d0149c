"""What real LDIF data holds, and what real servers do with it (issue 11, items 7-11).

Attribute options are a set (RFC 4512), an empty DN is a value, a record has one `dn:`
line, a case-only rename is a modrdn, and the rules about what the repo may hold judge
the repo, not a dump someone diffs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import servers
from ldap_state import server_snapshot
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import DirectoryRepo, run

from ldifctl.diff.ldif_writer import render_changes
from ldifctl.diff.snapshots import diff
from ldifctl.live import drift
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Snapshot
from ldifctl.repo.entries.read import parse_entry
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.ldif_reader import load_ldif
from ldifctl.sources.specs import WORKTREE

SCHEMA = build_schema()
SUFFIX = "dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n\n"
ORG = "o=Org,dc=example,dc=net"


def org(*lines: str) -> str:
    return (
        SUFFIX
        + f"dn: {ORG}\nobjectClass: organization\no: Org\n"
        + "".join(f"{line}\n" for line in lines)
    )


def ldif_state(text: str, where: str = "test.ldif") -> Snapshot:
    return load_ldif(text.encode(), where, SCHEMA)


def without_suffix(text: str) -> str:
    return text.removeprefix(SUFFIX)


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return DirectoryRepo(tmp_path / "repo")


def imported(repo: DirectoryRepo, text: str) -> tuple[int, str]:
    """`import --from-ldif` of `text` (in dump.ldif beside the repo): exit code, stderr."""
    (repo.root.parent / "dump.ldif").write_text(text)
    code, _, err = run(repo, "import", "--from-ldif", str(repo.root.parent / "dump.ldif"))
    return code, err


# 7. Attribute options are an unordered set.


def test_options_in_another_order_are_the_same_attribute() -> None:
    old = ldif_state(org("o;lang-zz;lang-x: zzx", "description;lang-DE: Hallo"))
    new = ldif_state(org("o;lang-x;lang-zz: zzx", "description;lang-de: Hallo"))
    assert diff(old, new) == []


def test_a_value_change_under_reordered_options_reaches_slapd(
    clean_slapd: servers.LdapServer,
) -> None:
    old = ldif_state(org("o;lang-zz;lang-x: zzx"))
    new = ldif_state(org("o;lang-x;lang-zz: changed"))
    ldif = render_changes(diff(old, new))
    assert ldif == (
        f"dn: {ORG}\nchangetype: modify\n"
        "delete: o;lang-x;lang-zz\no;lang-x;lang-zz: zzx\n-\n"
        "add: o;lang-x;lang-zz\no;lang-x;lang-zz: changed\n-\n\n"
    )
    clean_slapd.ldapadd(without_suffix(org("o;lang-zz;lang-x: zzx")))
    applied = clean_slapd.ldapmodify(ldif)
    assert applied.returncode == 0, applied.stderr
    assert diff(server_snapshot(clean_slapd, SCHEMA), new) == []


def test_one_attribute_under_two_option_orders_in_a_file_is_an_error() -> None:
    text = f"dn: {ORG}\nobjectClass: organization\no: Org\n" + (
        "o;lang-x;lang-zz: a\no;LANG-ZZ;lang-x: b\n"
    )
    with pytest.raises(LdifctlError) as err:
        parse_entry(text.encode(), "o=Org.yaml", ORG, SCHEMA)
    assert str(err.value) == (
        "o=Org.yaml:5: 'o;LANG-ZZ;lang-x' is the same attribute as 'o;lang-x;lang-zz' "
        "(line 4): merge the values under one name"
    )


def test_reordered_options_on_the_server_are_no_drift(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = live_repo(tmp_path / "repo", server)
    dn = f"ou=lang,{PEOPLE_DN}"
    repo.write(
        dn,
        f"dn: {dn}\nobjectClass: organizationalUnit\nou: lang\ndescription;lang-zz;lang-x: zzx\n",
    )
    repo.commit()
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert ldifctl(repo, "drift") == (0, "", "server -> working tree: no changes\n")


# 8. An empty value where the syntax allows it (slapd stores `member:`: the root DN).

GROUP = "cn=g,dc=example,dc=net"
EMPTY_MEMBER = SUFFIX + f"dn: {GROUP}\nobjectClass: groupOfNames\ncn: g\nmember:\n"


def test_an_imported_empty_dn_value_is_valid_and_exports_as_read(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    assert imported(repo, EMPTY_MEMBER)[0] == 0
    assert repo.path(GROUP).read_text() == (
        f"dn: {GROUP}\nobjectClass: groupOfNames\ncn: g\nmember: ''\n"
    )
    assert run(repo, "validate")[:2] == (0, "")
    assert run(repo, "export")[1] == EMPTY_MEMBER + "\n"


def test_an_empty_value_the_syntax_refuses_is_refused_before_anything_is_written(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    dump = EMPTY_MEMBER + "\ndn: cn=x,dc=example,dc=net\nobjectClass: device\ncn: x\ndescription:\n"
    code, err = imported(repo, dump)
    assert code == 1
    assert err == (
        f"error: {tmp_path / 'dump.ldif'}:10: attribute 'description' has an empty value, "
        "which its syntax does not allow (DN, IA5String, postal address, unique member and "
        "some binary attributes may be empty): give it a value or remove the line\n"
    )
    assert not list((repo.root / "directory").rglob("*.yaml"))


def test_import_refuses_what_no_entry_file_can_hold_at_the_first_record(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    dump = SUFFIX + (
        "dn: cn=x,dc=example,dc=net\nobjectClass: device\ncn: x\ncn: X\n\n"
        "dn: cn=y,dc=example,dc=net\nobjectClass: device\ncn: y\nmy_attr: 1\n"
    )
    code, err = imported(repo, dump)
    where = tmp_path / "dump.ldif"
    # The LDIF reader refuses it as it reads (so does `diff`): the first record is named.
    assert (code, err) == (
        1,
        f"error: {where}:5: attribute 'cn' has the value 'X' twice ('x' is the same under "
        "caseIgnoreMatch): remove one\n",
    )
    assert not list((repo.root / "directory").rglob("*.yaml"))


def test_an_empty_value_in_an_entry_file() -> None:
    text = f"dn: {GROUP}\nobjectClass: groupOfNames\ncn: g\nmember: ''\nseeAlso: ''\n"
    entry = parse_entry(text.encode(), "cn=g.yaml", GROUP, SCHEMA).entry
    assert entry.attrs["member"] == (b"",) and entry.attrs["seeAlso"] == (b"",)
    for name in ("mail", "uniqueMember", "postalAddress", "jpegPhoto"):
        assert parse_entry(f"dn: {GROUP}\n{name}: ''\n".encode(), "g", None, SCHEMA)
    device = "dn: cn=x,dc=example,dc=net\nobjectClass: device\ncn: x\ndescription: ''\n"
    with pytest.raises(LdifctlError) as err:
        parse_entry(device.encode(), "cn=x.yaml", "cn=x,dc=example,dc=net", SCHEMA)
    assert str(err.value).startswith("cn=x.yaml:4: attribute 'description' has an empty value")
    # Written without a value, an attribute is still a mistake: '' says "empty" on purpose.
    with pytest.raises(LdifctlError) as err:
        parse_entry(text.replace("member: ''", "member:").encode(), "cn=g.yaml", GROUP, SCHEMA)
    assert str(err.value) == (
        "cn=g.yaml:4: attribute 'member' has no value: give it a value, write '' for an "
        "empty one, or remove the line"
    )


def test_drift_reads_an_empty_value_as_the_repo_renders_it(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    group = f"cn=empty,{PEOPLE_DN}"
    repo.write(group, f"dn: {group}\nobjectClass: groupOfNames\ncn: empty\nmember: ''\n")
    repo.commit()
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    # ldapsearch prints `member:`: the entry is the repo's rendering, byte for byte.
    found = drift._by_fingerprints(open_workspace(repo.root, dict(os.environ)), WORKTREE)
    assert found is not None and (len(found.server), len(found.repo)) == (0, 0)
    assert ldifctl(repo, "drift") == (0, "", "server -> working tree: no changes\n")


# 9. One record, one `dn:` line.


def test_a_second_dn_line_in_a_record_is_an_error_naming_its_line(tmp_path: Path) -> None:
    text = (
        "version: 1\n\n" + SUFFIX + "dn: cn=a,dc=example,dc=net\nobjectClass: device\ncn: a\n"
        "dn: cn=b,dc=example,dc=net\nobjectClass: device\ncn: b\n"
    )
    with pytest.raises(LdifctlError) as err:
        ldif_state(text, "dump.ldif")
    assert str(err.value) == (
        "dump.ldif:10: a second dn: line in the record of 'cn=a,dc=example,dc=net' (line 7): "
        "end each record with a blank line"
    )


def test_records_are_counted_whether_or_not_a_space_follows_dn() -> None:
    text = (
        SUFFIX + "dn:cn=a,dc=example,dc=net\ncn: a\n\ndn: cn=b,dc=example,dc=net\nchangetype: add\n"
    )
    with pytest.raises(LdifctlError, match=r"^dump.ldif:8: 'cn=b,dc=example,dc=net' is a change"):
        ldif_state(text, "dump.ldif")


def test_a_fold_inside_a_utf8_character_is_read_as_ldapadd_reads_it() -> None:
    # RFC 2849 folds octets: the line break may fall inside a character (here, é).
    text = SUFFIX.encode() + (
        b"dn: cn=x,dc=example,dc=net\r\nobjectClass: device\r\ncn: x\r\n"
        b"description: caf\xc3\r\n \xa9 cr\xc3\xa8me\r\n\r\ndn: cn=y,dc=example,dc=net\r\n"
        b"dn: cn=z,dc=example,dc=net\r\n"
    )
    with pytest.raises(LdifctlError, match=r"^dump.ldif:12: a second dn: line .* \(line 11\)"):
        load_ldif(text, "dump.ldif", SCHEMA)
    state = load_ldif(text.rpartition(b"\r\n\r\n")[0], "dump.ldif", SCHEMA)
    entry = state.get_dn("cn=x,dc=example,dc=net")
    assert entry is not None and entry.attrs["description"] == ("café crème".encode(),)


# 10. A case-only rename asked for with --exact-case is a modrdn.

BOB = SUFFIX + "dn: cn=Bob,dc=example,dc=net\nobjectClass: person\ncn: Bob\nsn: B\n"
LOWER_BOB = BOB.replace("Bob", "bob")


def test_a_case_only_rename_is_no_change_unless_asked() -> None:
    assert diff(ldif_state(BOB), ldif_state(LOWER_BOB)) == []


def test_a_case_only_rename_with_exact_case_renames_the_entry_on_both_servers(
    server: servers.LdapServer,
) -> None:
    ldif = render_changes(diff(ldif_state(BOB), ldif_state(LOWER_BOB), exact_case=True))
    assert ldif == (
        "dn: cn=Bob,dc=example,dc=net\nchangetype: modrdn\nnewrdn: cn=bob\ndeleteoldrdn: 1\n\n"
    )
    server.ldapadd(without_suffix(BOB))
    applied = server.ldapmodify(ldif)
    assert applied.returncode == 0, applied.stderr
    held = server.search_all("cn=bob,dc=example,dc=net")
    assert list(held) == ["cn=bob,dc=example,dc=net"]  # the DN as the server spells it
    assert held["cn=bob,dc=example,dc=net"]["cn"] == [b"bob"]


def test_a_case_only_rename_with_other_edits_renames_then_modifies() -> None:
    new = ldif_state(LOWER_BOB.replace("sn: B", "sn: B\ndescription: hello"))
    assert render_changes(diff(ldif_state(BOB), new, exact_case=True)) == (
        "dn: cn=Bob,dc=example,dc=net\nchangetype: modrdn\nnewrdn: cn=bob\ndeleteoldrdn: 1\n\n"
        "dn: cn=bob,dc=example,dc=net\nchangetype: modify\n"
        "add: description\ndescription: hello\n-\n\n"
    )


# 11. Rules about what the repo may hold judge the repo only.

SECRET = SUFFIX + (
    "dn: cn=svc,dc=example,dc=net\nobjectClass: organizationalRole\n"
    "objectClass: simpleSecurityObject\ncn: svc\nuserPassword: {SSHA}c2VjcmV0\n"
)


def test_two_dumps_with_passwords_diff_cleanly(repo: DirectoryRepo, tmp_path: Path) -> None:
    (tmp_path / "a.ldif").write_text(SECRET)
    (tmp_path / "b.ldif").write_text(SECRET.replace("cn: svc\n", "cn: svc\ndescription: d\n"))
    code, out, err = run(repo, "diff", str(tmp_path / "a.ldif"), str(tmp_path / "b.ldif"))
    assert (code, out) == (
        0,
        "dn: cn=svc,dc=example,dc=net\nchangetype: modify\nadd: description\ndescription: d\n-\n\n",
    ), err
    assert "forbidden-attributes" not in err


def test_a_dump_wider_than_base_dn_diffs_cleanly(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo", "base_dn: ou=people,dc=example,dc=net\n")
    dump = SUFFIX + "dn: ou=people,dc=example,dc=net\nobjectClass: organizationalUnit\nou: people\n"
    (tmp_path / "a.ldif").write_text(dump)
    (tmp_path / "b.ldif").write_text(dump + "description: d\n")
    code, out, err = run(repo, "diff", str(tmp_path / "a.ldif"), str(tmp_path / "b.ldif"))
    assert (code, out.splitlines()[0]) == (0, "dn: ou=people,dc=example,dc=net"), err
    assert "outside-base" not in err


def test_the_repo_is_still_judged_by_every_rule(repo: DirectoryRepo, tmp_path: Path) -> None:
    (tmp_path / "a.ldif").write_text(SUFFIX)
    assert imported(repo, SUFFIX)[0] == 0
    repo.commit()
    repo.write(
        "cn=svc,dc=example,dc=net",
        "dn: cn=svc,dc=example,dc=net\nobjectClass:\n  - organizationalRole\n"
        "  - simpleSecurityObject\ncn: svc\nuserPassword: x\n",
    )
    repo.write("dc=other,dc=org", "dn: dc=other,dc=org\nobjectClass: domain\ndc: other\n")
    repo.commit()
    folder = str(repo.root / "directory")
    a_ldif = str(tmp_path / "a.ldif")
    for args in (
        ["validate"],
        ["plan", "--base", "HEAD~1", "--head", "HEAD"],
        ["diff", a_ldif, "HEAD"],
        ["diff", a_ldif, folder],
    ):
        code, _, err = run(repo, *args)
        assert code == 1, args
        assert "[forbidden-attributes] userPassword must not be in" in err, args
        assert "[structure/outside-base] dc=other,dc=org is outside base_dn" in err, args
