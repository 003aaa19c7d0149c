"""What ldifctl predicts equals what the real Postfix gets from the real slapd.

The worked example (plus generated entries) is exported with `ldifctl export` and loaded
into slapd; `ldifctl postfix-maps` writes the table files; then `postmap -q` answers every
key, table by table, and must print exactly what the offline evaluator predicts. Where
mail goes after alias expansion is held to a running Postfix in test_postfix_running.py.
"""

from __future__ import annotations

import getpass
import grp
import os
import random
import re
import subprocess
from pathlib import Path

import pytest
from mail_kit import example_repo, router
from postfix_kit import point_at, postfix_maps, serve
from repo_kit import DirectoryRepo, run
from servers import LdapServer, _sbin, postmap_query

from ldifctl.mail.addresses import split_targets
from ldifctl.mail.routing import Router
from ldifctl.mail.tables import Table

PEOPLE = "ou=people,dc=example,dc=net"
ADDRESS_ATTRIBUTES = ("mail", "mailAlias", "mailAlternateAddress", "mailForwardingAddress")


def generated_people(count: int, seed: int = 7) -> dict[str, str]:
    """389-style entries with several old addresses and several forwards each, some of them
    shared, some upper-case, some to outside domains: what a real directory accumulates."""
    rng = random.Random(seed)
    domains = ["company.com", "domain.com", "domain.ro", "gmail.com", "Domain1.NET"]
    people = {}
    for i in range(count):
        olds = [f"gen{i}.{n}@{rng.choice(domains[:3])}" for n in range(rng.randint(1, 3))]
        if i % 7 == 0:
            olds.append("shared.list@company.com")  # several entries answer one key
        forwards = [
            f"Target{rng.randrange(count)}@{rng.choice(domains)}" for _ in range(rng.randint(1, 3))
        ]
        people[f"cn=gen{i},{PEOPLE}"] = (
            f"dn: cn=gen{i},{PEOPLE}\nobjectClass: [inetOrgPerson, mailRecipient]\n"
            f"cn: gen{i}\nsn: Generated\nmail: gen{i}@domain.ro\n"
            f"mailAlternateAddress: [{', '.join(olds)}]\n"
            f"mailForwardingAddress: [{', '.join(dict.fromkeys(forwards))}]\n"
        )
    return people


@pytest.fixture
def loaded(tmp_path: Path, clean_slapd: LdapServer) -> DirectoryRepo:
    """The example plus generated entries, in git and in slapd, with table files written."""
    repo = example_repo(tmp_path)
    repo.populate(generated_people(60))
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    folder = repo.root / "postfix"
    lines = postfix_maps(repo, folder)
    assert lines.splitlines()[0] == (
        f"virtual_mailbox_domains = ldap:{folder}/virtual_mailbox_domains.cf"
    )
    (folder / "main.cf").write_text("")  # postmap wants a main.cf; an empty one will do
    for path in folder.iterdir():  # Postfix re-reads young files ("cooling down")
        os.utime(path, (path.stat().st_mtime - 60,) * 2)
    return repo


def every_key(routes: Router) -> list[str]:
    """Every address in the state, the forms Postfix meets, and keys that try to break out."""
    values = {
        v.decode()
        for node in routes.tree.nodes
        for a in ADDRESS_ATTRIBUTES
        for v in node.view.get(a, ())
    }
    domains = {d.decode() for node in routes.tree.nodes for d in node.view.get("dc", ())}
    tricky = [
        "*",
        "*@company.com",
        "info@company.com)(mail=*",
        "a\\b@company.com",
        "nobody@domain1.net",
        "@domain2.me",
        "domain1.net",
        "postmaster",
    ]
    keys = values | domains | {v.upper() for v in values} | {f"@{d}" for d in domains}
    return sorted(keys | set(tricky))


def postmap_all(table: Path, keys: list[str], confdir: Path) -> dict[str, str]:
    """One `postmap -q -` run: key -> result for the keys found."""
    done = subprocess.run(
        [_sbin("postmap"), "-c", str(confdir), "-q", "-", f"ldap:{table}"],
        input="".join(f"{k}\n" for k in keys),
        capture_output=True,
        text=True,
        check=False,
    )
    assert "warning" not in done.stderr and "fatal" not in done.stderr, done.stderr
    return dict(line.split("\t", 1) for line in done.stdout.splitlines())


