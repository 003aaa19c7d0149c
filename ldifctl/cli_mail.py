"""Mail commands: `resolve` (where mail to an address goes) and `postfix-maps`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldifctl import sources
from ldifctl.cli_common import FAILED, OK, FindingFormat, app, handles_errors, say, workspace

if TYPE_CHECKING:  # the routing code is imported by the commands that route
    from ldifctl.routing import Route
    from ldifctl.workspace import Workspace


def resolve_address(ws: Workspace, address: str, rev: str) -> Route:
    from ldifctl.policy_check import mail_config
    from ldifctl.routing import Router

    return Router(sources.load(ws, rev), mail_config(ws)).resolve(address)


@app.command()
@handles_errors
def resolve(
    address: Annotated[str, typer.Argument(help="The recipient address, e.g. info@company.com.")],
    rev: Annotated[
        str, typer.Option("--rev", help="A git revision, or `worktree`.")
    ] = sources.WORKTREE,
    output: Annotated[
        FindingFormat, typer.Option("--format", help="text or json")
    ] = FindingFormat.text,
) -> None:
    """Show how mail to ADDRESS is routed, as Postfix would.

    Hop by hop, through the mail: tables of ldifctl.yaml. Exit 0: delivered; 1:
    undeliverable, loop or deferred.
    """
    from ldifctl import route_report

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
            help="Write bind_pw from LDIFCTL_BIND_PASSWORD or LDIFCTL_BIND_PASSWORD_FILE.",
        ),
    ] = False,
) -> None:
    """Write Postfix ldap_table(5) files for the mail: tables.

    One file per table of the mail: section (mode 0600); then print the main.cf lines
    that use them.
    """
    from ldifctl import postfix_maps
    from ldifctl.policy_check import mail_config

    ws = workspace()
    password = postfix_maps.password_for_maps(ws) if with_password else None
    files = postfix_maps.table_files(ws, mail_config(ws), output_dir, password)
    for table_file in files:
        postfix_maps.write_private(table_file.path, table_file.text)
        say(f"wrote {table_file.path}")
    if ws.config.server.bind_dn and password is None:
        say(
            f"note: bind_pw is a placeholder ({postfix_maps.PLACEHOLDER}): rerun with "
            "--with-password, or set it in the files on the mail server"
        )
    typer.echo(postfix_maps.main_cf(files), nl=False)
