"""Plans as Markdown pull-request comments."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from live_kit import ldifctl
from repo_kit import DirectoryRepo, base_entries

from ldifctl.cli import markdown, markdown_parts, mermaid
from ldifctl.mail.address_impact import AddressImpact, Edge, Outcome
from ldifctl.model.changes import Mod, Modify
from ldifctl.model.findings import Finding
from ldifctl.plan import Plan

DN = "cn=user,ou=people,dc=example,dc=net"
CHANGE = Modify(DN, (Mod("add", "mailAlternateAddress", (b"u@old-domain.com",)),))


def test_a_plan_comment() -> None:
    finding = Finding(
        "directory/x.yaml:3", "mail/self-forward", "error", DN, "forwards to <itself> | [x]"
    )
    plan = Plan("HEAD", "working tree", (CHANGE,), (finding,))
    assert (
        markdown.plan_markdown(plan)
        == f"""\
<!-- ldifctl:plan -->
### ldifctl plan: `HEAD` → `working tree`

**Refused**: the findings below include errors, so this plan must not be applied; \
`--format ldif` prints no LDIF for it until they are fixed.

1 modify.

**Findings**: 1 error(s), 0 warning(s)

- ❌ `directory/x.yaml:3` **mail/self-forward** `forwards to <itself> | [x]`

#### Changes

| entry | change | attributes and values |
| --- | --- | --- |
| `{DN}` | modify | mailAlternateAddress: +`u@old-domain.com` |

<details><summary>LDIF: 1 change(s)</summary>

```ldif
dn: {DN}
changetype: modify
add: mailAlternateAddress
mailAlternateAddress: u@old-domain.com
-
```

</details>

#### How it will be applied

