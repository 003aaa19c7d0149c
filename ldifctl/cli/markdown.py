"""Plans and drift as Markdown, made to be one pull-request comment that CI keeps updating.

The first line is a hidden marker (`<!-- ldifctl:plan -->`): a CI job finds its earlier
comment by it and edits that comment instead of adding a new one on every push.
"""

from __future__ import annotations

import html
import re

from ldifctl.cli.markdown_parts import change_rows, cut, routing_rows
from ldifctl.cli.mermaid import MAX_ROUTES, flowchart
from ldifctl.cli.report import summary
from ldifctl.mail.address_impact import UNRESOLVED, AddressImpact
from ldifctl.model.changes import Add
from ldifctl.model.errors import printable
from ldifctl.model.findings import Finding
from ldifctl.plan import Plan

# GitHub refuses comments over 65,536 characters, and a comment refused leaves the last
# one standing (a "Ready" of an earlier push): each part gets its share, and the shares
# with the fixed text stay well under it (they summed to 67,000, and a pull request's
# entries could fill every one: tests/cli/test_markdown_limits.py).
MAX_COMMENT = 65_536
MAX_FINDINGS_CHARS = 8_000
MAX_ROUTING_CHARS = 10_000
MAX_FILES_CHARS = 2_000
MAX_PICTURE_CHARS = 8_000
MAX_CHANGES_CHARS = 12_000
MAX_LDIF_CHARS = 15_000
_LEGEND = "Dashed red: a step mail takes only before the change; thick green: only after it."
_APPLY = (
    "After the merge, `ldifctl apply {checksum}` makes the server match: {n} write(s) in "
    "the order above (deletes deepest first, adds parents first), each with its "
    "precondition (value-level deletes, and the Assertion control where the server offers "
    "it), so nothing changed on the server since is overwritten. It stops at the first "
    "failure and writes `report.json`, `remaining.ldif` and `undo.ldif`."
)
_DIFF_APPLY = (
    "This is a diff between two sources: it is not applied as such. `ldifctl apply` makes "
    "the server match the repo's files."
)
_DRIFT_APPLY = (
    "`ldifctl apply` would send these writes to bring the server back to the repo; "
    "`ldifctl drift --write` writes the server's state into the files instead, for review."
)
_DRIFT_NOTE = "The server differs from the repo: the changes below would bring it back."

_REFUSED_NOTE = (
    "**Refused**: the findings below include errors, so this plan must not be applied; "
    "`--format ldif` prints no LDIF for it until they are fixed."
)


def marker(kind: str) -> str:
    return f"<!-- ldifctl:{kind} -->"


def plan_markdown(plan: Plan, kind: str = "plan") -> str:
    """Verdict and findings first, then where mail goes, the changes per entry, the LDIF
    (collapsed) and how it will be applied. Each part is cut to fit at whole rows and
    records, so the comment stays under GitHub's limit."""
    lines = [marker(kind), f"### ldifctl {kind}: {code(plan.base)} → {code(plan.head)}", ""]
    lines += _verdict(plan, kind) + _findings(list(plan.findings))
    if plan.routing:
        lines += _routing(plan)
    if plan.changes:
        lines += _changes(plan) + _ldif(plan) + _applied(plan, kind)
    return "\n".join(lines).rstrip("\n") + "\n"


def _verdict(plan: Plan, kind: str) -> list[str]:
    if not plan.changes and not plan.routing:
        return ["No changes.", ""]
    counts = ", ".join(f"{n} {k}" for k, n in summary(plan.changes).items() if n) or "no entry"
    moved = _moved(plan.routing)
    if plan.refused:
        return [_REFUSED_NOTE, "", f"{counts}{moved}.", ""]
    lines = [f"**Ready**: {counts}{moved}.", ""]
    if kind == "drift":
        lines += [_DRIFT_NOTE, ""]
    return [*lines, f"Checksum: {code(plan.checksum)}", ""] if plan.changes else lines


def _moved(routing: tuple[AddressImpact, ...]) -> str:
    left = sum(i.before == UNRESOLVED for i in routing)
    moved = len(routing) - left
    found = [f"mail to {moved} address(es) routed differently"] if moved else []
    if left:
        found.append(f"{left} address(es) unresolved (their routes cost too much to work out)")
    return "".join(f"; {part}" for part in found)


def _routing(plan: Plan) -> list[str]:
    rows, left = cut(routing_rows(plan.routing), MAX_ROUTING_CHARS)
    lines = ["#### Mail routing", "", "| address | before | after |", "| --- | --- | --- |", *rows]
    if left:
        lines.append(f"| … {left} more address(es) | see `--format json` | |")
    files = sorted({_file(f, plan.base) for i in plan.routing for f in i.files})
    shown, more = cut([code(f) for f in files], MAX_FILES_CHARS)
    if shown:
        tail = f" and {more} more" if more else ""
        lines += ["", "Routes changed by " + ", ".join(shown) + tail + "."]
    return [*lines, "", *_picture(list(plan.routing))]


