"""`--help` as a first-time user reads it in an 80-column terminal (issue 11, item 17)."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from ldifctl.cli.main import app

ENVIRONMENT = (
    "LDIFCTL_URI", "LDIFCTL_BIND_DN", "LDIFCTL_BIND_PASSWORD", "LDIFCTL_BIND_PASSWORD_FILE"
)


def help_text(*command: str) -> str:
    done = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    return re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)  # colour, where CI forces a terminal


def words(text: str) -> str:
    """The text without the box drawing and the line breaks of the layout."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_the_command_list_shows_one_whole_sentence_per_command() -> None:
    text = help_text()
    panel = text.split("─ Commands ─", 1)[1].splitlines()[1:]
    rows = [line.strip("│ ") for line in panel[: panel.index(next(p for p in panel if "╰" in p))]]
    names = [row.split()[0] for row in rows]
    assert names == [
        "validate", "fmt", "plan", "diff", "import", "export", "apply", "drift", "resolve",
        "postfix-maps", "init",
    ]  # one row each: no description runs on to a second line
    for row in rows:
        assert row.endswith("."), row


def test_help_names_every_source_and_the_environment() -> None:
    text = words(help_text())
    assert (
        "is worktree, a git revision, a folder of entry files, a content LDIF file, or server, "
        "the live directory that the server section of ldifctl.yaml names."
    ) in text
    for variable in ENVIRONMENT:
        assert variable in text
    assert "a folder, an LDIF file, or server." in words(help_text("diff"))
    assert "Old state: a git revision, server, or any other source." in words(help_text("plan"))


def test_validate_has_no_ignored_argument() -> None:
    text = words(help_text("validate"))
    assert "Ignored" not in text
    assert "Files to check: entry files, policy files, ldifctl.yaml. Each must exist;" in text