Not at all, until the errors are fixed.
"""
    )


def test_no_changes() -> None:
    assert markdown.plan_markdown(Plan("server", "working tree", (), ()), "drift") == (
        "<!-- ldifctl:drift -->\n### ldifctl drift: `server` → `working tree`\n\nNo changes.\n"
    )


def test_backticks_in_values_cannot_close_the_block() -> None:
    change = Modify(DN, (Mod("add", "description", (b"```",)),))
    text = markdown.plan_markdown(Plan("a", "b", (change,), ()))
    assert "\n````ldif\n" in text
    assert "\n````\n\n</details>\n" in text
    assert markdown.code("a`b") == "``a`b``"


def test_long_ldif_is_cut_at_a_record_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "MAX_LDIF_CHARS", 200)
    other = Modify(DN.replace("user", "other"), CHANGE.mods)
    text = markdown.plan_markdown(Plan("a", "b", (CHANGE, other), ()))
    record = f"dn: {DN}\nchangetype: modify\nadd: mailAlternateAddress\n"
    assert f"```ldif\n{record}mailAlternateAddress: u@old-domain.com\n-\n```\n" in text
    assert "… 1 more record(s): see the job log, or run with `--format ldif`." in text
    assert "dn: cn=other" not in text


def test_long_tables_are_cut_at_whole_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "MAX_CHANGES_CHARS", 150)
    changes = tuple(Modify(f"cn=u{i},{DN}", CHANGE.mods) for i in range(5))
    text = markdown.plan_markdown(Plan("a", "b", changes, ()))
    rows = [line for line in text.splitlines() if line.startswith("| `cn=u")]
    assert rows == [f"| `cn=u0,{DN}` | modify | mailAlternateAddress: +`u@old-domain.com` |"]
    assert "| … 4 more change(s) | | see the LDIF below |" in text


def test_plan_prints_markdown(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path)
    repo.populate(base_entries())
    repo.commit("base")
    repo.remove("ou=people,dc=example,dc=net")
    code, out, _ = ldifctl(repo, "plan", "--format", "markdown")
    assert code == 0
    assert out.startswith("<!-- ldifctl:plan -->\n### ldifctl plan: `HEAD` → `working tree`\n")
    assert "\n**Ready**: 1 delete.\n" in out
    assert "| `ou=people,dc=example,dc=net` | delete | objectClass: -`organizationalUnit`" in out


def impact(address: str, old: tuple[Edge, ...], new: tuple[Edge, ...]) -> AddressImpact:
    before = Outcome("delivered", (("alice@x.test", "mailbox"),))
    after = Outcome("delivered", (("bob@x.test", "mailbox"),))
    return AddressImpact(address, before, after, old, new, ("directory/a.yaml:3",))


SALES = impact(
    "Sales@x.test",
    (Edge("sales@x.test", "alice@x.test", "alias"), Edge("alice@x.test", "", "mailbox")),
    (Edge("sales@x.test", "bob@x.test", "alias"), Edge("bob@x.test", "", "mailbox")),
)


def test_the_picture_marks_old_and_new_steps() -> None:
    assert mermaid.flowchart([SALES]) == (
        "flowchart LR\n"
        '  n0["sales@x.test"]\n'
        '  n1["alice@x.test"]\n'
        '  n3["bob@x.test"]\n'
        '  n1 -.-> n2[("mailbox")]\n'
        '  n3 ==> n4[("mailbox")]\n'
        "  n0 -.-> n1\n"
        "  n0 ==> n3\n"
        "  style n0 stroke-width:3px\n"
        "  linkStyle 0 stroke:#c0392b\n"
        "  linkStyle 1 stroke:#1e8449\n"
        "  linkStyle 2 stroke:#c0392b\n"
        "  linkStyle 3 stroke:#1e8449\n"
    )
    assert mermaid.label('"a[#]|`b`"@zoë') == '"#34;a#91;#35;#93;#124;#96;b#96;#34;@zo#235;"'


def test_the_routing_table_is_cut_at_whole_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "MAX_ROUTING_CHARS", 200)
    many = tuple(dataclasses.replace(SALES, address=f"a{i}@x.test") for i in range(40))
    text = markdown.plan_markdown(Plan("a", "b", (CHANGE,), (), many))
    rows = [line for line in text.splitlines() if line.startswith("| `a")]
    assert rows == [
        f"| `a{i}@x.test` | `alice@x.test` (mailbox) | `bob@x.test` (mailbox) |" for i in range(2)
    ]
    assert "| … 38 more address(es) | see `--format json` | |" in text
    assert f"The routes of the first {mermaid.MAX_ROUTES} addresses; " in text
    assert len(re.findall(r'\["a\d+@', text)) == mermaid.MAX_ROUTES


def test_the_picture_draws_the_routes_whose_steps_were_kept() -> None:
    """Past the steps a plan keeps (mail/address_impact.py), routes are in the table, not drawn."""
    bare = dataclasses.replace(SALES, old_edges=(), new_edges=(), steps_kept=False)
    later = [dataclasses.replace(bare, address=f"z{i}@x.test") for i in range(3)]
    text = markdown.plan_markdown(Plan("a", "b", (CHANGE,), (), (SALES, *later)))
    assert "The routes of the first 1 addresses; " in text
    assert text.count('["sales@x.test"]') == 1 and '["z0@x.test"]' not in text
    assert "| `z2@x.test` | `alice@x.test` (mailbox) | `bob@x.test` (mailbox) |" in text

    alone = markdown.plan_markdown(Plan("a", "b", (CHANGE,), (), (bare,)))
    assert "```mermaid" not in alone
    assert "(The routes are too long to draw here: see the table.)" in alone


def test_a_whole_comment_stays_under_githubs_limit() -> None:
    """Every part long at once: thousands of findings, addresses, changes, LDIF records."""
    findings = tuple(
        Finding(f"directory/x{i}.yaml:3", "mail/self-forward", "error", DN, "forwards to itself")
        for i in range(3000)
    )
    changes = tuple(Modify(f"cn=u{i},{DN}", CHANGE.mods) for i in range(3000))
    far = tuple(Edge("a0@x.test", f"{'ü' * 200}{i}@x.test", "alias") for i in range(40))
    moved = tuple(
        dataclasses.replace(SALES, address=f"a{i}@x.test", new_edges=far) for i in range(3000)
    )
    text = markdown.plan_markdown(Plan("a", "b", changes, findings, moved))
    assert len(text) < 65_536
    assert "- … " in text and "| … " in text and "more record(s)" in text
    assert "(The routes are too long to draw here: see the table.)" in text


def test_a_long_list_of_destinations_is_cut_after_a_whole_one() -> None:
    many = Outcome("delivered", tuple((f"member{i}@x.test", "mailbox") for i in range(100)))
    row = markdown_parts.routing_rows((dataclasses.replace(SALES, after=many),))[0]
    assert row.endswith("`member10@x.test` (mailbox) … 89 more |")
