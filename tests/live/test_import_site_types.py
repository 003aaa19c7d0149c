"""`import` says which types of a site's own schema `validate` will refuse, and from the
server the block for ldifctl.yaml that makes it take them (sources/site_types.py).

A slapd of this module's own loads the site's schema: the session's servers must keep
their stock schemas (tests/model/test_stock_types.py compares them to the lists).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import servers
from held_proxy import held_proxy
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import DirectoryRepo

from ldifctl.sources.server_schema import RULE_OIDS, from_subschema
from ldifctl.sources.site_types import MAX_LISTED, Definition, UnknownType, server_notes

# One type with its own EQUALITY and SINGLE-VALUE, one that has caseIgnoreMatch from
# `name` through two superiors, one with no equality rule anywhere.
SITE_SCHEMA = """\
dn: cn=site,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: site
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.1 NAME 'siteNumber' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.2 NAME 'siteName' SUP name )
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.3 NAME 'siteRoom' SUP siteName )
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.4 NAME 'siteBadge'
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 )
olcObjectClasses: ( 1.3.6.1.4.1.99999.2.1 NAME 'siteAccount' AUXILIARY
  MAY ( siteNumber $ siteRoom $ siteBadge ) )
"""
SEED = f"""\
dn: {PEOPLE_DN}
objectClass: organizationalUnit
ou: people

dn: cn=a,{PEOPLE_DN}
objectClass: inetOrgPerson
objectClass: siteAccount
cn: a
sn: A
siteNumber: 41
siteRoom: B 12
siteBadge: 0xA1

dn: cn=b,{PEOPLE_DN}
objectClass: inetOrgPerson
objectClass: siteAccount
cn: b
sn: B
siteNumber: 42
siteRoom: C 3
"""
A_FILE = f"""\
dn: cn=a,{PEOPLE_DN}
objectClass:
  - inetOrgPerson
  - siteAccount
cn: a
siteBadge: '0xA1'
siteNumber: '41'
siteRoom: B 12
sn: A
"""
REFUSED = (
    "validate will refuse 3 attribute types of these entries, which no server knows out of "
    "the box (schema/unknown-attribute)"
)
BLOCK = """\
attributes:
  siteNumber: {equality: integerMatch, single_value: true}  # 2 entries
  siteRoom: {equality: caseIgnoreMatch}  # 2 entries
  siteBadge: {equality: none}  # 1 entry; the server's schema gives it no equality rule
"""
FROM_SERVER = f"""\
3 files written, 0 unchanged, 0 removed in directory
{REFUSED}; declared as the server's schema defines them, validate takes them: add to \
ldifctl.yaml (import never edits it, so that the declaration is reviewed in a pull request):
{BLOCK}"""
DECLARE = (
    "declare each under attributes: in ldifctl.yaml with the equality rule and SINGLE-VALUE "
    "the server's schema gives it ({name: {equality: <its EQUALITY rule>, single_value: "
    "true}}; {equality: none} for a type it gives no rule)"
)
FROM_LDIF = f"""\
3 files written, 0 unchanged, 0 removed in directory
{REFUSED}: siteNumber (2 entries), siteRoom (2 entries), siteBadge (1 entry)
{DECLARE}; or run `ldifctl import --from-server`, which prints them with the rules the \
server's schema gives them
"""


# A bind DN the subschema is hidden from (the root DN passes every ACL).
READER = "cn=reader,dc=example,dc=net"
HIDDEN_SCHEMA = """\
dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcAccess: {0}to dn.base="cn=Subschema" by * none
olcAccess: {1}to * by * read

"""


@contextlib.contextmanager
def site_server(workdir: Path, frontend: str = "") -> Iterator[servers.LdapServer]:
    """A slapd loading the site's schema, holding SEED."""
    workdir.mkdir(exist_ok=True)
    schema = workdir / "site.ldif"
    schema.write_text(SITE_SCHEMA)
    slapd = servers._slapd_object()
    module, mdb = "\ndn: cn=module,cn=config\n", "dn: olcDatabase=mdb,cn=config\n"
    config = servers._slapd_config(slapd).replace(module, f"include: file://{schema}\n{module}")
    config = config.replace(mdb, frontend + mdb)
    assert str(schema) in config
    slapd.gen_config = lambda: config
    slapd.start()
    try:
        server = servers.serve(slapd, workdir)
        server.ldapadd(SEED)
        yield server
    finally:
        slapd.stop()


