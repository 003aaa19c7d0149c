"""Mail commands: `resolve` (where mail to an address goes) and `postfix-maps`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldifctl.cli.common import (
    CHANGES,
    FAILED,
    OK,
    FindingFormat,
    app,
    handles_errors,
    say,
    workspace,
)
from ldifctl.model.errors import LdifctlError
from ldifctl.sources.specs import WORKTREE

if TYPE_CHECKING:  # the routing code is imported by the commands that route
    from ldifctl.mail.routing import Route
    from ldifctl.mail.settings import MailConfig
    from ldifctl.repo.workspace import Workspace


def resolve_address(ws: Workspace, address: str, rev: str) -> Route:
    """The route; what keeps it from being Postfix's (a table missing, a search base that
    is no entry) is said on stderr first."""
    from ldifctl.cache.states import load_whole
    from ldifctl.mail.routing import Router
    from ldifctl.policy import mail_checks
    from ldifctl.policy.check import mail_config

    # The state first: a bad revision or tree gets the answer every command gives it.
    state, mail = load_whole(ws, rev), mail_config(ws)
    if not mail.tables():
        raise LdifctlError(
            "ldifctl.yaml has no mail: tables, so ldifctl cannot route mail as Postfix does: "
            "add Postfix's lookup tables to mail: (README: Mail routing)"
        )
    router = Router(state, mail)
    for problem in mail_checks.missing_bases(mail, router.tree, ws.config.base_dns):
        say(problem.text())
    if not mail.virtual_mailbox_domains:
        say(
            f"ldifctl.yaml:{mail.line}: warning [mail-tables] mail: has no "
            "virtual_mailbox_domains, so no domain counts as hosted here and every final "
            "address is external"
        )
    # Postfix drops the trailing dot of a domain (`bob@h1.test.` is bob@h1.test), as it
    # does in a lookup result (mail/addresses.py).
    return router.resolve(address[:-1] if "@" in address and address.endswith(".") else address)


@app.command()
@handles_errors
def resolve(
    address: Annotated[str, typer.Argument(help="The recipient address, e.g. info@company.com.")],
    rev: Annotated[
        str, typer.Option("--rev", help="A git revision, or `worktree`.")
    ] = WORKTREE,
    output: Annotated[
        FindingFormat, typer.Option("--format", help="text or json")
    ] = FindingFormat.text,
) -> None:
    """Show how mail to ADDRESS is routed, as Postfix would.

    Hop by hop, through the mail: tables of ldifctl.yaml. Exit 0: delivered; 1:
    undeliverable, loop or deferred.
    """
    from ldifctl.mail import route_report

    route = resolve_address(workspace(), address, rev)
    render = route_report.as_json if output is FindingFormat.json else route_report.text
    typer.echo(render(route), nl=False)
    raise typer.Exit(OK if route.delivered else FAILED)


@app.command("postfix-maps")
@handles_errors
def postfix_maps_command(
    output_dir: Annotated[
        Path, typer.Option("--output-dir", help="Where to write the .cf files.")
    ] = Path("postfix"),
    with_password: Annotated[
        bool,
        typer.Option(
            "--with-password",
            help="Write bind_pw (mail.bind_dn's password) from LDIFCTL_POSTFIX_BIND_PASSWORD "
            "or LDIFCTL_POSTFIX_BIND_PASSWORD_FILE.",
        ),
    ] = False,
    group: Annotated[
        str, typer.Option("--group", help="The group Postfix's daemons run as.")
    ] = "postfix",
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            help="Write nothing: compare the deployed DIR/main.cf and its table files with "
            "ldifctl.yaml; exit 3 on any difference.",
        ),
    ] = None,
) -> None:
    """Write Postfix ldap_table(5) files for the mail: tables.

    One file per table of the mail: section (mode 0640, group postfix: readable by
    Postfix's daemons and nobody else); then print the main.cf lines that use them.
    Postfix binds as mail.bind_dn, a read-only account of its own. With --check DIR,
    print each difference between what is deployed in DIR and ldifctl.yaml (bind_pw is
    never compared) and exit 3 if there is any.
    """
    from ldifctl.live import postfix_maps
    from ldifctl.policy.check import mail_config

    ws = workspace()
    mail = mail_config(ws)
    if check is not None:
        _check_deployed(ws, mail, check)
    password = postfix_maps.password_for_maps(ws, mail) if with_password else None
    files = postfix_maps.table_files(ws, mail, output_dir, password)
    for note in postfix_maps.write_files(files, group):
        say(note)
    typer.echo(postfix_maps.main_cf(files, mail), nl=False)


def _check_deployed(ws: Workspace, mail: MailConfig, directory: Path) -> None:
    from ldifctl.live import postfix_check

    found = postfix_check.check(ws, mail, directory)
    for difference in found:
        typer.echo(difference.text())
    say(f"{len(found)} difference(s) between {directory} and ldifctl.yaml" if found
        else f"{directory} deploys what ldifctl.yaml declares")
    raise typer.Exit(CHANGES if found else OK)
