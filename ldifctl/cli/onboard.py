"""`init`: a new directory repo, from a running mail setup or a starter."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ldifctl.cli.common import app, handles_errors, say


class Setup(StrEnum):
    postfix_book = "postfix-book"
    ds389 = "389-ds"


@app.command()
@handles_errors
def init(
    from_postfix: Annotated[
        Path | None,
        typer.Option(
            "--from-postfix",
            help="A Postfix configuration folder (holding main.cf), e.g. /etc/postfix.",
        ),
    ] = None,
    setup: Annotated[
        Setup, typer.Option("--setup", help="The starter without --from-postfix.")
    ] = Setup.postfix_book,
) -> None:
    """Start a new directory repo here.

    Writes ldifctl.yaml, policies/, .pre-commit-config.yaml and .gitignore. With
    --from-postfix DIR, ldifctl.yaml is made from DIR/main.cf and the ldap: tables it
    names for virtual_mailbox_domains, virtual_mailbox_maps and virtual_alias_maps (bind_pw
    is never copied); without it, a commented starter for --setup. Never overwrites a file.
    """
    from ldifctl.repo import new_repo

    root = Path.cwd()
    repo = new_repo.new_repo(root, from_postfix, setup.value)
    new_repo.write_new_repo(root, repo)
    for warning in repo.warnings:
        say(f"warning: {warning}")
    for name in repo.files:
        say(f"wrote {name}")
    say("next:")
    for command in new_repo.next_commands(root):
        typer.echo(f"  {command}")
