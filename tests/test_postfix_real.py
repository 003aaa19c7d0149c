"""What ldifctl predicts equals what the real Postfix gets from the real slapd.

The worked example (plus generated entries) is exported with `ldifctl export` and loaded
into slapd; `ldifctl postfix-maps` writes the table files; then `postmap -q` answers every
key, table by table, and must print exactly what the offline evaluator predicts. Finally a
resolver that looks up only through `postmap` (Postfix's alias expansion, done the way
cleanup does it) must reach exactly the destinations `ldifctl resolve` reports.
"""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest
from mail_kit import example_repo, router
from repo_kit import DirectoryRepo, run
from servers import LdapServer, _sbin, postmap_query

from ldifctl.mail_tables import Table
from ldifctl.mail_templates import parts_of, split_targets
from ldifctl.routing import Router

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
def loaded(
    tmp_path: Path, clean_slapd: LdapServer, monkeypatch: pytest.MonkeyPatch
) -> DirectoryRepo:
    """The example plus generated entries, in git and in slapd, with table files written."""
    repo = example_repo(tmp_path)
    repo.populate(generated_people(60))
    config = repo.root / "ldifctl.yaml"
    config.write_text(
        config.read_text()
        .replace("uri: ldap://127.0.0.1:3389", f"uri: {clean_slapd.uri}")
        .replace("bind_dn: cn=admin,dc=example,dc=net", f"bind_dn: {clean_slapd.root_dn}")
    )
    code, ldif, err = run(repo, "export")
    assert code == 0, err
    # slapd has its own suffix entry already: add everything below it.
    records = ldif.split("\n\n")
    assert records[0].startswith("dn: dc=example,dc=net\n")
    clean_slapd.ldapadd("\n\n".join(records[1:]))
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    code, out, err = run(repo, "postfix-maps", "--output-dir", "postfix", "--with-password")
    folder = repo.root / "postfix"
    assert (code, out.splitlines()[0]) == (
        0,
        f"virtual_mailbox_domains = ldap:{folder}/virtual_mailbox_domains.cf",
    ), err
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


class PostmapRouter:
    """Postfix's routing, with every lookup done by the real `postmap`."""

    def __init__(self, repo: DirectoryRepo, routes: Router) -> None:
        self.confdir = repo.root / "postfix"
        files = dict((t.spec.name, p) for t, p in table_files(repo, routes))
        self.domains = [files[t.spec.name] for t in routes.domain_tables]
        self.mailboxes = [files[t.spec.name] for t in routes.mailbox_tables]
        self.aliases = [files[t.spec.name] for t in routes.alias_tables]

    def find(self, tables: list[Path], address: str) -> tuple[str, ...] | None:
        local, domain = parts_of(address)
        for key in [address] + ([f"@{domain}"] if domain is not None and local else []):
            for table in tables:
                code, result, err = postmap_query(table, key, self.confdir)
                assert code in (0, 1) and not err, err
                if code == 0:
                    return split_targets(local + result if result.startswith("@") else result)
        return None

    def expand(self, address: str) -> list[str] | None:
        """cleanup_map1n, with a nesting limit low enough for a test (None: deferred)."""
        argv, done = [address], set()
        for arg in range(len(argv) + 100):
            if arg >= len(argv):
                return argv
            for _ in range(20):
                if argv[arg] in done or (found := self.find(self.aliases, argv[arg])) is None:
                    break
                lhs, targets = argv[arg], [t.lower() for t in found]
                argv[arg] = targets[0]
                argv += targets[1:]
                if lhs in targets:
                    done.add(lhs)
            else:
                return None
        return None

    def classify(self, address: str) -> str:
        local, domain = parts_of(address)
        if not domain or not local:
            return "undeliverable"
        if self.find(self.domains, domain) is None:
            return "external"
        return "mailbox" if self.find(self.mailboxes, address) else "undeliverable"


@pytest.mark.usefixtures("clean_slapd")
def test_resolve_reaches_what_postfix_reaches(loaded: DirectoryRepo) -> None:
    routes = router(loaded)
    real = PostmapRouter(loaded, routes)
    addresses = [k for k in every_key(routes) if "@" in k and not k.startswith("@")]
    for address in addresses[::3]:  # each is a dozen postmap runs; a third covers every kind
        route = routes.resolve(address)
        final = real.expand(address.lower())
        if route.loop:
            assert final is None, address
            continue
        assert final is not None, address
        expected = [(a, real.classify(a)) for a in dict.fromkeys(final)]
        assert [(d.address, d.kind) for d in route.destinations] == expected, address


# --- The table files themselves.

TABLE = """\
# ldap_table(5) for virtual_alias_maps: mail.virtual_alias_maps[2] of ldifctl.yaml.
# Written by `ldifctl postfix-maps`: regenerate it rather than edit it.
server_host = ldap://127.0.0.1:3389
version = 3
bind = yes
bind_dn = cn=admin,dc=example,dc=net
# bind_pw: run `ldifctl postfix-maps --with-password`, or put the password here
bind_pw = CHANGE-ME
search_base = ou=people,dc=example,dc=net
scope = sub
query_filter = (mailAlternateAddress=%s)
result_attribute = mailForwardingAddress
"""


def test_postfix_maps_writes_private_files_with_a_placeholder(tmp_path: Path) -> None:
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
    assert err.splitlines()[-1] == (
        "note: bind_pw is a placeholder (CHANGE-ME): rerun with --with-password, or set it "
        "in the files on the mail server"
    )
    assert (folder / "virtual_alias_maps-2.cf").read_text() == TABLE
    assert {oct(p.stat().st_mode & 0o777) for p in folder.iterdir()} == {"0o600"}


def test_postfix_maps_tls_and_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = example_repo(tmp_path)
    config = repo.root / "ldifctl.yaml"
    config.write_text(
        config.read_text().replace(
            "  start_tls: false\n", "  start_tls: true\n  ca_file: ca.pem\n  timeout: 2.5\n"
        )
    )
    assert run(repo, "postfix-maps", "--with-password")[::2] == (
        1,
        (
            "error: --with-password: set LDIFCTL_BIND_PASSWORD or LDIFCTL_BIND_PASSWORD_FILE to "
            "the bind password\n"
        ),
    )
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", "s3cret")
    assert run(repo, "postfix-maps", "--with-password")[0] == 0
    text = (repo.root / "postfix" / "virtual_mailbox_domains.cf").read_text()
    assert text.splitlines()[2:10] == [
        "server_host = ldap://127.0.0.1:3389",
        "version = 3",
        "timeout = 3",
        "start_tls = yes",
        "tls_require_cert = yes",
        f"tls_ca_cert_file = {repo.root / 'ca.pem'}",
        "bind = yes",
        "bind_dn = cn=admin,dc=example,dc=net",
    ]
    assert "bind_pw = s3cret\n" in text
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", " padded ")
    assert run(repo, "postfix-maps", "--with-password")[::2] == (
        1,
        (
            "error: the bind password has a line break or leading/trailing spaces, which a "
            "Postfix .cf file cannot hold: change it\n"
        ),
    )
