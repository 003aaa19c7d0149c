"""Bad input: one line naming the file and line (or revision), what is wrong and what to do;
exit 1; no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, base_repo, run

OU_A = "directory/dc=net/dc=example/ou=a.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return base_repo(tmp_path / "repo")


def errors_of(repo: DirectoryRepo, *args: str) -> str:
    code, _, err = run(repo, *args)
    assert code == 1, err
    assert "Traceback" not in err
    return err


def put(repo: DirectoryRepo, relpath: str, data: bytes | str) -> None:
    repo.write_raw(relpath, data.encode() if isinstance(data, str) else data)


def test_malformed_yaml(repo: DirectoryRepo) -> None:
    put(repo, OU_A, "dn: ou=a,dc=example,dc=net\nobjectClass: [a\nou: a\n")
    assert errors_of(repo, "validate") == (
        f"error: {OU_A}:3: malformed YAML: did not find expected ',' or ']'; fix the YAML syntax\n"
    )


def test_duplicate_key(repo: DirectoryRepo) -> None:
    put(repo, OU_A, "dn: ou=a,dc=example,dc=net\nobjectClass: organizationalUnit\nou: a\nou: b\n")
    assert errors_of(repo, "validate") == (
        f"error: {OU_A}:4: duplicate key 'ou' (first at line 3): merge the values into one list\n"
    )


def test_dn_not_matching_path(repo: DirectoryRepo) -> None:
    put(repo, OU_A, "dn: ou=b,dc=example,dc=net\nobjectClass: organizationalUnit\nou: b\n")
    assert errors_of(repo, "validate") == (
        f"error: {OU_A}:1: dn 'ou=b,dc=example,dc=net' does not match the file's path, which "
        "means 'ou=a,dc=example,dc=net': move the file to directory/dc=net/dc=example/ou=b.yaml "
        "or fix dn:\n"
    )


def test_two_files_for_one_dn(repo: DirectoryRepo) -> None:
    put(repo, OU_A, "dn: ou=a,dc=example,dc=net\nobjectClass: organizationalUnit\nou: a\n")
    put(
        repo,
        "directory/dc=net/dc=example/OU=A.yaml",
        "dn: OU=A,dc=example,dc=net\nobjectClass: organizationalUnit\nou: A\n",
    )
    assert errors_of(repo, "validate") == (
        f"error: {OU_A}:1: DN 'ou=a,dc=example,dc=net' is the same entry as "
        "directory/dc=net/dc=example/OU=A.yaml:1 ('OU=A,dc=example,dc=net') under LDAP rules: "
        "keep one of the two\n"
    )


def test_two_files_for_one_dn_in_a_plan(repo: DirectoryRepo) -> None:
    put(repo, OU_A, "dn: ou=a,dc=example,dc=net\nobjectClass: organizationalUnit\nou: a\n")
    repo.commit()
    put(
        repo,
        "directory/dc=net/dc=example/OU=A.yaml",
        "dn: OU=A,dc=example,dc=net\nobjectClass: organizationalUnit\nou: A\n",
    )
    err = errors_of(repo, "plan")
    assert err.splitlines()[0] == (
        "directory/dc=net/dc=example/OU=A.yaml: error [structure/duplicate-dn] names the same "
        f"entry as {OU_A} under LDAP rules: keep one"
    )


def test_invalid_dn(repo: DirectoryRepo) -> None:
    put(repo, OU_A, "dn: ou=a,,dc=example\nobjectClass: organizationalUnit\nou: a\n")
    assert errors_of(repo, "validate") == (
        f"error: {OU_A}:1: invalid dn: 'ou=a,,dc=example' is not a valid DN: write it as "
        "attribute=value pairs, like cn=name,ou=people,dc=example,dc=net\n"
    )


def test_path_that_is_not_a_dn(repo: DirectoryRepo) -> None:
    put(repo, "directory/junk/file.yaml", "dn: x\n")
    assert errors_of(repo, "validate") == (
        "error: directory/junk/file.yaml: the path does not name a DN ('file,junk' is not a "
        "valid DN): each folder and the file name must be one RDN such as `ou=people` or "
        "`cn=john.yaml`\n"
    )


def test_non_utf8_bytes(repo: DirectoryRepo) -> None:
    put(
        repo,
        OU_A,
        b"dn: ou=a,dc=example,dc=net\nobjectClass: organizationalUnit\nou: a\n"
        b"description: caf\xe9\n",
    )
    assert errors_of(repo, "validate") == (
        f"error: {OU_A}:4: not UTF-8 (byte 0xe9 at column 17): save the file as UTF-8, write "
        "binary values as !!binary base64\n"
    )


def test_every_broken_file_is_reported_at_once(repo: DirectoryRepo) -> None:
    put(repo, OU_A, "dn: ou=a,dc=example,dc=net\nou: a\nou: b\n")
    put(repo, "directory/dc=net/dc=example/ou=b.yaml", "dn: [\n")
    assert len(errors_of(repo, "validate").splitlines()) == 2


def test_unknown_config_key(repo: DirectoryRepo) -> None:
    (repo.root / "ldifctl.yaml").write_text("base_dn: dc=example,dc=net\nbase_dns: x\n")
    assert errors_of(repo, "validate") == (
        "error: ldifctl.yaml:2: unknown key 'base_dns' in ldifctl.yaml (did you mean "
        "'base_dn'?): the allowed keys are apply, attributes, base_dn, directory, "
        "ignore_attributes, mail, policies, server\n"
    )


def test_unknown_revision(repo: DirectoryRepo) -> None:
    assert errors_of(repo, "plan", "--base", "nosuchrev") == (
        "error: unknown revision 'nosuchrev': give a commit, branch or tag that exists "
        "(see `git log --oneline`)\n"
    )


def test_non_existent_directory(repo: DirectoryRepo) -> None:
    (repo.root / "ldifctl.yaml").write_text("base_dn: dc=example,dc=net\ndirectory: nope\n")
    assert errors_of(repo, "validate") == (
        "error: nope: no such directory: create it, or set `directory:` in ldifctl.yaml\n"
    )


def test_wrong_file_extension(repo: DirectoryRepo) -> None:
    put(repo, "directory/dc=net/dc=example/ou=b.yml", "x")
    assert errors_of(repo, "validate") == (
        "error: directory/dc=net/dc=example/ou=b.yml: not an entry file: entry files end in "
        ".yaml (rename it, or move it out of the directory)\n"
    )


def test_missing_parent_is_a_finding_in_validate_and_plan(repo: DirectoryRepo) -> None:
    put(
        repo,
        "directory/dc=net/dc=example/ou=zz/cn=q.yaml",
        "dn: cn=q,ou=zz,dc=example,dc=net\nobjectClass: organizationalRole\ncn: q\n",
    )
    finding = (
        "directory/dc=net/dc=example/ou=zz/cn=q.yaml:1: error [structure/missing-parent] parent "
        "entry ou=zz,dc=example,dc=net does not exist: add directory/dc=net/dc=example/ou=zz.yaml"
    )
    assert errors_of(repo, "validate").splitlines()[0] == finding
    assert errors_of(repo, "plan").splitlines()[0] == finding


def test_schema_syntax_findings(repo: DirectoryRepo) -> None:
    put(
        repo,
        "directory/dc=net/dc=example/ou=people/uid=j.yaml",
        "dn: uid=j,ou=people,dc=example,dc=net\nobjectClass: [inetOrgPerson, "
        "PostfixBookMailAccount]\ncn: j\nsn: j\nuid: j\nmail: j@x.org\nmailEnabled: 'true'\n"
        "mailUidNumber: abc\n",
    )
    assert errors_of(repo, "validate").splitlines()[:2] == [
        "directory/dc=net/dc=example/ou=people/uid=j.yaml:7: error [schema/syntax] mailEnabled "
        "must be TRUE or FALSE (upper case), not 'true'",
        "directory/dc=net/dc=example/ou=people/uid=j.yaml:8: error [schema/syntax] "
        "mailUidNumber must be an integer, not 'abc'",
    ]


def test_outside_base_and_rdn_value(repo: DirectoryRepo) -> None:
    put(repo, "directory/dc=org/dc=other.yaml", "dn: dc=other,dc=org\nobjectClass: domain\ndc: x\n")
    lines = errors_of(repo, "validate").splitlines()
    assert lines[:2] == [
        "directory/dc=org/dc=other.yaml:1: error [structure/outside-base] dc=other,dc=org is "
        "outside base_dn: move it below a base_dn of ldifctl.yaml",
        "directory/dc=org/dc=other.yaml:1: error [structure/rdn-value] the RDN value dc=other "
        "is not among the entry's dc values: add it",
    ]


def test_no_config_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ldifctl.cli.main import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path}: no ldifctl.yaml here or in any parent folder: run ldifctl from the "
        "directory repo, or create ldifctl.yaml (see README)\n"
    )


def test_usage_error_exits_2(repo: DirectoryRepo) -> None:
    code, _, _ = run(repo, "plan", "--no-such-flag")
    assert code == 2