def table_files(repo: DirectoryRepo, routes: Router) -> list[tuple[Table, Path]]:
    out = []
    for tables in (routes.domain_tables, routes.mailbox_tables, routes.alias_tables):
        for table in tables:
            name = (
                table.spec.kind if len(tables) == 1 else f"{table.spec.kind}-{table.spec.index + 1}"
            )
            out.append((table, repo.root / "postfix" / f"{name}.cf"))
    return out


@pytest.mark.usefixtures("clean_slapd")
def test_postmap_answers_every_key_as_predicted(loaded: DirectoryRepo) -> None:
    routes = router(loaded)
    keys = every_key(routes)
    for table, path in table_files(loaded, routes):
        real = postmap_all(path, keys, loaded.root / "postfix")
        predicted = {k: ",".join(result) for k in keys if (result := table.result(k)) is not None}
        assert real == predicted, table.spec.name
        assert real  # the bind worked: a table that finds nothing proves nothing


@pytest.mark.usefixtures("clean_slapd")
def test_the_seed_routes_through_the_real_tables(loaded: DirectoryRepo) -> None:
    folder = loaded.root / "postfix"
    aliases_1 = folder / "virtual_alias_maps-1.cf"
    aliases_2 = folder / "virtual_alias_maps-2.cf"
    assert postmap_query(aliases_1, "superjohn@domain2.me") == (0, "johndoe@domain1.net", "")
    assert postmap_query(aliases_2, "old.address@domain.com") == (0, "new.address@domain.ro", "")
    code, result, _ = postmap_query(aliases_2, "shared.list@company.com")
    predicted = router(loaded).alias_tables[1].result("shared.list@company.com")
    assert code == 0 and len(split_targets(result)) > 3
    assert result == ",".join(predicted or ())


# --- The table files themselves.

TABLE = """\
# ldap_table(5) for virtual_alias_maps: mail.virtual_alias_maps[2] of ldifctl.yaml.
# Written by `ldifctl postfix-maps`: regenerate it rather than edit it.
server_host = ldap://127.0.0.1:3389
version = 3
bind = yes
bind_dn = cn=postfix,ou=services,dc=example,dc=net
# bind_pw: run `ldifctl postfix-maps --with-password`, or put the password here
bind_pw = CHANGE-ME
search_base = ou=people,dc=example,dc=net
scope = sub
query_filter = (mailAlternateAddress=%s)
result_attribute = mailForwardingAddress
"""


def modes(folder: Path) -> set[tuple[str, str]]:
    return {
        (oct(p.stat().st_mode & 0o777), grp.getgrgid(p.stat().st_gid).gr_name)
        for p in folder.iterdir()
    }


