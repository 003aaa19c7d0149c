"""The commands on the repo and its states: `validate`, `fmt`, `plan`, `diff`, `import`,
`export`. Each parses its options, calls one logic function and prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldifctl.cli.common import (
    FAILED,
    OK,
    USAGE,
    DetailedOption,
    ExactOption,
    FindingFormat,
    FormatOption,
    PlanFormat,
    app,
    emit_plan,
    handles_errors,
    print_error,
    print_findings,
    say,
    workspace,
)
from ldifctl.model.errors import LdifctlError
from ldifctl.repo.workspace import Workspace
from ldifctl.sources.load import load_ldif_file
from ldifctl.sources.specs import WORKTREE, refuse_ambiguous

if TYPE_CHECKING:
    from ldifctl.sources.site_types import UnknownType


@app.command()
@handles_errors
def validate(
    output: Annotated[
        FindingFormat, typer.Option("--format", help="text or json")
    ] = FindingFormat.text,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to check: entry files, policy files, ldifctl.yaml. Each must exist; "
            "the whole tree is checked either way, since the rules span it.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the working tree: files, schema, mail policies.

    Every file loads, the structure and schema rules hold and the mail policies pass, for
    the whole tree; every broken file is reported at once. It is the pre-commit hook
    `ldifctl-validate`.
    """
    from ldifctl import validation
    from ldifctl.cli import report
    from ldifctl.repo import path_args

    ws = workspace()
    path_args.checked_files(ws, files or [])
    try:
        count, findings = validation.validate(ws)
    except LdifctlError as err:
        print_error(err)
        _note_unstaged(ws, str(err).splitlines())
        raise typer.Exit(FAILED) from None
    if output is FindingFormat.json:
        typer.echo(json.dumps([report.finding_json(f) for f in findings], indent=2))
    else:
        print_findings(findings)
    errors = [f for f in findings if f.severity == "error"]
    say(
        f"{count} entries in {ws.display(ws.directory)}: "
        + (f"{len(errors)} error(s)" if errors else "valid")
    )
    _note_unstaged(ws, [f.where for f in errors])
    raise typer.Exit(FAILED if errors else OK)


def _note_unstaged(ws: Workspace, errors: list[str]) -> None:
    if errors and ws.environ.get("PRE_COMMIT") == "1":  # set by pre-commit for its hooks
        from ldifctl.repo.uncommitted import unstaged_notes

        for note in unstaged_notes(ws, errors):
            say(note)


@app.command("fmt")
@handles_errors
def fmt_command(
    check: Annotated[
        bool, typer.Option("--check", help="Fail on files not in canonical form; write nothing.")
    ] = False,
    files: Annotated[list[Path] | None, typer.Argument(help="Entry files (default: all).")] = None,
) -> None:
    """Rewrite entry files in canonical form, keeping comments."""
    from ldifctl.repo import fmt, path_args

    ws = workspace()
    paths = path_args.entry_files(ws, files) if files else fmt.entry_files(ws)
    changed = fmt.format_files(paths, ws.root, ws.schema, check)
    for path in changed:
        say(f"{ws.display(path)}: {'not canonical' if check else 'reformatted'}")
    if check and changed:
        say("run `ldifctl fmt` to fix")
        raise typer.Exit(FAILED)


SOURCE_HELP = "A source: `worktree`, a git revision, a folder, an LDIF file, or `server`."


@app.command()
@handles_errors
def plan(
    base: Annotated[
        str, typer.Option(help="Old state: a git revision, `server`, or any other source.")
    ] = "HEAD",
    head: Annotated[
        str, typer.Option(help="New state: `worktree`, a git revision, or any other source.")
    ] = WORKTREE,
    output: FormatOption = PlanFormat.ldif,
    detailed_exitcode: DetailedOption = False,
    exact_case: ExactOption = False,
) -> None:
    """Show the change set between two revisions as LDIF.

    From BASE (default HEAD) to HEAD (default the working tree), with the policy findings
    of the head. A plan refused by an error prints no LDIF. A git revision wins over a file
    or folder of the same name (a pull request's folder `HEAD/` is no revision).
    """
    from ldifctl import plan as planmod

    emit_plan(planmod.plan(workspace(), base, head, exact_case), output, detailed_exitcode)


