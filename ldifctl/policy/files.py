"""Policy files (`policies/*.yaml`): which rules run, how severe, with which parameters.

Declarative only: a file names rules and gives them data (names, regular expressions, LDAP
filters), never code. Files merge in file-name order and a later key wins, parameter by
parameter, so a site file can lower one severity without repeating the rest. Built-in
rules are on (`error`) unless a file says otherwise; an unknown rule id, parameter or
value is an error at its line.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ldifctl.policy import params as policy_params
from ldifctl.policy.params import Value
from ldifctl.repo.yamlio.document import Document, KeyPath, Plain, load_document
from ldifctl.repo.yamlio.nodes import Budget

SEVERITIES = ("error", "warning", "off")
TOP_KEYS = ("rules", "custom")
# Built-in rules and their parameters (with the default values).
BUILTIN: dict[str, dict[str, Value]] = {
    "no-self-forward": {},
    "unique-aliases": {},
    "no-forward-loops": {},
    "dangling-forward": {},
    "hosted-domain": {},
    "forbidden-attributes": {"attributes": ("userPassword",)},
    "required-attributes": {
        "object_classes": {
            "PostfixBookMailAccount": ("mail",),
            "PostfixBookMailForward": ("mail", "mailAlias"),
        }
    },
    # Empty: the attributes the mail tables read addresses from (see address_rule.py).
    "address-syntax": {"attributes": ()},
}
CUSTOM_KINDS = {
    "pattern": ("attribute", "pattern", "filter", "base", "message"),
    "unique": ("attribute", "filter", "base", "message"),
}
_CUSTOM_REQUIRED = {"pattern": ("attribute", "pattern"), "unique": ("attribute",)}
# Every custom rule reads every entry: the bound keeps the work of a pull request's policy
# files a small multiple of the built-in rules' (1,000 rules took 37 s at 10k entries).
MAX_CUSTOM_RULES = 64


@dataclass
class RuleSetting:
    id: str
    severity: str = "error"
    params: dict[str, Value] = field(default_factory=dict)
    kind: str = ""  # for custom rules: pattern or unique


@dataclass(frozen=True)
class Policies:
    rules: Mapping[str, RuleSetting]
    digest: str  # of every file's name and content: equal digests mean equal policies

    def active(self) -> list[RuleSetting]:
        return [r for _, r in sorted(self.rules.items()) if r.severity != "off"]


def defaults() -> dict[str, RuleSetting]:
    return {rule: RuleSetting(rule, params=dict(params)) for rule, params in BUILTIN.items()}


@dataclass(frozen=True)
class PolicySource:
    """Policy files as read, not parsed yet: their digest names them in the caches' keys,
    and they are parsed only when a state is judged (an answer from the cache parses
    nothing, and a change's own policy files are never parsed by `plan`)."""

    files: tuple[tuple[str, bytes], ...]  # (name to show, content), in file-name order

    @functools.cached_property
    def digest(self) -> str:
        return policy_digest(self.files)

    @functools.cached_property
    def policies(self) -> Policies:
        return load_policies(self.files)


def load_policies(files: Sequence[tuple[str, bytes]]) -> Policies:
    """Merge policy files given as (name to show, content), already in file-name order."""
    rules, budget = defaults(), Budget()
    for name, data in files:
        _merge(load_document(data, name, budget), rules)
    return Policies(rules, policy_digest(files))


def policy_digest(files: Sequence[tuple[str, bytes]]) -> str:
    """What `Policies.digest` is for these files, without reading them as YAML."""
    digest = hashlib.sha256()
    for name, data in files:
        base = posixpath.basename(name)  # the same file shown as HEAD:x or x
        digest.update(f"{len(base)}:{base}{len(data)}:".encode() + data)
    return digest.hexdigest()


def _merge(doc: Document, rules: dict[str, RuleSetting]) -> None:
    top = _mapping(doc, (), "a policy file", TOP_KEYS)
    custom = _mapping(doc, ("custom",), "custom", None) if "custom" in top else {}
    for rule_id in custom:
        _merge_custom(doc, rule_id, rules)
    for rule_id in _mapping(doc, ("rules",), "rules", None) if "rules" in top else {}:
        _merge_rule(doc, rule_id, rules)


def _mapping(
    doc: Document, path: KeyPath, what: str, allowed: tuple[str, ...] | None
) -> dict[str, Plain]:
    value: Plain = doc.value
    for key in path:
        value = value.get(str(key)) if isinstance(value, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise doc.error(path, f"{what} must be a mapping")
    for key in value:
        if allowed is not None and key not in allowed:
            raise doc.error((*path, key), _unknown("key", key, what, allowed))
    return value


def _unknown(noun: str, name: str, where: str, allowed: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(name, list(allowed), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {noun} {name!r} in {where}{hint}: use one of {', '.join(sorted(allowed))}"


def _merge_rule(doc: Document, rule_id: str, rules: dict[str, RuleSetting]) -> None:
    path: KeyPath = ("rules", rule_id)
    if rule_id not in rules:
        raise doc.error(path, _unknown("rule id", rule_id, "rules", list(rules)))
    setting = rules[rule_id]
    allowed = CUSTOM_KINDS[setting.kind] if setting.kind else tuple(BUILTIN[rule_id])
    _apply(doc, path, setting, allowed)


def _merge_custom(doc: Document, rule_id: str, rules: dict[str, RuleSetting]) -> None:
    path: KeyPath = ("custom", rule_id)
    if rule_id in BUILTIN:
        raise doc.error(
            path, f"custom rule {rule_id!r} has the id of a built-in rule: give it another name"
        )
    body = _mapping(doc, path, f"custom.{rule_id}", ("kind", "severity", *CUSTOM_KINDS["pattern"]))
    previous = rules.get(rule_id)
    if previous is None and sum(1 for r in rules.values() if r.kind) >= MAX_CUSTOM_RULES:
        raise doc.error(
            path,
            f"custom.{rule_id}: more than {MAX_CUSTOM_RULES} custom rules: each runs over "
            "every entry, so a policy file of thousands would keep `validate` busy for "
            "hours; merge rules that check one attribute (one pattern can say `a|b`)",
        )
    kind = _kind(doc, path, body, previous.kind if previous else None)
    setting = previous or RuleSetting(rule_id, kind=kind)
    _apply(doc, path, setting, CUSTOM_KINDS[kind], skip=("kind",))
    for name in _CUSTOM_REQUIRED[kind]:
        if name not in setting.params:
            raise doc.error(path, f"custom.{rule_id}: {name} is missing: add it")
    rules[rule_id] = setting


def _kind(doc: Document, path: KeyPath, body: dict[str, Plain], before: str | None) -> str:
    kind = body.get("kind", before)
    if kind not in CUSTOM_KINDS:
        raise doc.error(
            (*path, "kind"),
            f"custom.{path[1]}.kind must be one of {', '.join(CUSTOM_KINDS)}, got {kind!r}",
        )
    if before is not None and kind != before:
        raise doc.error(
            (*path, "kind"),
            f"custom.{path[1]} was a {before} rule in an earlier "
            "file: a later file may change its parameters, not its kind",
        )
    return str(kind)


def _apply(
    doc: Document,
    path: KeyPath,
    setting: RuleSetting,
    allowed: tuple[str, ...],
    skip: tuple[str, ...] = (),
) -> None:
    """Set severity and parameters from `rule-id: error` or `rule-id: {severity: ...}`."""
    value = _lookup(doc, path)
    if isinstance(value, str) or value is None:
        setting.severity = _severity(doc, path, value)
        return
    if not isinstance(value, dict):
        raise doc.error(path, f"{path[0]}.{path[1]} must be a severity or a mapping")
    for key in value:
        if key in skip:
            continue
        if key == "severity":
            setting.severity = _severity(doc, (*path, key), value[key])
        elif key in allowed:
            setting.params[key] = policy_params.check(doc, (*path, key), key, value[key])
        else:
            where = f"{path[0]}.{path[1]}"
            raise doc.error((*path, key), _unknown("parameter", key, where, ("severity", *allowed)))


def _lookup(doc: Document, path: KeyPath) -> Plain:
    value: Plain = doc.value
    for key in path:
        assert isinstance(value, dict)
        value = value[str(key)]
    return value


def _severity(doc: Document, path: KeyPath, value: Plain) -> str:
    if value not in SEVERITIES:
        shown = "nothing" if value is None else repr(value) if isinstance(value, str) else "a list"
        raise doc.error(path, f"severity must be error, warning or off, got {shown}")
    return str(value)
