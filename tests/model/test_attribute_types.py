"""An attribute is its type, however it is written: with options, by an alias or by its
numeric OID. Every check compares the type (issue 10: `2.5.4.35` and
`userPassword;lang-en` slipped past checks that compared whole names)."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_kit import USER, USER_YAML, DirectoryRepo, base_repo, run

USER_FILE = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    """The base entries and the example user, committed."""
    repo = base_repo(tmp_path / "repo")
    repo.write(USER, USER_YAML)
    repo.commit("the user")
    return repo


def test_a_known_oid_in_an_entry_file_is_the_attribute(repo: DirectoryRepo) -> None:
    """`2.5.4.13:` is description: planned, and rewritten by fmt, under its name."""
    repo.write(USER, USER_YAML + "2.5.4.13: the OID of description\n")
    code, out, err = run(repo, "plan")
    assert (code, out) == (
        0,
        f"dn: {USER}\nchangetype: modify\nadd: description\n"
        "description: the OID of description\n-\n\n",
    )
    assert err.startswith("HEAD -> working tree: 1 modify"), err
    assert run(repo, "fmt")[0] == 0
    assert repo.path(USER).read_text() == USER_YAML.replace(
        "mail:", "description: the OID of description\nmail:"
    )


def test_an_attribute_by_name_and_by_oid_is_one_attribute_twice(repo: DirectoryRepo) -> None:
    repo.write(USER, USER_YAML + "0.9.2342.19200300.100.1.3: other@domain.ro\n")
    assert run(repo, "validate") == (
        1,
        "",
        f"error: {USER_FILE}:8: '0.9.2342.19200300.100.1.3' is the same attribute as "
        "'mail' (line 6): merge the values under one name\n",
    )


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_an_unknown_oid_in_an_entry_file_is_an_error(repo: DirectoryRepo, command: str) -> None:
    """Kept as written, an OID could stand for any type, userPassword included."""
    repo.write(USER, USER_YAML + "1.3.6.1.4.1.99999.1;lang-en: x\n")
    assert run(repo, command) == (
        1,
        "",
        f"error: {USER_FILE}:8: '1.3.6.1.4.1.99999.1;lang-en' is a numeric OID of no "
        "attribute type ldifctl knows: write the attribute's name, or declare it under "
        "`attributes:` in ldifctl.yaml\n",
    )


def test_an_oid_declared_in_ldifctl_yaml_may_be_written(repo: DirectoryRepo) -> None:
    config = repo.root / "ldifctl.yaml"
    config.write_text(
        config.read_text() + "attributes:\n  1.3.6.1.4.1.99999.1: {equality: caseIgnoreMatch}\n"
    )
    # A site's own type comes with the site's own class, which ldifctl does not know: no
    # stock class allows it (slapd: Object class violation, 65).
    site_user = USER_YAML.replace("  - mailRecipient\n", "  - mailRecipient\n  - siteAccount\n")
    repo.write(USER, site_user)
    repo.commit("declare the attribute")  # plan judges with the base revision's settings
    repo.write(USER, site_user + "1.3.6.1.4.1.99999.1: x\n")
    assert run(repo, "validate")[0] == 0
    assert run(repo, "plan")[1].endswith("add: 1.3.6.1.4.1.99999.1\n1.3.6.1.4.1.99999.1: x\n-\n\n")


def test_ldifctl_yaml_cannot_declare_a_known_oid_as_another_type(repo: DirectoryRepo) -> None:
    """Else `2.5.4.35` would be a new type, not userPassword, to every check."""
    config = repo.root / "ldifctl.yaml"
    config.write_text(
        config.read_text() + "attributes:\n  2.5.4.35: {equality: caseIgnoreMatch}\n"
    )
    assert run(repo, "validate") == (
        1,
        "",
        "error: ldifctl.yaml:5: attributes: 2.5.4.35 is the OID of userPassword, which "
        "ldifctl knows: remove 2.5.4.35 (declare userPassword by its name to change its "
        "rule)\n",
    )


def changes_of(value: str, old: str, new: str) -> str:
    return f"delete: {value}\n{value}: {old}\n-\nadd: {value}\n{value}: {new}\n-\n"


IGNORED = {
    "2.5.4.13": changes_of("sn", "s", "t"),
    "DESCRIPTION;lang-en": changes_of("sn", "s", "t"),
    "2.5.4.4": changes_of("description", "one", "two"),
    "surname": changes_of("description", "one", "two"),
}


@pytest.mark.parametrize("ignored", IGNORED)
def test_ignore_attributes_names_types(repo: DirectoryRepo, tmp_path: Path, ignored: str) -> None:
    """An ignored type, named by its OID or an alias, is not compared in any spelling."""
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text() + f"ignore_attributes: ['{ignored}']\n")
    old, new = tmp_path / "old.ldif", tmp_path / "new.ldif"
    entry = "dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n\n" + (
        "dn: cn=a,dc=example,dc=net\nobjectClass: person\ncn: a\n"
    )
    old.write_text(entry + "sn: s\ndescription: one\n")
    new.write_text(entry + "2.5.4.4: t\n2.5.4.13: two\n")
    assert run(repo, "diff", str(old), str(new))[:2] == (
        0,
        f"dn: cn=a,dc=example,dc=net\nchangetype: modify\n{IGNORED[ignored]}\n",
    )


def test_import_never_writes_user_password_in_any_spelling(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    """With an option, by OID, by `OID.` OID (RFC 2253, which python-ldap reads): dropped."""
    person = "dn: cn={0},ou=people,dc=example,dc=net\nobjectClass: person\ncn: {0}\nsn: s\n"
    spellings = ["userPassword;lang-en", "2.5.4.35", "OID.2.5.4.35", "USERPASSWORD;x-a"]
    dump = tmp_path / "dump.ldif"
    dump.write_text(
        "".join(
            person.format(f"p{i}") + f"{name}: {{SSHA}}c2VjcmV0\n\n"
            for i, name in enumerate(spellings)
        )
    )
    assert run(repo, "import", "--from-ldif", str(dump)) == (
        0,
        "",
        "not written: userPassword of 4 entries (secrets stay out of git)\n"
        "4 files written, 0 unchanged, 0 removed in directory\n",
    )
    for i in range(len(spellings)):
        dn = f"cn=p{i},ou=people,dc=example,dc=net"
        assert repo.path(dn).read_text() == person.format(f"p{i}")
