"""LDIF as real servers' test data holds it (tests/ldif_fixtures/, modelled on OpenLDAP's
and python-ldap's test files): attribute options in any order and language tags, empty
values, escaped and multi-valued RDNs, base64 DNs and values, folded lines (one fold in
the middle of a UTF-8 character), CRLF line ends, comments (folded too), `version: 1`,
no newline at the end, UTF-8 everywhere.

For each file: `import` then `export` is a fixed point that holds the file's entries;
for each pair `X.ldif` / `X.changed.ldif`, the `diff` between them, fed to the real
ldapmodify, leaves exactly the second on slapd, both ways.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import servers
from ldap_state import server_snapshot
from repo_kit import DirectoryRepo, run

from ldifctl.diff.snapshots import diff
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Snapshot
from ldifctl.sources.ldif_reader import load_ldif

FIXTURES = Path(__file__).parents[1] / "ldif_fixtures"
FILES = sorted(p.name for p in FIXTURES.glob("*.ldif"))
FIRSTS = [name for name in FILES if not name.endswith(".changed.ldif")]
PAIRS = [(a, a.replace(".ldif", ".changed.ldif")) for a in FIRSTS]
CONFIG = "base_dn: dc=example,dc=net\n"
# What each change is, both ways: renames stay modrdns (ou=Groups moves with its groups
# as one), and options in another order or an empty value are no change of their own.
SUMMARIES = {
    "empty": ("2 modify", "2 modify"),
    "format": ("2 modify", "2 modify"),
    "names": ("1 add, 1 modify, 3 modrdn", "1 modify, 3 modrdn, 1 delete"),
    "options": ("2 modify", "2 modify"),
    "people": ("1 add, 4 modify, 2 modrdn, 1 delete", "1 add, 4 modify, 2 modrdn, 1 delete"),
}
SCHEMA = build_schema()


def entries(data: bytes, where: str) -> Snapshot:
    return load_ldif(data, where, SCHEMA)


def assert_same_entries(found: Snapshot, wanted: Snapshot) -> None:
    """The same DNs, and nothing to change between them, not even a value's case."""
    assert sorted(map(repr, found.keys())) == sorted(map(repr, wanted.keys()))
    assert diff(found, wanted, exact_case=True) == []


def test_the_fixtures_hold_what_they_are_for() -> None:
    data = {name: (FIXTURES / name).read_bytes() for name in FILES}
    assert len(PAIRS) >= 5 and all(b in data for _, b in PAIRS)
    assert all(b"version: 1" in d for n, d in data.items() if "empty" not in n)
    assert b"\r\n" in data["format.ldif"] and not data["format.ldif"].endswith(b"\n")
    assert b"\r\n  folded onto" in data["format.ldif"]  # a folded comment
    assert b"dn:: " in data["names.ldif"] and b"+uid=" in data["names.ldif"]
    assert b"o;lang-zz;lang-x:" in data["options.ldif"]
    assert b"\nmember:\n" in data["empty.ldif"] and b"\nmember:\n" in data["people.ldif"]


@pytest.mark.parametrize("name", FILES)
def test_import_then_export_is_a_fixed_point(name: str, tmp_path: Path) -> None:
    source = FIXTURES / name
    first = DirectoryRepo(tmp_path / "first", CONFIG)
    code, _, err = run(first, "import", "--from-ldif", str(source))
    count = len(entries(source.read_bytes(), name))
    assert (code, err) == (0, f"{count} files written, 0 unchanged, 0 removed in directory\n")
    assert run(first, "validate")[0] == 0
    assert run(first, "fmt", "--check")[0] == 0
    exported = run(first, "export")[1]
    assert_same_entries(entries(exported.encode(), "export"), entries(source.read_bytes(), name))

    (tmp_path / "exported.ldif").write_text(exported)
    second = DirectoryRepo(tmp_path / "second", CONFIG)
    assert run(second, "import", "--from-ldif", str(tmp_path / "exported.ldif"))[0] == 0
    assert run(second, "export")[1] == exported
    assert run(first, "import", "--from-ldif", str(source))[2] == (
        f"0 files written, {count} unchanged, 0 removed in directory\n"
    )


def load_as_is(slapd: servers.LdapServer, data: bytes) -> None:
    """The fixture, bytes unchanged, through the real ldapadd (it holds the suffix entry)."""
    with slapd.bind() as conn:
        conn.delete_s(slapd.suffix)
    command = ["ldapadd", "-x", "-H", slapd.uri, "-D", slapd.root_dn]
    done = subprocess.run(
        [*command, "-y", str(slapd.password_file)], input=data, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()


@pytest.mark.parametrize(("old", "new"), PAIRS + [(b, a) for a, b in PAIRS])
def test_a_diff_through_ldapmodify_leaves_exactly_the_new_state(
    old: str, new: str, tmp_path: Path, clean_slapd: servers.LdapServer
) -> None:
    before, after = (FIXTURES / old).read_bytes(), (FIXTURES / new).read_bytes()
    load_as_is(clean_slapd, before)
    assert_same_entries(server_snapshot(clean_slapd, SCHEMA), entries(before, old))

    repo = DirectoryRepo(tmp_path / "repo", CONFIG)
    args = ["diff", str(FIXTURES / old), str(FIXTURES / new), "--exact-case"]
    code, ldif, err = run(repo, *args)
    assert code == 0, err
    forward, backward = SUMMARIES[old.split(".")[0]]
    assert f": {backward if 'changed' in old else forward} (sha256:" in err
    applied = clean_slapd.ldapmodify(ldif)
    assert applied.returncode == 0, (ldif, applied.stderr)
    assert_same_entries(server_snapshot(clean_slapd, SCHEMA), entries(after, new))