def test_postfix_maps_writes_files_postfix_can_read(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    code, out, err = run(repo, "postfix-maps", "--output-dir", "out")
    folder = (repo.root / "out").resolve()
    assert (code, out) == (
        0,
        (
            f"virtual_mailbox_domains = ldap:{folder}/virtual_mailbox_domains.cf\n"
            f"virtual_mailbox_maps = ldap:{folder}/virtual_mailbox_maps-1.cf, "
            f"ldap:{folder}/virtual_mailbox_maps-2.cf\n"
            f"virtual_alias_maps = ldap:{folder}/virtual_alias_maps-1.cf, "
            f"ldap:{folder}/virtual_alias_maps-2.cf\n"
        ),
    )
    assert (folder / "virtual_alias_maps-2.cf").read_text() == TABLE
    # virtual(8) reads virtual_mailbox_maps as user postfix: root:postfix 0640, and a
    # folder group postfix may enter; nobody else reads the password.
    assert modes(folder) == {("0o640", "postfix")}
    assert (oct(folder.stat().st_mode & 0o777), folder.group()) == ("0o750", "postfix")
    closed = Path(f"/tmp/pytest-of-{getpass.getuser()}")  # pytest's folders are 0700
    assert err.splitlines()[-2:] == [
        f"note: Postfix's daemons (group postfix) cannot enter {closed}, so they cannot "
        "read the files as printed: run chmod o+x "
        f"{closed}, or write them elsewhere (--output-dir)",
        "note: bind_pw is a placeholder (CHANGE-ME): rerun with --with-password, or set it "
        "in the files on the mail server",
    ]


def test_postfix_maps_where_there_is_no_postfix_group(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    code, _, err = run(repo, "postfix-maps", "--output-dir", "out", "--group", "no-such-group")
    folder = (repo.root / "out").resolve()
    assert modes(folder) == {("0o600", "root")}
    assert code == 0
    assert err.splitlines()[-2] == (
        "note: there is no group no-such-group here, so the files are readable by their owner "
        "only (0600); Postfix's virtual(8) reads them as user postfix: on the mail server run "
        f"chgrp no-such-group {folder}/*.cf && chmod 0640 {folder}/*.cf"
    )


def test_postfix_binds_as_its_own_read_only_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = example_repo(tmp_path)
    config = repo.root / "ldifctl.yaml"
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", "the-writers-secret")
    assert run(repo, "postfix-maps", "--with-password")[::2] == (
        1,
        "error: --with-password: set LDIFCTL_POSTFIX_BIND_PASSWORD or "
        "LDIFCTL_POSTFIX_BIND_PASSWORD_FILE to the password of "
        "cn=postfix,ou=services,dc=example,dc=net\n",
    )
    secret = tmp_path / "postfix.pw"
    secret.write_text("readers-secret\n")
    monkeypatch.setenv("LDIFCTL_POSTFIX_BIND_PASSWORD_FILE", str(secret))
    assert run(repo, "postfix-maps", "--with-password")[0] == 0
    written = "".join(p.read_text() for p in (repo.root / "postfix").iterdir())
    assert written.count("bind_pw = readers-secret\n") == 5
    assert "the-writers-secret" not in written and "cn=admin" not in written

    # The writer's account is refused; without an account Postfix binds anonymously.
    text = config.read_text()
    config.write_text(text.replace("cn=postfix,ou=services", "CN=Admin"))
    assert run(repo, "postfix-maps")[::2] == (
        1,
        "error: ldifctl.yaml:15: mail.bind_dn is ldifctl's own writing account "
        "(server.bind_dn): Postfix only reads, and every .cf file would hold that password; "
        "give Postfix a read-only account of its own\n",
    )
    config.write_text(re.sub(r"(?m)^  bind_dn: cn=postfix.*\n", "", text))
    code, _, err = run(repo, "postfix-maps")
    assert (
        code == 0
        and "bind = no\n" in (repo.root / "postfix" / "virtual_alias_maps-1.cf").read_text()
    )
    assert err.splitlines()[-1] == (
        "note: mail.bind_dn is not set, so Postfix binds anonymously (bind = no); give it a "
        "read-only account of its own in mail.bind_dn"
    )
    assert run(repo, "postfix-maps", "--with-password")[::2] == (
        1,
        "error: --with-password: mail.bind_dn is not set, so Postfix binds anonymously and "
        "needs no password; set mail.bind_dn in ldifctl.yaml to Postfix's read-only account\n",
    )


def test_postfix_maps_tls_and_the_recipient_delimiter(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    config = repo.root / "ldifctl.yaml"
    config.write_text(
        config.read_text()
        .replace("  start_tls: false\n", "  start_tls: true\n  ca_file: ca.pem\n  timeout: 2.5\n")
        .replace("mail:\n", "mail:\n  recipient_delimiter: +-\n")
    )
    code, out, _ = run(repo, "postfix-maps")
    assert code == 0 and out.splitlines()[-1] == "recipient_delimiter = +-"
    text = (repo.root / "postfix" / "virtual_mailbox_domains.cf").read_text()
    assert text.splitlines()[2:10] == [
        "server_host = ldap://127.0.0.1:3389",
        "version = 3",
        "timeout = 3",
        "start_tls = yes",
        "tls_require_cert = yes",
        f"tls_ca_cert_file = {repo.root / 'ca.pem'}",
        "bind = yes",
        "bind_dn = cn=postfix,ou=services,dc=example,dc=net",
    ]


def test_a_password_a_cf_file_cannot_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = example_repo(tmp_path)
    monkeypatch.setenv("LDIFCTL_POSTFIX_BIND_PASSWORD", " padded ")
    assert run(repo, "postfix-maps", "--with-password")[::2] == (
        1,
        (
            "error: the bind password has a line break or leading/trailing spaces, which a "
            "Postfix .cf file cannot hold: change it\n"
        ),
    )
