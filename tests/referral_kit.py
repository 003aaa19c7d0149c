"""A directory that refers parts of its tree to other servers, as a real slapd holds it,
and what the real `ldapsearch` prints of it (tests/ldif_fixtures/referrals/).

Two referral entries: `ou=legacy` inside `ou=people` (one URL), and `ou=archive` beside
it with two URLs, the first long enough that ldapsearch folds its line. `cn=refunds`
makes `-L` print an ordinary comment that starts with `# ref`; `cn=postmaster` is added
after the referrals, so the references stand between entries.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import servers
from ldap.controls import ManageDSAITControl

FIXTURES = Path(__file__).parent / "ldif_fixtures" / "referrals"
PEOPLE_DN = "ou=people,dc=example,dc=net"
LEGACY = f"ou=legacy,{PEOPLE_DN}"
LEGACY_URL = f"ldap://ldap2.example.net/{LEGACY}"
ARCHIVE = "ou=archive,dc=example,dc=net"
ARCHIVE_URLS = (
    f"ldaps://archive-directory.mail-hosting.example.org:6636/{ARCHIVE}",
    f"ldap://ldap3.example.net/{ARCHIVE}",
)

BEFORE = f"""\
dn: {PEOPLE_DN}
objectClass: organizationalUnit
ou: people

dn: cn=user.example,{PEOPLE_DN}
objectClass: inetOrgPerson
objectClass: mailRecipient
cn: user.example
sn: Example
mail: new.address@domain.ro

dn: cn=refunds,{PEOPLE_DN}
objectClass: inetOrgPerson
objectClass: mailRecipient
cn: refunds
sn: Refunds
mail: refunds@domain.ro
"""
AFTER = f"""\
dn: cn=postmaster,{PEOPLE_DN}
objectClass: inetOrgPerson
objectClass: mailRecipient
cn: postmaster
sn: Postmaster
mail: postmaster@domain.ro
"""

# Each fixture and the ldapsearch options that print it (base: the suffix).
RUNS = {
    "extended.ldif": [],
    "L.ldif": ["-L"],
    "LL.ldif": ["-LL"],
    "LLL.ldif": ["-LLL"],
    "LLL-paged.ldif": ["-LLL", "-E", "pr=2/noprompt"],
    "L-M.ldif": ["-L", "-M"],
    "LLL-M.ldif": ["-LLL", "-M"],
    "L-M-paged.ldif": ["-L", "-M", "-E", "pr=2/noprompt"],
}
WITH_REFERENCES = [name for name, flags in RUNS.items() if "-M" not in flags]


def load(server: servers.LdapServer) -> None:
    """The entries and the referral entries, in the order the fixtures print them."""
    server.ldapadd(BEFORE)
    with server.bind() as conn:
        add_referral(conn, LEGACY, LEGACY_URL)
        add_referral(conn, ARCHIVE, *ARCHIVE_URLS)
    server.ldapadd(AFTER)


def add_referral(conn: Any, dn: str, *urls: str) -> None:
    """Written with ManageDsaIT: without it, the server answers with the referral."""
    attrs = [("objectClass", [b"referral", b"extensibleObject"])]
    attrs += [("ou", [dn.split(",")[0].partition("=")[2].encode()])]
    attrs += [("ref", [url.encode() for url in urls])]
    conn.add_ext_s(dn, attrs, serverctrls=[ManageDSAITControl()])


def delete_referral(conn: Any, dn: str) -> None:
    conn.delete_ext_s(dn, serverctrls=[ManageDSAITControl()])


def ldapsearch(
    server: servers.LdapServer, flags: list[str], base: str = servers.SUFFIX
) -> subprocess.CompletedProcess[bytes]:
    """The real ldapsearch, bound as the root DN: what a person dumping the tree runs."""
    command = ["ldapsearch", "-x", "-H", server.uri, "-D", server.root_dn]
    command += ["-y", str(server.password_file), *flags, "-b", base]
    return subprocess.run(command, capture_output=True, check=False)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
