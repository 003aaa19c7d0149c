"""Plans and findings as data (JSON) and as text for people."""

from __future__ import annotations

import base64
import json
from collections import Counter
from typing import Any

from ldifctl.mail.address_impact import AddressImpact, Outcome
from ldifctl.model.changes import Add, Change, Delete, Mod, Modify, ModRdn, kind
from ldifctl.model.findings import Finding
from ldifctl.model.snapshot import Values
from ldifctl.plan import Plan


def value_json(value: bytes) -> str | dict[str, str]:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(value).decode()}


def _values(values: Values) -> list[str | dict[str, str]]:
    return [value_json(v) for v in values]


def change_json(change: Change) -> dict[str, Any]:
    out: dict[str, Any] = {"changetype": kind(change), "dn": change.dn}
    if isinstance(change, Add):
        out["attributes"] = {name: _values(values) for name, values in change.attrs}
    elif isinstance(change, Modify):
        out["mods"] = [_mod_json(m) for m in change.mods]
    elif isinstance(change, ModRdn):
        out.update(
            newrdn=change.new_rdn,
            deleteoldrdn=change.delete_old_rdn,
            newsuperior=change.new_superior,
            new_dn=change.new_dn,
        )
    elif isinstance(change, Delete):
        out["old_attributes"] = {name: _values(values) for name, values in change.old}
    return out


def _mod_json(mod: Mod) -> dict[str, Any]:
    out: dict[str, Any] = {"op": mod.op, "attribute": mod.attr, "values": _values(mod.values)}
    if mod.op == "replace":  # what the replace overwrites: the checksum covers it
        out["old_values"] = _values(mod.old)
    return out


def finding_json(finding: Finding) -> dict[str, str]:
    return {
        "where": finding.where,
        "rule": finding.rule,
        "severity": finding.severity,
        "dn": finding.dn,
        "message": finding.message,
    }


def summary(changes: tuple[Change, ...] | list[Change]) -> dict[str, int]:
    counts = Counter(kind(c) for c in changes)
    return {k: counts.get(k, 0) for k in ("add", "modify", "modrdn", "delete")}


def plan_json(plan: Plan) -> str:
    data = {
        "base": plan.base,
        "head": plan.head,
        "checksum": plan.checksum,
        "refused": plan.refused,
        "summary": summary(plan.changes),
        "changes": [change_json(c) for c in plan.changes],
        "findings": [finding_json(f) for f in plan.findings],
        "routing": [impact_json(i) for i in plan.routing],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def summary_line(plan: Plan) -> str:
    counts = summary(plan.changes)
    if not plan.changes:
        return f"{plan.base} -> {plan.head}: no changes"
    parts = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    return f"{plan.base} -> {plan.head}: {parts} ({plan.checksum})"


def impact_json(impact: AddressImpact) -> dict[str, Any]:
    """DESIGN §8: the words and order of `resolve --format json`."""
    return {
        "address": impact.address,
        "before": outcome_json(impact.before),
        "after": outcome_json(impact.after),
    }


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    found = [{"address": a, "kind": k} for a, k in outcome.destinations]
    return {"status": outcome.status, "destinations": found}
