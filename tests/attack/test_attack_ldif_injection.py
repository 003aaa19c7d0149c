"""A pull request author smuggles LDIF through values and DNs: the plan, piped into the
real `ldapmodify`, performs exactly the operations it lists and nothing outside base_dn.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import servers
from attack_kit import run, run_here
from live_kit import PEOPLE_DN, in_sync, live_repo
from repo_kit import DirectoryRepo

from ldifctl.model import dn as dnmod
from ldifctl.model.schema import build_schema

ADMINS = "ou=admins,dc=example,dc=net"
# Each would start an LDIF line or record of its own if it were written as text.
VALUES = [
    "x\ndn: ou=admins,dc=example,dc=net\nchangetype: delete\n",
    "a\r\nchangetype: delete",
    "\n-\nreplace: objectClass\nobjectClass: alias\n",
    "changetype: modify",
    "dn: dc=example,dc=net",
    ": colon",
    "< file:///etc/passwd",
    " leading space",
    "trailing space ",
    "-",
    "#not a comment",
]
# RDN values that look like LDIF, like paths, or like another DN.
NAMES = [
    "a\nchangetype: delete",
    "b\r\ndn: ou=admins",
    "-",
    " lead",
    ":c",
    "<d",
    "../../../../etc",
    "a/b",
    "..",
    "%2e%2e",
    "x,ou=admins,dc=example,dc=net",
    "y+uid=0",
]


def person(dn: str, cn: str, description: list[str]) -> str:
    lines = [f"dn: {json.dumps(dn)}", "objectClass: [inetOrgPerson]", f"cn: {json.dumps(cn)}"]
    lines += ["sn: s", "description:", *(f"  - {json.dumps(v)}" for v in description)]
    return "\n".join(lines) + "\n"


def seeded(tmp_path: Path, server: servers.LdapServer) -> DirectoryRepo:
    """ou=people with a bystander and a target in sync, and ou=admins outside base_dn."""
    server.ldapadd(f"dn: {ADMINS}\nobjectClass: organizationalUnit\nou: admins\n")
    repo = live_repo(tmp_path / "repo", server)
    for cn in ("bystander", "target"):
        dn = f"cn={cn},{PEOPLE_DN}"
        repo.write(dn, person(dn, cn, ["plain"]))
    assert run_here(repo, "apply", "--yes").code == 0
    return repo


def outside_the_plan(server: servers.LdapServer, planned: set[str]) -> dict[str, object]:
    """Every entry of the server (the whole suffix) that the plan does not name."""
    schema = build_schema()
    keys = {schema.dn_key(d) for d in planned}
    return {d: a for d, a in server.search_all().items() if schema.dn_key(d) not in keys}


def test_values_and_dns_never_become_ldif_lines(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LDIF-like values and RDNs: ldapmodify does exactly the plan, nothing else."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = seeded(tmp_path, clean_slapd)
    target = f"cn=target,{PEOPLE_DN}"
    repo.write(target, person(target, "target", VALUES))
    added = [f"cn={dnmod.escape_value(name)},{PEOPLE_DN}" for name in NAMES]
    for dn, name in zip(added, NAMES, strict=True):
        repo.write(dn, person(dn, name, VALUES[:3]))
    before = outside_the_plan(clean_slapd, {target, *added})

    planned = run(repo, "plan", "--base", "server", "--format", "json")
    assert planned.code == 0, planned.err
    changes = json.loads(planned.out)["changes"]
    assert sorted((c["changetype"], c["dn"]) for c in changes) == sorted(
        [("modify", target)] + [("add", dn) for dn in added]
    )
    ldif = run(repo, "plan", "--base", "server").out
    done = clean_slapd.ldapmodify(ldif, continue_on_error=True)
    assert done.returncode == 0, done.stderr
    assert in_sync(repo, clean_slapd)
    assert outside_the_plan(clean_slapd, {target, *added}) == before


def test_a_refused_plan_gives_ldapmodify_nothing(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan refused by a policy error: `plan --base server | ldapmodify` writes nothing."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = seeded(tmp_path, clean_slapd)
    target = f"cn=target,{PEOPLE_DN}"
    repo.write(target, person(target, "target", ["plain"]) + "userPassword: '{SSHA}c2VjcmV0'\n")
    before = clean_slapd.search_all()
    planned = run(repo, "plan", "--base", "server")
    assert planned.code == 1
    assert "error [forbidden-attributes]" in planned.err
    clean_slapd.ldapmodify(planned.out)
    assert clean_slapd.search_all() == before
    assert planned.out == ""
