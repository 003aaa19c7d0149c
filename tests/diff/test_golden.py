"""The seed scenarios of the 389 forwarding guide, as `ldifctl plan` prints them (golden
files), and applied by the real ldapmodify to a real slapd."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import servers
from golden_kit import GOLDEN, SCENARIOS
from ldap_state import server_snapshot
from repo_kit import DirectoryRepo, base_entries, run

from ldifctl.diff.snapshots import diff
from ldifctl.model.schema import build_schema
from ldifctl.repo.readers import worktree
from ldifctl.repo.tree import load as load_tree
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.export import export_ldif
from ldifctl.sources.load import load


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
