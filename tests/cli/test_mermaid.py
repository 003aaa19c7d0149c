"""The Mermaid picture of a plan comment is drawn by the real Mermaid in a real browser:
every block renders, shows each address as written, and a label left unescaped would not."""

from __future__ import annotations

import html
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from impact_kit import TRICKY, readme_change, tricky_change
from mail_kit import mail_repo, person
from mermaid_kit import ROOT, Mermaid, find_mermaid, mermaid_blocks
from repo_kit import DirectoryRepo, run

from ldifctl.cli import mermaid

SCREENSHOT = ROOT / "docs" / "routing-impact.png"


@pytest.fixture(scope="session")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mermaid]:
    yield find_mermaid(tmp_path_factory.mktemp("mermaid"))


def catch_all_change(root: Path) -> DirectoryRepo:
    """More addresses move than the picture draws (a catch-all swallows 30 mailboxes)."""
    people = {f"u{i}": person(f"u{i}", mail=f"u{i}@example.org") for i in range(30)}
    repo = mail_repo(root, people)
    catch = person("catch", mailAlternateAddress="@example.org", mailForwardingAddress="x@y.test")
    repo.write("cn=catch,ou=people,dc=example,dc=net", catch)
    return repo


def comment(repo: DirectoryRepo, *args: str) -> str:
    code, out, err = run(repo, *(args or ("plan",)), "--format", "markdown")
    assert code in (0, 1), err
    return out


@pytest.fixture(scope="module")
def comments(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("comments")
    return {
        "readme": comment(readme_change(root / "readme")),
        "tricky": comment(tricky_change(root / "tricky")),
        "catch-all": comment(catch_all_change(root / "catch")),
    }


def test_every_picture_renders_and_shows_each_address_as_written(
    renderer: Mermaid, comments: dict[str, str]
) -> None:
    blocks = [b for text in comments.values() for b in mermaid_blocks(text)]
    assert len(blocks) == len(comments)  # one picture per comment
    done = renderer.render(blocks)
    assert done.returncode == 0, done.stderr
    drawn = [html.unescape(p.read_text()) for p in done.files]
    for address in TRICKY:
        assert address in drawn[1]
    assert "helpdesk@example.org" in drawn[0]
    assert sum(f"u{i}@example.org" in drawn[2] for i in range(30)) == mermaid.MAX_ROUTES - 1


def test_a_label_not_escaped_would_break_the_picture(renderer: Mermaid) -> None:
    """The renderer fails on a syntax error: the escaping above is what keeps it drawing."""
    naive = f'flowchart LR\n  n0["{TRICKY[0]}"] --> n1["bob"]\n'
    done = renderer.render([naive])
    assert done.returncode != 0
    assert "Parse error" in done.stderr


def test_the_readme_picture(renderer: Mermaid, comments: dict[str, str]) -> None:
    """Drawn as PNG, as GitHub shows it; LDIFCTL_UPDATE_SCREENSHOT=1 puts it into docs/
    for the README."""
    done = renderer.render(mermaid_blocks(comments["readme"]), "png")
    assert done.returncode == 0, done.stderr
    picture = done.files[0].read_bytes()
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")
    if os.environ.get("LDIFCTL_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(done.files[0], SCREENSHOT)
