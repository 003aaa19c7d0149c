"""The commands on real git repos: exit codes, formats, sources, import/export round trip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from repo_kit import USER, USER_YAML, DirectoryRepo, base_entries, run

ROOT = Path(__file__).resolve().parents[2]
ADD_FORWARD = (
    f"dn: {USER}\nchangetype: modify\n"
    "add: mailForwardingAddress\nmailForwardingAddress: new.address@domain.ro\n-\n\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate({**base_entries(), USER: USER_YAML})
    repo.commit("base")
    return repo


def forward(repo: DirectoryRepo) -> None:
    repo.write(USER, USER_YAML + "mailForwardingAddress: new.address@domain.ro\n")


def test_plan_without_changes_exits_0_even_with_detailed_exitcode(repo: DirectoryRepo) -> None:
    assert run(repo, "plan", "--detailed-exitcode") == (0, "", "HEAD -> working tree: no changes\n")


def test_plan_with_changes_exits_3_only_with_detailed_exitcode(repo: DirectoryRepo) -> None:
    forward(repo)
    code, out, err = run(repo, "plan")
    assert (code, out) == (0, ADD_FORWARD)
    assert err.startswith("HEAD -> working tree: 1 modify (sha256:")
    assert run(repo, "plan", "--detailed-exitcode")[0] == 3


def test_plan_between_two_revisions(repo: DirectoryRepo) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    forward(repo)
    second = repo.commit()
    assert run(repo, "plan", "--base", first, "--head", second)[:2] == (0, ADD_FORWARD)
    assert run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")[1] == ADD_FORWARD
    assert run(repo, "plan", "--base", second, "--head", first)[1] == ADD_FORWARD.replace(
        "add: mailForwardingAddress", "delete: mailForwardingAddress"
    )


def test_untracked_files_are_part_of_the_working_tree(repo: DirectoryRepo) -> None:
    dn = "cn=new,ou=people,dc=example,dc=net"
    repo.write(dn, USER_YAML.replace(USER, dn).replace("cn: user.example", "cn: new"))
    assert run(repo, "plan")[1].startswith(f"dn: {dn}\nchangetype: add\n")


def test_plan_json_carries_checksum_summary_and_changes(repo: DirectoryRepo) -> None:
    forward(repo)
    code, out, _ = run(repo, "plan", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["summary"] == {"add": 0, "modify": 1, "modrdn": 0, "delete": 0}
    assert data["changes"] == [
        {
            "changetype": "modify",
            "dn": USER,
            "mods": [
                {
                    "op": "add",
                    "attribute": "mailForwardingAddress",
                    "values": ["new.address@domain.ro"],
                }
            ],
        }
    ]
    assert data["checksum"].startswith("sha256:") and len(data["checksum"]) == 71
    ldif_err = run(repo, "plan")[2]
    assert data["checksum"] in ldif_err


def test_diff_between_revision_folder_and_ldif_file(repo: DirectoryRepo, tmp_path: Path) -> None:
    export = run(repo, "export")[1]
    (tmp_path / "head.ldif").write_text(export)
    forward(repo)
    assert run(repo, "diff", str(tmp_path / "head.ldif"), "worktree") == (
        0,
        ADD_FORWARD,
        run(repo, "diff", str(tmp_path / "head.ldif"), "worktree")[2],
    )
    shutil.copytree(repo.root / "directory", tmp_path / "copy")
    assert run(repo, "diff", "HEAD", str(tmp_path / "copy"))[1] == ADD_FORWARD
    code, out, _ = run(
        repo, "diff", str(tmp_path / "copy"), str(tmp_path / "copy"), "--detailed-exitcode"
    )
    assert (code, out) == (0, "")


def test_export_then_import_is_a_fixed_point(repo: DirectoryRepo, tmp_path: Path) -> None:
    first = run(repo, "export")[1]
    (tmp_path / "dump.ldif").write_text(first)
    other = DirectoryRepo(tmp_path / "other")
    code, _, err = run(other, "import", "--from-ldif", str(tmp_path / "dump.ldif"))
    assert code == 0, err
    assert err == "3 files written, 0 unchanged, 0 removed in directory\n"
    assert run(other, "export")[1] == first
    assert run(other, "import", "--from-ldif", str(tmp_path / "dump.ldif"))[2] == (
        "0 files written, 3 unchanged, 0 removed in directory\n"
    )
    assert run(other, "fmt", "--check")[0] == 0


@pytest.mark.parametrize(
    ("dump", "outside"),
    [
        ("", 0),  # what `ldapsearch -LLL` prints for a base it is referred away from
        ("dn: dc=elsewhere\nobjectClass: domain\ndc: elsewhere\n", 1),
    ],
)
def test_import_of_a_dump_with_nothing_below_base_dn_is_refused(
    repo: DirectoryRepo, tmp_path: Path, dump: str, outside: int
) -> None:
    """With --prune, such a dump would remove every entry file; without, it would say
    "0 files written" of a dump that is not the directory at all."""
    before = sorted(p.relative_to(repo.root) for p in repo.root.rglob("*.yaml"))
    (tmp_path / "dump.ldif").write_text(dump)
    for prune in ([], ["--prune"]):
        assert run(repo, "import", "--from-ldif", str(tmp_path / "dump.ldif"), *prune) == (
            1,
            "",
            f"error: {tmp_path / 'dump.ldif'} holds no entry below dc=example,dc=net "
            f"({outside} outside it or named by a secret): nothing imported; check that the "
            "dump is whole (ldapsearch prints nothing for a base that is missing or referred "
            "to another server) and base_dn\n",
        )
    assert sorted(p.relative_to(repo.root) for p in repo.root.rglob("*.yaml")) == before


def test_import_prune_never_empties_a_base_the_dump_holds_nothing_of(tmp_path: Path) -> None:
    """One `ldapsearch -b` per base, one of them referred elsewhere (it prints nothing):
    with --prune that base's files would all go."""
    people, archive = "ou=people,dc=example,dc=net", "ou=archive,dc=example,dc=net"
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn:\n  - {people}\n  - {archive}\n")
    whole = "".join(
        f"dn: {dn}\nobjectClass: organizationalUnit\nou: {dn[3:].split(',')[0]}\n\n"
        for dn in (people, archive)
    ) + f"dn: cn=b,{archive}\nobjectClass: person\ncn: b\nsn: B\n"
    (tmp_path / "whole.ldif").write_text(whole)
    assert run(repo, "import", "--from-ldif", str(tmp_path / "whole.ldif"))[0] == 0
    files = sorted(p.relative_to(repo.root) for p in repo.root.rglob("*.yaml"))
    (tmp_path / "people.ldif").write_text(whole.split("\n\n")[0] + "\n")
    assert run(repo, "import", "--from-ldif", str(tmp_path / "people.ldif"), "--prune") == (
        1,
        "",
        f"error: {tmp_path / 'people.ldif'} holds no entry below {archive}, and "
        "directory/dc=net/dc=example/ou=archive.yaml is there: --prune would remove every "
        "file below it; nothing imported; check that the dump is whole (ldapsearch prints "
        "nothing for a base that is missing or referred to another server), or remove those "
        "files yourself\n",
    )
    assert sorted(p.relative_to(repo.root) for p in repo.root.rglob("*.yaml")) == files
    # Without --prune nothing is removed: the import goes on.
    assert run(repo, "import", "--from-ldif", str(tmp_path / "people.ldif"))[0] == 0


