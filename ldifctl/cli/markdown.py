"""Plans and drift as Markdown, made to be one pull-request comment that CI keeps updating.

The first line is a hidden marker (`<!-- ldifctl:plan -->`): a CI job finds its earlier
comment by it and edits that comment instead of adding a new one on every push.
"""

from __future__ import annotations

import html
import re

from ldifctl.cli.report import summary
from ldifctl.model.findings import Finding
from ldifctl.plan import Plan

# GitHub refuses comments over 65,536 characters; leave room for the rest of the comment.
MAX_LDIF_CHARS = 50_000
_DRIFT_NOTE = (
    "The server differs from the repo. The LDIF below would bring the server back to the "
    "repo (`ldifctl apply`); `ldifctl drift --write` adopts the server's state in the files "
    "instead."
)

_REFUSED_NOTE = (
    "**Refused**: the findings below include errors, so this plan must not be applied; "
    "`--format ldif` prints no LDIF for it until they are fixed."
)


def marker(kind: str) -> str:
    return f"<!-- ldifctl:{kind} -->"


def plan_markdown(plan: Plan, kind: str = "plan") -> str:
    lines = [marker(kind), f"### ldifctl {kind}: {code(plan.base)} → {code(plan.head)}", ""]
    if kind == "drift" and plan.changes:
        lines += [_DRIFT_NOTE, ""]
    if plan.refused:
        lines += [_REFUSED_NOTE, ""]
    lines += _counts(plan) + _findings(list(plan.findings)) + _ldif(plan)
    return "\n".join(lines) + "\n"


def _counts(plan: Plan) -> list[str]:
    if not plan.changes:
        return ["No changes.", ""]
    counts = summary(plan.changes)
    return [
        "| " + " | ".join(counts) + " |",
        "| " + " | ".join("---:" for _ in counts) + " |",
        "| " + " | ".join(str(n) for n in counts.values()) + " |",
        "",
        f"Checksum: {code(plan.checksum)}",
        "",
    ]


def _findings(findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    errors = sum(f.severity == "error" for f in findings)
    head = f"**Findings**: {errors} error(s), {len(findings) - errors} warning(s)"
    rows = [
        f"- {'❌' if f.severity == 'error' else '⚠️'} {code(f.where)} "
        f"**{text(f.rule)}** {text(f.message)}"
        for f in findings
    ]
    return [head, "", *rows, ""]


def _ldif(plan: Plan) -> list[str]:
    if not plan.changes:
        return []
    body, cut = _truncated(plan.ldif)
    fence = "`" * max(3, _longest_run(body, "`") + 1)
    lines = [f"<details><summary>LDIF: {len(plan.changes)} change(s)</summary>", ""]
    lines += [f"{fence}ldif", body.rstrip("\n"), fence]
    if cut:
        lines += ["", f"… {cut} more line(s): see the job log, or run with `--format ldif`."]
    return [*lines, "", "</details>"]


def _truncated(ldif: str) -> tuple[str, int]:
    if len(ldif) <= MAX_LDIF_CHARS:
        return ldif, 0
    kept = ldif[:MAX_LDIF_CHARS].rsplit("\n", 1)[0]
    return kept, ldif.count("\n") - kept.count("\n") - 1


def _longest_run(body: str, char: str) -> int:
    return max((len(m) for m in re.findall(re.escape(char) + "+", body)), default=0)


def code(value: str) -> str:
    """Inline code that survives backticks in the value (DNs and values come from users)."""
    ticks = "`" * (_longest_run(value, "`") + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


def text(value: str) -> str:
    """Free text from findings: no HTML and no Markdown structure slips into the comment."""
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", html.escape(value, quote=False))