def _picture(routing: list[AddressImpact]) -> list[str]:
    """The routes of as many addresses as fit (long addresses, many destinations), from
    the first: past the steps a plan keeps (mail/address_impact.py) routes are not drawn."""
    kept = next((k for k, i in enumerate(routing) if not i.steps_kept), len(routing))
    drawn = min(kept, MAX_ROUTES)
    while len(chart := flowchart(routing[:drawn])) > MAX_PICTURE_CHARS and drawn > 1:
        drawn //= 2
    if not drawn or len(chart) > MAX_PICTURE_CHARS:
        return ["(The routes are too long to draw here: see the table.)", ""]
    note = f"The routes of the first {drawn} addresses; " if drawn < len(routing) else ""
    return ["```mermaid", chart.rstrip("\n"), "```", "", f"{note}{_LEGEND}", ""]


def _file(where: str, base: str) -> str:
    """The entry file of `where` (`REV:path:line`, `path:line` or a DN), as either state
    names it."""
    path, _, line = where.removeprefix(f"{base}:").rpartition(":")
    return path if path and line.isdigit() else where


def _changes(plan: Plan) -> list[str]:
    # What happens to existing entries first: cut at the budget, a hundred adds would
    # otherwise hide the one modify that matters.
    first = sorted(plan.changes, key=lambda c: isinstance(c, Add))
    rows, left = cut(change_rows(tuple(first)), MAX_CHANGES_CHARS)
    head = ["| entry | change | attributes and values |", "| --- | --- | --- |"]
    lines = ["#### Changes", "", *head, *rows]
    if left:
        lines.append(f"| … {left} more change(s) | | see the LDIF below |")
    return [*lines, ""]


def _findings(findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    errors = sum(f.severity == "error" for f in findings)
    head = f"**Findings**: {errors} error(s), {len(findings) - errors} warning(s)"
    rows = [
        # The message as code: it quotes values from users, and GitHub makes `@name` a
        # mention, `#1` and `owner/repo#2` references, URLs links, outside code only.
        f"- {'❌' if f.severity == 'error' else '⚠️'} {code(f.where)} "
        f"**{text(f.rule)}** {code(f.message)}"
        for f in findings
    ]
    kept, left = cut(rows, MAX_FINDINGS_CHARS)
    more = [f"- … {left} more: see the job log, or run `ldifctl validate`"] if left else []
    return [head, "", *kept, *more, ""]


def _ldif(plan: Plan) -> list[str]:
    records = [r + "\n" for r in plan.ldif.rstrip("\n").split("\n\n")]
    kept, cut_records = cut(records, MAX_LDIF_CHARS)
    body = "\n".join(kept)
    fence = "`" * max(3, _longest_run(body, "`") + 1)
    lines = [f"<details><summary>LDIF: {len(plan.changes)} change(s)</summary>", ""]
    if kept:  # a first record too long for a comment leaves only the note
        lines += [f"{fence}ldif", body.rstrip("\n"), fence]
    if cut_records:
        lines += [
            "",
            f"… {cut_records} more record(s): see the job log, or run with `--format ldif`.",
        ]
    return [*lines, "", "</details>", ""]


def _applied(plan: Plan, kind: str) -> list[str]:
    if kind == "drift":
        return ["#### How it will be applied", "", _DRIFT_APPLY, ""]
    if kind != "plan":
        return ["#### How it will be applied", "", _DIFF_APPLY, ""]
    if plan.refused:
        return ["#### How it will be applied", "", "Not at all, until the errors are fixed.", ""]
    steps = _APPLY.format(n=len(plan.changes), checksum=code(f"--checksum {plan.checksum}"))
    return ["#### How it will be applied", "", steps, ""]


def _longest_run(body: str, char: str) -> int:
    return max((len(m) for m in re.findall(re.escape(char) + "+", body)), default=0)


def code(value: str) -> str:
    """Inline code that survives backticks in the value (DNs and values come from users),
    on one line: a line break in a file name would end it and start a heading, a list or
    an HTML comment that hides the rest of the comment (model/errors.py `printable`)."""
    value = printable(value)
    ticks = "`" * (_longest_run(value, "`") + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


def text(value: str) -> str:
    """Free text from findings: no HTML and no Markdown structure slips into the comment,
    nor a line break (the values a finding quotes come from users)."""
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", html.escape(printable(value), quote=False))