def test_import_never_writes_passwords_or_operational_attributes(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    dump = run(repo, "export")[1] + (
        "dn: cn=svc,dc=example,dc=net\nobjectClass: organizationalRole\n"
        "objectClass: simpleSecurityObject\ncn: svc\nuserPassword: {SSHA}c2VjcmV0\n"
        "entryUUID: 5d5e1c2a-0000-0000-0000-000000000000\n"
        "modifyTimestamp: 20260101000000Z\n\n"
        "dn: dc=other,dc=org\nobjectClass: domain\ndc: other\n\n"
    )
    (tmp_path / "dump.ldif").write_text(dump)
    code, _, err = run(repo, "import", "--from-ldif", str(tmp_path / "dump.ldif"))
    assert code == 0
    assert err == (
        "skipped dc=other,dc=org: outside base_dn\n"
        "not written: userPassword of 1 entries (secrets stay out of git)\n"
        "1 files written, 3 unchanged, 0 removed in directory\n"
    )
    text = (repo.root / "directory/dc=net/dc=example/cn=svc.yaml").read_text()
    assert "SSHA" not in text and "entryUUID" not in text and "modifyTimestamp" not in text


def test_import_keeps_comments_of_existing_files(repo: DirectoryRepo, tmp_path: Path) -> None:
    path = repo.path(USER)
    path.write_text("# the example user\n" + USER_YAML)
    dump = run(repo, "export")[1].replace("sn: Example", "sn: Changed")
    (tmp_path / "dump.ldif").write_text(dump)
    run(repo, "import", "--from-ldif", str(tmp_path / "dump.ldif"))
    assert path.read_text() == "# the example user\n" + USER_YAML.replace("Example", "Changed")


def test_change_records_are_refused_as_an_import_source(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    (tmp_path / "c.ldif").write_text(ADD_FORWARD)
    code, _, err = run(repo, "import", "--from-ldif", str(tmp_path / "c.ldif"))
    assert code == 1
    assert err == (
        f"error: {tmp_path / 'c.ldif'}:1: '{USER}' is a change record: give content LDIF "
        "(as `ldapsearch -LLL` or `slapcat` write it)\n"
    )


def test_fmt_check_fails_on_non_canonical_files_and_fmt_fixes_them(repo: DirectoryRepo) -> None:
    path = repo.path(USER)
    path.write_text("sn: Example\n" + USER_YAML.replace("sn: Example\n", ""))
    code, _, err = run(repo, "fmt", "--check")
    rel = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"
    assert (code, err) == (1, f"{rel}: not canonical\nrun `ldifctl fmt` to fix\n")
    assert run(repo, "fmt")[0] == 0
    assert path.read_text() == USER_YAML
    assert run(repo, "fmt", "--check")[0] == 0


def test_every_command_runs_on_the_bundled_example_without_arguments() -> None:
    env = {**os.environ, "LDIFCTL_BIND_PASSWORD": ""}
    for command in (["validate"], ["fmt", "--check"], ["plan"], ["export"]):
        done = subprocess.run(
            [sys.executable, "-m", "ldifctl", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (command, done.stderr)
