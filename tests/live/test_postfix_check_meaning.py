"""`postfix-maps --check` compares what the settings mean to Postfix, not how they are
written: forms Postfix reads alike (a bare host and its URI, `:389`, an anonymous bind
either way, a field at its default) are no difference, with the real `postmap -q` giving
the same answers for each; what Postfix reads differently still is. And right after
`init --from-postfix` the check finds nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mail_kit import example_repo
from postfix_kit import serve
from repo_kit import DirectoryRepo, run
from servers import LdapServer, postmap_query, write_backdated
from test_postfix_check import check, deployed

FORWARD = ("user@old-domain.com", "user@new-domain.com")  # a forward of the worked example


def anonymous_repo(tmp_path: Path, slapd: LdapServer) -> DirectoryRepo:
    """The worked example on `slapd`, its tables searched anonymously (no mail.bind_dn)."""
    repo = example_repo(tmp_path)
    config = repo.root / "ldifctl.yaml"
    text = config.read_text().replace("uri: ldap://127.0.0.1:3389", f"uri: {slapd.uri}")
    config.write_text(text.replace("  bind_dn: cn=postfix,ou=services,dc=example,dc=net\n", ""))
    serve(repo, slapd)
    return repo


def rewritten(table: Path, old: str, new: str) -> Path:
    text = table.read_text()
    assert old in text
    return write_backdated(table, text.replace(old, new))


def test_forms_postfix_reads_alike_answer_alike_and_are_no_difference(
    tmp_path: Path, clean_slapd: LdapServer, postfix_confdir: Path
) -> None:
    repo = anonymous_repo(tmp_path, clean_slapd)
    folder = deployed(repo, tmp_path)
    table = folder / "virtual_alias_maps-2.cf"
    written = table.read_text()
    assert f"server_host = {clean_slapd.uri}\nversion = 3\nbind = no\n" in written
    host, port = clean_slapd.uri.removeprefix("ldap://").split(":")
    same = [
        f"server_host = {host}\nserver_port = {port}\n",  # ldap://host:server_port
        f"server_host = {host}:{port}\n",
        f"server_host = LDAP://{host}:{port}/\n",
        f"server_host = {clean_slapd.uri}\n",  # version 3 and bind = yes, Postfix's defaults,
        # with no bind_dn: an anonymous bind; fields at Postfix's defaults
        f"server_host = {clean_slapd.uri}\ndereference = 0\nchase_referrals = no\n"
        "size_limit = 0\ntls_require_cert = yes\nsasl_mechs = EXTERNAL\n",
    ]
    for form in same:
        rewritten(table, f"server_host = {clean_slapd.uri}\nversion = 3\nbind = no\n", form)
        assert postmap_query(table, FORWARD[0], postfix_confdir) == (0, FORWARD[1], ""), form
        assert check(repo, folder) == (0, "", f"{folder} deploys what ldifctl.yaml declares\n")
        write_backdated(table, written)


@pytest.mark.parametrize(
    ("old", "new", "field", "deployed_value", "declared"),
    [
        ("version = 3", "version = 2", "version", "2", "3"),
        ("bind = no", "bind_dn = cn=admin,dc=example,dc=net", "bind", "yes", "no"),
        ("bind = no", "bind_pw = x", "bind", "yes", "no"),  # DN "" with a password: not anonymous
        ("version = 3", "dereference = 3", "dereference", "3", "(none)"),
        ("version = 3", "debuglevel = 1", "debuglevel", "1", "(none)"),
    ],
)
def test_what_postfix_reads_differently_is_still_a_difference(
    tmp_path: Path, old: str, new: str, field: str, deployed_value: str, declared: str
) -> None:
    repo = example_repo(tmp_path)
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace(
        "  bind_dn: cn=postfix,ou=services,dc=example,dc=net\n", ""))
    folder = deployed(repo, tmp_path)
    table = rewritten(folder / "virtual_alias_maps-2.cf", f"{old}\n", f"{new}\n")
    line = table.read_text().splitlines().index(new) + 1
    where = str(table) if field == "bind" else f"{table}:{line}"
    code, out, _ = check(repo, folder)
    assert (code, out.splitlines()[0]) == (
        3, f"{where}: {field}: deployed {deployed_value!r}, declared {declared!r}",
    )


# --- init --from-postfix, then --check.

TWO_TABLES = """\
virtual_mailbox_domains = ldap:{d}/domains.cf
virtual_alias_maps = ldap:{d}/aliases.cf
"""
DOMAINS = """\
server_host = ldap1.example.net:389, LDAP2.example.net
search_base = ou=Domains,dc=example,dc=net
query_filter = (&(objectClass=dNSDomain)(dc=%s))
result_attribute = dc
"""
ALIASES = """\
server_host = ldap://ldap1.example.net ldap://ldap2.example.net
version = 3
bind = no
dereference = 0
search_base = ou=people,dc=example,dc=net
query_filter = (mailAlternateAddress=%s)
result_attribute = mailForwardingAddress
"""


def adopted(tmp_path: Path, domains: str, aliases: str) -> tuple[DirectoryRepo, Path, str]:
    """A new repo made by `init --from-postfix` from the two tables: (repo, folder, stderr)."""
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "main.cf").write_text(TWO_TABLES.format(d=folder))
    (folder / "domains.cf").write_text(domains)
    (folder / "aliases.cf").write_text(aliases)
    repo = DirectoryRepo(tmp_path / "repo")
    (repo.root / "ldifctl.yaml").unlink()
    shutil.rmtree(repo.root / "directory")
    code, _, err = run(repo, "init", "--from-postfix", str(folder))
    assert code == 0, err
    return repo, folder, err


def test_init_then_check_finds_no_difference_in_how_settings_are_written(
    tmp_path: Path,
) -> None:
    repo, folder, err = adopted(tmp_path, DOMAINS, ALIASES)
    assert not [line for line in err.splitlines() if line.startswith("warning:")]
    assert "  uri: ldap://ldap1.example.net ldap://ldap2.example.net\n" in (
        (repo.root / "ldifctl.yaml").read_text()
    )
    assert check(repo, folder) == (0, "", f"{folder} deploys what ldifctl.yaml declares\n")

    aliases = folder / "aliases.cf"
    aliases.write_text(ALIASES.replace("version = 3", "version = 2"))
    domains = folder / "domains.cf"
    domains.write_text(DOMAINS.replace("ldap1.example.net:389", "ldap1.example.net:1389"))
    code, out, _ = check(repo, folder)
    assert (code, out.splitlines()) == (3, [
        f"{aliases}:2: version: deployed '2', declared '3'",
        f"{domains}:1: server_host: deployed 'ldap://ldap1.example.net:1389 "
        "ldap://ldap2.example.net', declared 'ldap://ldap1.example.net "
        "ldap://ldap2.example.net'",
    ])


def test_init_keeps_its_own_certificate_check_and_warns_of_postfix_unchecked_tls(
    tmp_path: Path,
) -> None:
    tls = "start_tls = yes\ntls_ca_cert_file = /etc/ssl/certs/ca.pem\n"
    repo, folder, err = adopted(tmp_path, DOMAINS + tls, ALIASES + tls)
    settings = (repo.root / "ldifctl.yaml").read_text()
    assert "  start_tls: true\n  tls_require_cert: demand\n  ca_file: /etc/ssl/certs/ca.pem\n" \
        in settings
    assert [line for line in err.splitlines() if line.startswith("warning:")] == [
        f"warning: Postfix's tables use TLS but do not verify the LDAP server's certificate "
        f"({folder}/domains.cf, {folder}/aliases.cf: tls_require_cert is no, Postfix's "
        "default): ldifctl verifies it (server.tls_require_cert: demand), and so do the "
        "files `postfix-maps` writes; make the deployed ones verify it too: set "
        "tls_require_cert = yes and tls_ca_cert_file = the CA that signed the server's "
        "certificate (`postfix-maps --check` names the difference until then)",
    ]
    code, out, _ = check(repo, folder)
    assert (code, out.splitlines()) == (3, [
        f"{folder}/aliases.cf: tls_require_cert: deployed 'no', declared 'yes'",
        f"{folder}/domains.cf: tls_require_cert: deployed 'no', declared 'yes'",
    ])
    for name in ("domains.cf", "aliases.cf"):
        path = folder / name
        path.write_text(path.read_text() + "tls_require_cert = yes\n")
    assert check(repo, folder)[0] == 0
