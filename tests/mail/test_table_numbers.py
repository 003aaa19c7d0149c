"""Tables are counted from 1 wherever one is named: `resolve` (text and JSON), findings,
errors in ldifctl.yaml and the file names of `postfix-maps` (issue 11, item 17)."""

from __future__ import annotations

import json
from pathlib import Path

from mail_kit import example_repo
from repo_kit import run


def test_resolve_and_postfix_maps_name_a_table_by_the_same_number(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    address = "internal.user@company.com"
    code, out, _ = run(repo, "resolve", address, "--format", "json")
    # The second alias table of the example's ldifctl.yaml, the one below ou=people.
    assert (code, json.loads(out)["hops"][0]["table"]) == (0, "virtual_alias_maps[2]")
    assert "virtual_alias_maps[2]: cn=internal.user" in run(repo, "resolve", address)[1]
    assert run(repo, "postfix-maps", "--output-dir", "out")[0] == 0
    table = (repo.root / "out" / "virtual_alias_maps-2.cf").read_text().splitlines()
    assert table[0] == (
        "# ldap_table(5) for virtual_alias_maps: mail.virtual_alias_maps[2] of ldifctl.yaml."
    )
    assert "search_base = ou=people,dc=example,dc=net" in table


def test_settings_errors_count_tables_from_1(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    config = repo.root / "ldifctl.yaml"
    text = config.read_text()
    config.write_text(text.replace("  virtual_alias_maps:\n", "  virtual_alias_maps:\n    - {}\n"))
    code, _, err = run(repo, "validate")
    assert code == 1
    line = text.splitlines().index("  virtual_alias_maps:") + 2  # the `- {}` under it
    assert err.startswith(f"error: ldifctl.yaml:{line}: mail.virtual_alias_maps[1]")
    config.write_text(text.replace("(mailAlternateAddress=%s)", "(mailAlternateAddress=*%s)"))
    err = run(repo, "validate")[2]
    assert "warning [mail-tables] mail.virtual_alias_maps[2]: its query_filter" in err