@pytest.fixture(scope="module")
def site_slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.LdapServer]:
    with site_server(tmp_path_factory.mktemp("site")) as server:
        yield server


@pytest.fixture
def password(site_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", site_slapd.root_pw)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)


def empty_repo(root: Path, server: servers.LdapServer) -> DirectoryRepo:
    repo = live_repo(root, server)
    repo.remove(PEOPLE_DN)
    return repo


@pytest.mark.usefixtures("password")
def test_import_prints_the_block_that_makes_validate_take_the_site_s_types(
    tmp_path: Path, site_slapd: servers.LdapServer
) -> None:
    repo = empty_repo(tmp_path / "repo", site_slapd)
    config = (repo.root / "ldifctl.yaml").read_text()
    assert ldifctl(repo, "import", "--from-server") == (0, "", FROM_SERVER)
    assert repo.path(f"cn=a,{PEOPLE_DN}").read_text() == A_FILE
    assert (repo.root / "ldifctl.yaml").read_text() == config  # never edited by import
    code, _, err = ldifctl(repo, "validate")
    assert code == 1
    assert err.count("error [schema/unknown-attribute]") == 5
    (repo.root / "ldifctl.yaml").write_text(config + BLOCK)
    assert ldifctl(repo, "validate")[0] == 0
    assert ldifctl(repo, "drift")[0] == 0
    # Declared, they are known: the next import has nothing to say of them.
    assert ldifctl(repo, "import", "--from-server") == (
        0, "", "0 files written, 3 unchanged, 0 removed in directory\n"
    )


@pytest.mark.usefixtures("password")
def test_the_schema_is_read_on_the_import_s_own_connection(
    tmp_path: Path, site_slapd: servers.LdapServer
) -> None:
    """One connection: a second could reach another server of a `server.uri` list (and
    bind again, reading the password file twice)."""
    with held_proxy(site_slapd) as (proxy, proxied):
        repo = empty_repo(tmp_path / "repo", proxied)
        assert ldifctl(repo, "import", "--from-server") == (0, "", FROM_SERVER)
        assert proxy.accepted == 1


def test_a_schema_hidden_from_the_bind_dn_is_a_note_and_the_files_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with site_server(tmp_path / "server", HIDDEN_SCHEMA) as server:
        password = secrets.token_urlsafe(12)
        server.ldapadd(f"dn: {READER}\nobjectClass: person\ncn: reader\nsn: R\n"
                       f"userPassword: {password}\n")
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", password)
        monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
        repo = empty_repo(tmp_path / "repo", dataclasses.replace(server, root_dn=READER))
        code, out, err = ldifctl(repo, "import", "--from-server")
    assert (code, out) == (0, "")
    assert err == (
        "3 files written, 0 unchanged, 0 removed in directory\n"
        f"{REFUSED}: siteNumber (2 entries), siteRoom (2 entries), siteBadge (1 entry)\n"
        "the server's schema was not read (the server shows no subschema subentry to the "
        f"bind DN): {DECLARE}\n"
    )
    assert repo.path(f"cn=a,{PEOPLE_DN}").read_text() == A_FILE


@pytest.mark.usefixtures("password")
def test_import_from_a_dump_names_the_types_and_guesses_no_rule(
    tmp_path: Path, site_slapd: servers.LdapServer
) -> None:
    repo = empty_repo(tmp_path / "repo", site_slapd)
    (tmp_path / "dump.ldif").write_text(SEED)
    assert ldifctl(repo, "import", "--from-ldif", str(tmp_path / "dump.ldif")) == (
        0, "", FROM_LDIF
    )
    assert repo.path(f"cn=a,{PEOPLE_DN}").read_text() == A_FILE


def test_a_type_is_named_as_most_of_its_entries_spell_it(tmp_path: Path) -> None:
    """Not the spelling that sorts first (`SITEROOM` before `siteRoom`); options aside."""
    records = [f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n"]
    records += [
        f"dn: cn=u{i},{PEOPLE_DN}\nobjectClass: extensibleObject\ncn: u{i}\n{room}: B {i}\n"
        for i, room in enumerate(["SITEROOM;lang-de", "siteRoom", "siteroom", "siteRoom"])
    ]
    records.append(f"dn: cn=u9,{PEOPLE_DN}\nobjectClass: extensibleObject\ncn: u9\n"
                   "siteRoom: C 1\nSITEROOM;lang-de: C 2\nSiteBadge: 1\nsitebadge;x-a: 2\n")
    (tmp_path / "dump.ldif").write_text("\n".join(records))
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    code, _, err = ldifctl(repo, "import", "--from-ldif", str(tmp_path / "dump.ldif"))
    assert (code, err.splitlines()[1]) == (
        0,
        "validate will refuse 2 attribute types of these entries, which no server knows out "
        "of the box (schema/unknown-attribute): siteRoom (5 entries), SiteBadge (1 entry)",
    )


def test_import_from_a_dump_lists_a_bounded_number_of_types(tmp_path: Path) -> None:
    """A source spelling many unknown types: the most used first, then a count."""
    types = [f"site{chr(65 + i)}" for i in range(MAX_LISTED + 5)]
    entries = [f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n"]
    entries += [
        f"dn: cn=u{i},{PEOPLE_DN}\nobjectClass: extensibleObject\ncn: u{i}\n"
        + "".join(f"{t}: x\n" for t in types[: i + 1])
        for i in range(len(types))
    ]
    (tmp_path / "dump.ldif").write_text("\n".join(entries))
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    code, _, err = ldifctl(repo, "import", "--from-ldif", str(tmp_path / "dump.ldif"))
    listed = ", ".join(f"{t} ({len(types) - i} entries)" for i, t in enumerate(types[:20]))
    assert (code, err.splitlines()[1]) == (
        0,
        f"validate will refuse 25 attribute types of these entries, which no server knows "
        f"out of the box (schema/unknown-attribute): {listed}, and 5 more",
    )


def test_import_from_a_dump_does_not_load_python_ldap(tmp_path: Path) -> None:
    (tmp_path / "dump.ldif").write_text(SEED)
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    script = (
        "import sys\nfrom ldifctl.cli.main import app\n"
        "try:\n    app(['import', '--from-ldif', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ldap', '_ldap')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "dump.ldif")],
        cwd=repo.root, capture_output=True, text=True, check=True,
    )
    assert done.stdout == "[]\n", done.stderr


def test_a_broken_schema_gives_no_invented_rule() -> None:
    """What a server's subschema may say that declares nothing: each is said, not guessed."""
    subschema = {
        "attributeTypes": [
            b"( 1.9.1 NAME 'siteLoopA' SUP siteLoopB )",
            b"( 1.9.2 NAME 'siteLoopB' SUP siteLoopA )",
            b"( 1.9.3 NAME 'siteMail' EQUALITY 2.5.13.5 SINGLE-VALUE )",
            b"( 1.9.4 NAME 'siteUuid' EQUALITY uuidMatch )",
            b"( 1.9.5 NAME 'siteOdd' EQUALITY 'caseIgnoreMatch\x1b[2J' )",
            b"( 1.9.6 NAME 'siteOrphan' SUP siteGone )",
            b"( 1.9.7 NAME",
        ],
        "matchingRules": [
            b"( 2.5.13.5 NAME 'caseExactMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
        ],
    }
    names = ["siteLoopA", "SITEMAIL", "siteUuid", "siteOdd", "siteOrphan", "siteGone"]
    assert from_subschema(subschema, names) == {
        "siteLoopA": Definition(problem="its equality rule comes through more than 8 superior "
                                "types (a circle, maybe): not followed"),
        "SITEMAIL": Definition("caseExactMatch", single_value=True),
        "siteUuid": Definition(problem="its equality rule is uuidMatch, which ldifctl does not "
                               "compare values by: name it under ignore_attributes, or leave it "
                               "out of the repo"),
        "siteOdd": Definition(problem="its equality rule is named by no plain LDAP descriptor "
                              "(not shown): see the server's schema"),
        "siteOrphan": Definition(problem="a superior type of it is not in the server's schema"),
        "siteGone": Definition(problem="the server's schema does not define it: nothing to "
                               "declare"),
    }


@pytest.mark.parametrize("given", ["fifo", "process substitution"])
def test_a_password_file_that_reads_once_serves_the_import(
    tmp_path: Path, site_slapd: servers.LdapServer, given: str
) -> None:
    """A FIFO or a `<(...)` pipe gives its text once: the import binds once, the schema
    read included (when it read the schema on a second connection, a second read of the
    file blocked, or read nothing and lost the block)."""
    repo = empty_repo(tmp_path / "repo", site_slapd)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LDIFCTL_BIND")}
    environ["PW"] = site_slapd.root_pw
    run = f"exec timeout 60 {shlex.quote(sys.executable)} -m ldifctl import --from-server"
    if given == "fifo":
        fifo = tmp_path / "pw"
        os.mkfifo(fifo)
        script = f'printf %s "$PW" > {fifo} &\nLDIFCTL_BIND_PASSWORD_FILE={fifo} {run}'
    else:
        script = f'LDIFCTL_BIND_PASSWORD_FILE=<(printf %s "$PW") {run}'
    done = subprocess.run(
        ["bash", "-c", script], cwd=repo.root, env=environ, capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, FROM_SERVER)


def test_a_rule_named_by_oid_or_by_another_name_is_declared_as_ldifctl_names_it() -> None:
    subschema = {
        "attributeTypes": [
            b"( 1.9.1 NAME 'siteA' EQUALITY 2.5.13.2 )",  # no matchingRules say its name
            b"( 1.9.2 NAME 'siteB' EQUALITY ciMatch )",
            b"( 1.9.3 NAME 'siteC' EQUALITY intMatch )",
        ],
        "matchingRules": [
            b"( 1.9.9 NAME ( 'ciMatch' 'caseIgnoreMatch' ) SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
            b"( 2.5.13.14 NAME 'intMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 )",
        ],
    }
    assert from_subschema(subschema, ["siteA", "siteB", "siteC"]) == {
        "siteA": Definition("caseIgnoreMatch"),
        "siteB": Definition("caseIgnoreMatch"),
        "siteC": Definition("integerMatch"),
    }


def test_the_rule_oids_ldifctl_knows_are_the_servers(site_slapd: servers.LdapServer) -> None:
    with site_slapd.bind() as conn:
        where = conn.search_subschemasubentry_s()
        found = conn.read_subschemasubentry_s(where, ["matchingRules"])
    named = {}
    for value in found["matchingRules"]:
        oid, _, rest = value.decode().strip("( ").partition(" NAME '")
        named[oid] = rest.partition("'")[0]
    assert {oid: named.get(oid) for oid in RULE_OIDS} == RULE_OIDS


def test_a_note_with_a_type_it_cannot_declare_says_so_in_its_head() -> None:
    found = [UnknownType("siteUuid", 1)]
    problem = Definition(problem="its equality rule is uuidMatch, which ldifctl does not ...")
    assert server_notes(found, {"siteUuid": problem}) == [
        "validate will refuse 1 attribute type of these entries, which no server knows out "
        "of the box (schema/unknown-attribute); declared as the server's schema defines them, "
        "validate takes them (the ones it can: see the comments): add to ldifctl.yaml (import "
        "never edits it, so that the declaration is reviewed in a pull request):",
        "attributes:",
        "  # siteUuid (1 entry): its equality rule is uuidMatch, which ldifctl does not ...",
    ]
