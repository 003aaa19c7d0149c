"""A deployed table's fields as Postfix reads them (repo/postfix/defaults.py, tables.py),
held against Postfix itself: `postmap -v` prints every field it read, defaults included,
the URIs it makes of server_host and the protocol version it sends. No server is needed:
the lookup fails on a closed port after all of that is printed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from servers import _sbin, make_postfix_confdir, write_backdated

from ldifctl.repo.postfix.conf_file import ConfFile, parse_conf
from ldifctl.repo.postfix.defaults import DEFAULTS, IGNORED, canonical_uri, normalised
from ldifctl.repo.postfix.tables import RENAMED, DeployedTable, server_uris

CLOSED = "ldap://127.0.0.1:9"  # nothing answers: postmap prints what it read, then fails
_READ = re.compile(r"postmap: cfg_get_\w+: [^:]+: (\w+) = (.*)")
_URL = re.compile(r"server_host URL is (.*)")
_VERSION = re.compile(r"Actual Protocol version used is (\d)")


def deployed(text: str) -> DeployedTable:
    conf = ConfFile(Path("t.cf"), parse_conf(text, "t.cf"))
    return DeployedTable("virtual_alias_maps", 0, "main.cf:1", conf)


def postmap_verbose(tmp_path: Path, text: str) -> str:
    """What `postmap -v -q` says about the table `text` (its stderr)."""
    confdir = make_postfix_confdir(tmp_path / "conf")
    table = write_backdated(tmp_path / "t.cf", text)
    command = [_sbin("postmap"), "-v", "-c", str(confdir), "-q", "x@h.test", f"ldap:{table}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr  # not found, or the closed port's error
    return done.stderr


def read_by_postfix(tmp_path: Path, text: str) -> dict[str, str]:
    return dict(_READ.findall(postmap_verbose(tmp_path, text)))


@pytest.mark.parametrize("bind", ["yes", "sasl"])  # the sasl_ fields are read with sasl only
def test_every_default_is_the_one_postfix_reads(tmp_path: Path, bind: str) -> None:
    read = read_by_postfix(tmp_path, f"server_host = {CLOSED}\nbind = {bind}\n")
    known = {*DEFAULTS, *IGNORED, *RENAMED, "bind_pw"}
    assert set(read) - known == set()  # no field Postfix reads is unknown here
    table = deployed(f"server_host = {CLOSED}\nbind = {bind}\n")
    for name, value in read.items():
        if name in DEFAULTS and name not in ("server_host", "bind", "result_format"):
            shown = {"on": "yes", "off": "no"}.get(value, value)
            assert (name, table.effective(name)) == (name, normalised(name, shown))
    assert read["result_filter"] == table.effective("result_format")  # result_format unset


@pytest.mark.parametrize(
    ("server_host", "uris"),
    [
        ("LDAP1.example.net:389, ldap2.example.net",
         ["ldap://ldap1.example.net", "ldap://ldap2.example.net"]),
        ("ldap://ldap1.example.net ldap://LDAP2.Example.NET:389/",
         ["ldap://ldap1.example.net", "ldap://ldap2.example.net"]),
        ("ldaps://h.test:636 LDAP://h.test:1389", ["ldaps://h.test", "ldap://h.test:1389"]),
        ("h.test\nserver_port = 1389", ["ldap://h.test:1389"]),
        ("ldapi://%2Fvar%2Frun%2FSlapd", ["ldapi://%2Fvar%2Frun%2FSlapd"]),
    ],
)
def test_server_host_is_the_list_of_uris_postfix_makes_written_one_way(
    tmp_path: Path, server_host: str, uris: list[str]
) -> None:
    text = f"server_host = {server_host}\n"
    # A key outside `domain` is not looked up: no connection, no one-second fatal.
    said = postmap_verbose(tmp_path, f"{text}domain = elsewhere.test\n")
    made = _URL.findall(said)[0].split()
    assert [canonical_uri(uri) for uri in made] == uris
    assert server_uris(deployed(text)) == uris


@pytest.mark.parametrize(
    ("fields", "version"),
    [
        ("", "3"),
        ("version = 2\n", "2"),
        ("version = 7\n", "3"),  # `Unknown version 7, using 3`
        ("version = 2\nstart_tls = yes\n", "3"),  # `start_tls requires protocol version 3`
        ("version = 2\nserver_host = ldaps://127.0.0.1:9\n", "3"),
    ],
)
def test_the_version_is_the_one_postfix_sends(tmp_path: Path, fields: str, version: str) -> None:
    text = f"server_host = {CLOSED}\n{fields}"
    assert _VERSION.findall(postmap_verbose(tmp_path, text)) == [version]
    assert deployed(text).effective("version") == version


def test_a_bind_with_no_dn_is_the_anonymous_bind_of_bind_no(tmp_path: Path) -> None:
    """bind = yes (the default) with an empty bind_dn: dict_ldap.c binds with DN "" and
    password "", which LDAP reads as an anonymous bind (RFC 4513 5.1.1)."""
    said = postmap_verbose(tmp_path, f"server_host = {CLOSED}\n")
    assert "Binding to server ldap://127.0.0.1:9 with dn empty or implicit" in said
    for text in ("", "bind = no\n", "bind = none\n", "bind = yes\nbind_dn =\n",
                 "bind = no\nbind_dn = cn=x,dc=example,dc=net\n"):
        table = deployed(text)
        assert (table.effective("bind"), table.effective("bind_dn")) == ("no", "")
    for text in ("bind_dn = cn=x,dc=example,dc=net\n", "bind = simple\nbind_pw = x\n"):
        assert deployed(text).effective("bind") == "yes"  # a DN, or a password: not anonymous
    assert deployed("bind = sasl\n").effective("bind") == "sasl"


def test_a_field_set_to_postfix_default_means_nothing_else() -> None:
    table = deployed(
        "dereference = 0\nchase_referrals = no\nrecursion_limit = 1000\ncache = yes\n"
        "size_limit = 5\nexpansion_limit = 5\nsasl_mechs = EXTERNAL\ntls_cert = /c.pem\n"
        "dereference_typo = 0\ndebuglevel = 2\n"
    )
    same = [name for name in table.conf.settings if table.is_default(name)]
    assert same == [
        "dereference", "chase_referrals", "recursion_limit", "cache", "size_limit",
        "sasl_mechs", "tls_cert",  # read only with bind = sasl, and with TLS
    ]
    assert table.unmodelled() == [
        "t.cf:6: expansion_limit", "t.cf:9: dereference_typo", "t.cf:10: debuglevel",
    ]
    tls = deployed("start_tls = yes\ntls_cert = /c.pem\ntls_require_cert = no\n")
    assert [tls.is_default(name) for name in tls.conf.settings] == [False, False, True]


@pytest.mark.parametrize("field", ["start_tls", "chase_referrals", "tls_require_cert"])
def test_a_boolean_postfix_refuses_is_refused_not_read_as_yes(tmp_path: Path, field: str) -> None:
    """`start_tls = true` was read as yes, so `--check` found it equal to a declared
    `start_tls: true`; Postfix stops at it, and every lookup through the table fails."""
    text = f"server_host = {CLOSED}\n{field} = true\n"
    confdir = make_postfix_confdir(tmp_path / "conf")
    table = write_backdated(tmp_path / "t.cf", text)
    command = [_sbin("postmap"), "-c", str(confdir), "-q", "x@h.test", f"ldap:{table}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0 and f"bad boolean configuration: {field} = true" in done.stderr
    assert deployed(text).refused() == [
        f"t.cf:2: {field} = true: Postfix refuses it (bad boolean configuration), so every "
        "lookup through this table fails: write yes or no"
    ]
    assert deployed(text.replace("true", "YES")).refused() == []
