"""What every command shares: the Typer app, exit codes, error handling, output helpers."""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ldifctl import __version__
from ldifctl.model.errors import LdifctlError, clipped, printable
from ldifctl.model.findings import Finding
from ldifctl.repo.settings import secrets
from ldifctl.repo.workspace import Workspace, open_workspace

if TYPE_CHECKING:
    from ldifctl.plan import Plan

# Exit codes, the same for every command (DESIGN §4).
OK, FAILED, USAGE, CHANGES = 0, 1, 2, 3

HELP = """An LDAP mail directory as code: YAML entries in git, compiled to LDIF.

A source (plan --base/--head, diff OLD NEW, --rev) is `worktree`, a git revision, a folder
of entry files, a content LDIF file, or `server`, the live directory that the server
section of ldifctl.yaml names. A name that is both a git revision and a file or folder is
the revision, except to `diff`, which refuses it: write ./NAME for the path, and
NAME^{commit} for the revision.

Environment: LDIFCTL_URI and LDIFCTL_BIND_DN override server.uri and server.bind_dn; the
bind password comes only from LDIFCTL_BIND_PASSWORD, or from the file named by
LDIFCTL_BIND_PASSWORD_FILE.

Exit codes: 0 ok / in sync, 1 findings or failure, 2 usage error, 3 changes present."""

app = typer.Typer(
    name="ldifctl",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    # Help text as Markdown: a paragraph's line breaks are not kept (they are in "rich").
    rich_markup_mode="markdown",
)

F = TypeVar("F", bound=Callable[..., Any])


class PlanFormat(StrEnum):
    ldif = "ldif"
    json = "json"
    markdown = "markdown"


class FindingFormat(StrEnum):
    text = "text"
    json = "json"


def say(message: str) -> None:
    """One line on stderr, which people read (stdout carries data: LDIF, JSON). What a
    message quotes is shown escaped where it is no printable text (bytes that are not
    UTF-8, a line break or an escape in a file name, a DN or a value): nothing from the
    repo starts a line of its own or rewrites one (model/errors.py `printable`), nor fills
    the log with one (`clipped`)."""
    typer.echo(clipped(printable(message)), err=True)


def handles_errors(command: F) -> F:
    """A user error becomes one line on stderr and exit 1; no traceback, no locals."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with secrets.withheld():  # no child may inherit the bind password
                return command(*args, **kwargs)
        except LdifctlError as err:
            print_error(err)
            raise typer.Exit(FAILED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as err:
            if os.environ.get("LDIFCTL_DEBUG"):
                traceback.print_exc()
            say(
                f"unexpected error ({type(err).__name__}): {err}; rerun with LDIFCTL_DEBUG=1 "
                "and report it"
            )
            raise typer.Exit(FAILED) from None

    return wrapper  # type: ignore[return-value]


def print_error(err: LdifctlError) -> None:
    """An error per line: each begins `error: `, whatever the messages quote."""
    for line in str(err).split("\n"):
        say(f"error: {line}")


def workspace() -> Workspace:
    ws = open_workspace(Path.cwd())
    for warning in ws.config.warnings:
        say(f"warning: {warning}")
    return ws


def print_findings(findings: list[Finding] | tuple[Finding, ...]) -> None:
    for finding in findings:
        say(finding.text())


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"ldifctl {__version__}")
        raise typer.Exit(OK)


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Options before the command (ldifctl's help is HELP above)."""


def render_plan(plan: Plan, output: PlanFormat, kind: str = "plan") -> str:
    """The plan in `output`'s format. A refused plan has no LDIF (`plan | ldapmodify` must
    never send it); its JSON and Markdown show it whole, marked refused."""
    if output is PlanFormat.json:
        from ldifctl.cli import report

        return report.plan_json(plan)
    if output is PlanFormat.markdown:
        from ldifctl.cli import markdown  # and html, Mermaid: only for a comment

        return markdown.plan_markdown(plan, kind)
    return "" if plan.refused else plan.ldif


def say_summary(plan: Plan) -> None:
    """The summary line, then one line per address whose routing the plan moves."""
    from ldifctl.cli import report

    say(report.summary_line(plan))
    for impact in plan.routing:
        say(impact.line())


def emit_plan(
    plan: Plan, output: PlanFormat, detailed_exitcode: bool, kind: str = "plan"
) -> None:

    typer.echo(render_plan(plan, output, kind), nl=False)
    print_findings(plan.findings)
    say_summary(plan)
    if plan.refused:
        errors = sum(f.severity == "error" for f in plan.findings)
        say(
            f"refused: {errors} error(s) above, so no LDIF is printed; fix them first "
            "(--format json or markdown shows the refused plan)"
        )
        raise typer.Exit(FAILED)
    raise typer.Exit(CHANGES if detailed_exitcode and plan.changes else OK)


FormatOption = Annotated[
    PlanFormat, typer.Option("--format", help="ldif, json, or markdown (a PR comment)")
]
DetailedOption = Annotated[
    bool, typer.Option("--detailed-exitcode", help="Exit 3 when there are changes.")
]
ExactOption = Annotated[
    bool, typer.Option("--exact-case", help="Treat case-only value changes as changes.")
]
