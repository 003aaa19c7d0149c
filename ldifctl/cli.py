"""The command line: parse options, call one logic function, print. Nothing else lives here.

Commands of other areas register themselves on the same app from their own modules
(imported at the bottom of this file).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

# Command modules are imported by the command that needs them: every command starts
# faster (`plan` in pre-commit and CI runs often) by not importing the others' code.
from ldifctl import sources

__all__ = ["app", "main"]

from ldifctl.cli_common import (
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
    print_findings,
    say,
    workspace,
)


@app.command()
@handles_errors
def validate(
    output: Annotated[
        FindingFormat, typer.Option("--format", help="text or json")
    ] = FindingFormat.text,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Ignored: rules span the whole tree.")
    ] = None,
) -> None:
    """Load the working tree and check format, structure and schema rules (pre-commit hook)."""
    from ldifctl import report, validation

    ws = workspace()
    count, findings = validation.validate(ws)
    if output is FindingFormat.json:
        typer.echo(json.dumps([report.finding_json(f) for f in findings], indent=2))
    else:
        print_findings(findings)
    errors = sum(f.severity == "error" for f in findings)
    say(
        f"{count} entries in {ws.display(ws.directory)}: "
        + (f"{errors} error(s)" if errors else "valid")
    )
    raise typer.Exit(FAILED if errors else OK)


@app.command("fmt")
@handles_errors
def fmt_command(
    check: Annotated[
        bool, typer.Option("--check", help="Fail on files not in canonical form; write nothing.")
    ] = False,
    files: Annotated[list[Path] | None, typer.Argument(help="Entry files (default: all).")] = None,
) -> None:
    """Rewrite entry files in canonical form, keeping comments."""
    from ldifctl import fmt

    ws = workspace()
    paths = files or fmt.entry_files(ws)
    changed = fmt.format_files([p for p in paths if p.suffix == ".yaml"], ws.root, ws.schema, check)
    for path in changed:
        say(f"{ws.display(path)}: {'not canonical' if check else 'reformatted'}")
    if check and changed:
        say("run `ldifctl fmt` to fix")
        raise typer.Exit(FAILED)


@app.command()
@handles_errors
def plan(
    base: Annotated[str, typer.Option(help="Old state: a git revision.")] = "HEAD",
    head: Annotated[
        str, typer.Option(help="New state: a revision, or `worktree`.")
    ] = sources.WORKTREE,
    output: FormatOption = PlanFormat.ldif,
    detailed_exitcode: DetailedOption = False,
    exact_case: ExactOption = False,
) -> None:
    """The change set from BASE to HEAD as LDIF change records (default HEAD -> working tree)."""
    from ldifctl import plan as planmod

    emit_plan(planmod.plan(workspace(), base, head, exact_case), output, detailed_exitcode)


@app.command()
@handles_errors
def diff(
    old: Annotated[str, typer.Argument(help="A revision, `worktree`, a folder or an LDIF file.")],
    new: Annotated[str, typer.Argument(help="A revision, `worktree`, a folder or an LDIF file.")],
    output: FormatOption = PlanFormat.ldif,
    detailed_exitcode: DetailedOption = False,
    exact_case: ExactOption = False,
) -> None:
    """The change set between any two sources."""
    from ldifctl import plan as planmod

    emit_plan(planmod.plan(workspace(), old, new, exact_case), output, detailed_exitcode)


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
    """Write directory/ from an LDIF file or the server (userPassword is never written)."""
    if (from_ldif is not None) == from_server:
        say("give one of --from-ldif FILE and --from-server")
        raise typer.Exit(USAGE)
    from ldifctl import importer, server_source

    ws = workspace()
    source = (
        server_source.for_import(ws) if from_ldif is None else sources.load_ldif_file(ws, from_ldif)
    )
    result = importer.import_snapshot(ws, source, prune)
    for dn in result.outside_base:
        say(f"skipped {dn}: outside base_dn")
    if result.dropped_secrets:
        say(
            f"not written: userPassword of {result.dropped_secrets} entries "
            "(secrets stay out of git)"
        )
    say(
        f"{len(result.written)} files written, {result.unchanged} unchanged, "
        f"{len(result.removed)} removed in {ws.display(ws.directory)}"
    )


@app.command("export")
@handles_errors
def export_command(
    rev: Annotated[
        str, typer.Option("--rev", help="A git revision, or `worktree`.")
    ] = sources.WORKTREE,
) -> None:
    """The whole directory as content LDIF (for slapadd / ldapadd)."""
    from ldifctl import export

    typer.echo(export.export_ldif(sources.load(workspace(), rev)), nl=False)


# Command modules of other areas; each registers its commands on `app` when imported.
# (one import per line, so parallel edits do not collide)
import ldifctl.cli_live  # noqa: F401,E402
from ldifctl import cli_mail  # noqa: F401,E402


def main() -> None:
    try:
        app(prog_name="ldifctl")
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    # Skip the interpreter's teardown: it frees every object one by one, 0.3 s after a
    # state of 100k entries was loaded, for a process about to end. The output is flushed
    # here; every file ldifctl writes is closed when written, and a git or ldapsearch
    # child sees its pipes close as the process ends.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (`ldifctl plan | head`)
            stream.flush()
    os._exit(code)


def _exit_code(code: object) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)  # what Python does with `sys.exit("message")`
    return 1


if __name__ == "__main__":
    main()
