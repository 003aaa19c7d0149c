"""An RDN too long for a file name: every entry is a file named by its RDN, and a file name
holds 255 bytes (NAME_MAX), `.yaml` included. Such an entry is refused before anything
is written, by import and by `drift --write`, and a crafted git tree holding such a name
is refused like any other path that names no DN. So is a path too long for the file
system (PATH_MAX, 4,096 bytes whole: 3,072 below the directory folder)."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import PEOPLE, DirectoryRepo, run

FIT = 250  # bytes of the escaped RDN: with `.yaml`, exactly a file name's 255


def person(cn: str) -> str:
    dn = base64.b64encode(f"cn={cn},{PEOPLE_DN}".encode()).decode()
    value = base64.b64encode(cn.encode()).decode()
    return f"dn:: {dn}\nobjectClass: person\ncn:: {value}\nsn: s\n\n"


def dump_of(tmp_path: Path, *cns: str) -> Path:
    dump = tmp_path / "dump.ldif"
    dump.write_text(f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n\n")
    with dump.open("a") as out:
        out.write("".join(person(cn) for cn in cns))
    return dump


def files_in(repo: DirectoryRepo) -> list[str]:
    return sorted(str(p.relative_to(repo.root)) for p in (repo.root / "directory").rglob("*"))


@pytest.mark.parametrize(
    ("cn", "size"),
    [
        ("x" * (FIT - 2), FIT + 1),  # `cn=` and the value: one byte too many
        ("é" * 124, FIT + 1),  # bytes count, not characters: 124 of them are 248 bytes
        ("a/" * 83, 3 + 83 + 83 * 3),  # as escaped in the file name: `/` is `%2F`
    ],
    ids=["ascii", "utf-8", "escaped"],
)
def test_import_refuses_an_rdn_too_long_and_writes_nothing(
    tmp_path: Path, cn: str, size: int
) -> None:
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    dump = dump_of(tmp_path, "a", "b", cn)
    shown = f"cn={cn}".replace("/", "%2F")[:40]
    assert run(repo, "import", "--from-ldif", str(dump)) == (
        1,
        "",
        f"error: {dump}:15: the RDN {shown}... is {size} bytes as a file name, more than "
        "the 250 that fit (a file name holds 255, with `.yaml`): each entry is a file named "
        "by its RDN, so shorten the value, or name the entry by another attribute\n"
        "error: nothing was written: fix the source first\n",
    )
    assert files_in(repo) == []


@pytest.mark.parametrize("cn", ["x" * (FIT - 3), "é" * 123 + "x"], ids=["ascii", "utf-8"])
def test_an_rdn_that_just_fits_is_imported_and_read_back(tmp_path: Path, cn: str) -> None:
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    dump = dump_of(tmp_path, cn)
    assert run(repo, "import", "--from-ldif", str(dump))[0] == 0
    written = repo.path(f"cn={cn},{PEOPLE_DN}")
    assert len(written.name.encode()) == 255
    assert run(repo, "diff", str(dump), "worktree")[:2] == (0, "")


def test_drift_write_refuses_a_server_entry_too_long_for_a_file(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server holds a new entry whose RDN is too long as a file name, and another new
    entry: neither is written, and the message says what to do. (slapd's back-mdb holds
    an RDN of up to ~245 bytes; escaped, `/` takes three.)"""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.commit("people")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    cn = "a/" * 80
    clean_slapd.ldapadd(person("short") + person(cn))
    code, _, err = ldifctl(repo, "drift", "--write")  # the drift is shown, as always
    summary, *refusal = err.splitlines()
    assert (code, summary.split(" (")[0]) == (1, "server -> working tree: 2 delete")
    assert refusal == [
        f"error: cn={cn},{PEOPLE_DN}: the RDN cn={'a%2F' * 9}a... is 323 bytes as a file "
        "name, more than the 250 that fit (a file name holds 255, with `.yaml`): each entry "
        "is a file named by its RDN, so shorten the value, or name the entry by another "
        "attribute",
        "error: nothing was written: give the entry a shorter RDN, or make it smaller, on "
        "the server; until then the repo cannot hold it, and apply would delete it",
    ]
    people = "directory/dc=net/dc=example/ou=people.yaml"
    assert files_in(repo) == ["directory/dc=net", "directory/dc=net/dc=example", people]
    assert repo.path(PEOPLE_DN).read_text() == PEOPLE


