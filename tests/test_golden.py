"""The seed scenarios of the 389 forwarding guide, as `ldifctl plan` prints them (golden
files), and applied by the real ldapmodify to a real slapd."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import servers
from ldap_state import server_snapshot
from repo_kit import USER, DirectoryRepo, base_entries, run
from repo_kit import USER_YAML as HEAD

from ldifctl.diff.snapshots import diff
from ldifctl.model.schema import build_schema
from ldifctl.repo.readers import worktree
from ldifctl.repo.tree import load as load_tree
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.export import export_ldif
from ldifctl.sources.load import load

GOLDEN = Path(__file__).parent / "golden"
FORWARD = HEAD + """\
mailAlternateAddress: old.address@domain.com
mailForwardingAddress: new.address@domain.ro
"""
CENTRAL = """\
dn: cn=central,ou=people,dc=example,dc=net
objectClass:
  - inetOrgPerson
  - mailRecipient
cn: central
mail: central@company.com
mailAlternateAddress:
  - info@company.com
  - sales@company.com
  - support@company.com
mailForwardingAddress: central@company.com
sn: Central
"""

# name -> (base files, head files): DN -> YAML text (None: no such file)
SCENARIOS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "forward-add": ({USER: HEAD}, {USER: FORWARD}),
    "forward-replace": (
        {USER: FORWARD},
        {USER: FORWARD.replace("mailForwardingAddress: new.address", "mailForwardingAddress: x")},
    ),
    "forward-remove": ({USER: FORWARD}, {USER: FORWARD.replace(
        "mailForwardingAddress: new.address@domain.ro\n", "")}),
    "several-aliases": ({}, {CENTRAL.split("\n")[0][4:]: CENTRAL}),
    "alias-moved": (
        {USER: FORWARD, "cn=central,ou=people,dc=example,dc=net": CENTRAL},
        {USER: FORWARD.replace("old.address@domain.com", "\n  - old.address@domain.com\n"
                               "  - Sales@company.com"),
         "cn=central,ou=people,dc=example,dc=net": CENTRAL.replace("  - sales@company.com\n", "")},
    ),
    "rename": ({USER: FORWARD}, {"cn=new.example,ou=people,dc=example,dc=net": FORWARD.replace(
        "cn=user.example", "cn=new.example").replace("cn: user.example", "cn: new.example")}),
}


def build(repo: DirectoryRepo, files: dict[str, str]) -> None:
    for path in (repo.root / "directory").rglob("*.yaml"):
        path.unlink()
    repo.populate({**base_entries(), **files})


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_plan_matches_golden_and_ldapmodify_applies_it(
    name: str, tmp_path: Path, clean_slapd: servers.LdapServer
) -> None:
    base, head = SCENARIOS[name]
    repo = DirectoryRepo(tmp_path / "repo")
    build(repo, base)
    repo.commit("base")
    build(repo, head)

    code, ldif_text, err = run(repo, "plan")
    assert code == 0, err
    golden = GOLDEN / f"{name}.ldif"
    if os.environ.get("LDIFCTL_UPDATE_GOLDEN"):
        golden.write_text(ldif_text)
    assert ldif_text == golden.read_text()

    ws = open_workspace(repo.root)
    before = load(ws, "HEAD")
    clean_slapd.ldapadd(export_ldif(before).split("\n\n", 1)[1])
    done = clean_slapd.ldapmodify(ldif_text)
    assert done.returncode == 0, done.stderr
    wanted = load_tree(worktree(ws), ws.schema)
    assert diff(server_snapshot(clean_slapd, build_schema()), wanted) == []