@app.command()
@handles_errors
def diff(
    old: Annotated[str, typer.Argument(help=SOURCE_HELP)],
    new: Annotated[str, typer.Argument(help=SOURCE_HELP)],
    output: FormatOption = PlanFormat.ldif,
    detailed_exitcode: DetailedOption = False,
    exact_case: ExactOption = False,
) -> None:
    """Show the change set between any two sources as LDIF.

    A name that is both a file or folder and a git revision is an error: write ./NAME for
    the path, NAME^{commit} for the revision.
    """
    from ldifctl import plan as planmod

    ws = workspace()
    for spec in (old, new):
        refuse_ambiguous(ws, spec)
    emit_plan(planmod.plan(ws, old, new, exact_case), output, detailed_exitcode, "diff")


@app.command("import")
@handles_errors
def import_command(
    from_ldif: Annotated[
        Path | None, typer.Option("--from-ldif", help="Content LDIF file to import.")
    ] = None,
    from_server: Annotated[
        bool, typer.Option("--from-server", help="Read the server of ldifctl.yaml instead.")
    ] = False,
    prune: Annotated[
        bool, typer.Option(help="Remove entry files the source does not have.")
    ] = False,
) -> None:
    """Write directory/ from an LDIF file or from the server.

    userPassword is never written: a note says of how many entries it was left out.
    """
    if (from_ldif is not None) == from_server:
        say("give one of --from-ldif FILE and --from-server")
        raise typer.Exit(USAGE)
    from ldifctl.sources import importer, secret_names

    ws = workspace()
    if from_ldif is None:
        from ldifctl.sources import server as server_source  # python-ldap: only here

        # dropped and skipped as the server was read
        source, dropped, skipped, subschema = server_source.for_import(ws)
    else:
        source, dropped, skipped, subschema = load_ldif_file(ws, from_ldif), 0, (), None
    result = importer.import_snapshot(ws, source, prune)
    for masked in sorted({*skipped, *result.secret_named}):
        say(secret_names.skipped_note(masked))
    for dn in result.outside_base:
        say(f"skipped {dn}: outside base_dn")
    if result.dropped_secrets + dropped:
        say(
            f"not written: userPassword of {result.dropped_secrets + dropped} entries "
            "(secrets stay out of git)"
        )
    say(
        f"{len(result.written)} files written, {result.unchanged} unchanged, "
        f"{len(result.removed)} removed in {ws.display(ws.directory)}"
    )
    for line in _site_type_notes(result.unknown_types, subschema):
        say(line)


def _site_type_notes(
    found: list[UnknownType], subschema: dict[str, list[bytes]] | str | None
) -> list[str]:
    """What to declare for the types validate will refuse; from the server, with the rules
    its schema (read by the import) gives them. The files are written: a schema that could
    not be read is a note."""
    from ldifctl.sources import site_types

    if not found or subschema is None:
        return site_types.ldif_notes(found)
    if isinstance(subschema, str):
        return site_types.unread_notes(found, f"the server's schema was not read ({subschema})")
    from ldifctl.sources import server_schema

    names = [t.name for t in site_types.listed(found)]
    return site_types.server_notes(found, server_schema.from_subschema(subschema, names))


@app.command("export")
@handles_errors
def export_command(
    rev: Annotated[
        str, typer.Option("--rev", help="`worktree`, a git revision, or `server`.")
    ] = WORKTREE,
) -> None:
    """Print the whole directory as content LDIF.

    Parents first, for slapadd or ldapadd.
    """
    from ldifctl.cache.states import load_whole
    from ldifctl.sources import export

    snapshot = load_whole(workspace(), rev)
    try:
        for piece in export.export_pieces(snapshot):
            typer.echo(piece, nl=False)
    except BrokenPipeError:
        return  # the reader stopped reading (`| head`): it had what it wanted