def planned_crafted(tmp_path: Path, name: str, text: str) -> tuple[int, str, str]:
    """`plan` of a commit adding the file `name` (git stores any name) to ou=people."""
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    repo.write(PEOPLE_DN, PEOPLE)
    repo.commit("people")
    blob = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], cwd=repo.root, check=True, capture_output=True,
        input=text.encode(),
    ).stdout.decode().strip()
    repo.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{name}")
    repo.git("commit", "-q", "-m", "crafted")
    return run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")


def test_a_committed_file_name_no_checkout_can_hold_is_refused(tmp_path: Path) -> None:
    """git stores any name: a crafted commit's entry that could never be checked out is
    refused by plan, as a path that names no DN."""
    cn = "x" * 300
    name = f"directory/dc=net/dc=example/ou=people/cn={cn}.yaml"
    text = f"dn: cn={cn},{PEOPLE_DN}\nobjectClass: person\ncn: {cn}\nsn: s\n"
    code, out, err = planned_crafted(tmp_path, name, text)
    assert (code, out) == (1, ""), err
    assert err.startswith(
        f"error: HEAD:{name}: the RDN cn={'x' * 37}... is 303 bytes as a file name, more "
        "than the 250 that fit (a file name holds 255, with `.yaml`): each entry is a file "
        "named by its RDN, so shorten the value, or name the entry by another attribute\n"
    ), err


def nested_dump(tmp_path: Path, size: int, levels: int = 16) -> tuple[Path, str]:
    """ou=people and `levels` OUs below it, each named by `size` characters; the DN of the
    deepest. Below the directory folder its file's path is 32 + levels * (size + 4) bytes
    (`dc=net/dc=example/ou=people`, `.yaml`, and `/ou=` and the name a level)."""
    dump = tmp_path / "dump.ldif"
    dn, records = PEOPLE_DN, [f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n"]
    for level in range(levels):
        ou = f"{level:02d}" + "x" * (size - 2)
        dn = f"ou={ou},{dn}"
        records.append(f"dn: {dn}\nobjectClass: organizationalUnit\nou: {ou}\n")
    dump.write_text("\n".join(records))
    return dump, dn


def test_import_refuses_a_path_too_long_for_the_file_system_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """Each name fits, but Linux takes 4,096 bytes for a whole path: import wrote the
    entries that fit and then failed with `unexpected error (OSError): [Errno 36] File
    name too long`. A path below the directory folder may hold 3,072 bytes."""
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    dump, _ = nested_dump(tmp_path, 187)  # 32 + 16 * 191 = 3,088 bytes
    assert run(repo, "import", "--from-ldif", str(dump)) == (
        1,
        "",
        f"error: {dump}:65: the entry's file would be 3088 bytes as a path below the "
        "directory folder, more than the 3072 that fit (the file system takes 4,096 for a "
        "whole path, and the repo's own place some of it): give the entry or one above it a "
        "shorter RDN\n"
        "error: nothing was written: fix the source first\n",
    )
    assert files_in(repo) == []


def test_a_path_that_just_fits_is_imported_and_read_back(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    dump, deepest = nested_dump(tmp_path, 186)  # 32 + 16 * 190 = 3,072 bytes
    assert run(repo, "import", "--from-ldif", str(dump))[0] == 0
    written = repo.path(deepest).relative_to(repo.root / "directory")
    assert len(str(written).encode()) == 3072
    assert run(repo, "diff", str(dump), "worktree")[:2] == (0, "")


def test_a_committed_path_no_checkout_can_hold_is_refused(tmp_path: Path) -> None:
    """A crafted commit's entry whose path is too long for any checkout: refused by plan."""
    ous = [f"ou={level:02d}{'x' * 185}" for level in range(16)]
    dn = ",".join([*reversed(ous), PEOPLE_DN])
    name = "directory/dc=net/dc=example/ou=people/" + "/".join(ous) + ".yaml"
    text = f"dn: {dn}\nobjectClass: organizationalUnit\nou: {ous[-1][3:]}\n"
    code, out, err = planned_crafted(tmp_path, name, text)
    assert (code, out) == (1, ""), err
    assert err.startswith(
        f"error: HEAD:{name}: the entry's file would be 3088 bytes as a path below the "
        "directory folder, more than the 3072 that fit"
    ), err
