"""Rules about single entries and values: forbidden and required attributes, and the
declarative custom rules (a value matches a pattern; a value is unique in a subtree).
Address syntax is address_rule.py's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ldifctl.mail.columns.attributes import holding, lacking
from ldifctl.mail.ldap_filter import Filter
from ldifctl.mail.ldap_match import compile_filter
from ldifctl.mail.tree import Node, Tree
from ldifctl.model import dn as dnmod
from ldifctl.model.errors import quoted
from ldifctl.model.findings import MAX_NAMED, Finding, named_others
from ldifctl.model.schema import Schema
from ldifctl.policy import params
from ldifctl.policy.files import RuleSetting
from ldifctl.policy.linear_regex import LinearPattern
from ldifctl.policy.pattern_budget import PatternBudget
from ldifctl.policy.routing_rules import finding


def forbidden_attributes(tree: Tree, setting: RuleSetting) -> list[Finding]:
    """An entry holding an attribute that must not be in the repo, by type (an option or
    the OID is the same type)."""
    names = [tree.schema.attribute(a).name for a in params.names(setting.params["attributes"])]
    return [
        finding(
            setting,
            node,
            _as_written(node, name, tree.schema),
            f"{name} must not be in the directory repository: "
            "remove it (keep it on the server only)",
        )
        for name in names
        for node in holding(tree, name)
    ]


def _as_written(node: Node, name: str, schema: Schema) -> str:
    """The entry's own description of type `name` (`userPassword;lang-en`), for its line."""
    wanted = schema.type_key(name)
    return next((n for n in node.entry.attrs if schema.type_key(n) == wanted), name)


def required_attributes(tree: Tree, setting: RuleSetting) -> list[Finding]:
    """An entry of an object class (or of a subclass) that lacks an attribute the class
    needs."""
    needs = params.classes(setting.params["object_classes"])
    return [
        finding(setting, node, "objectClass", f"an entry of class {cls} needs {name}: add it")
        for cls, name, node in lacking(tree, needs)
    ]


def custom_pattern(tree: Tree, setting: RuleSetting) -> list[Finding]:
    """`kind: pattern`: every value of `attribute` matches `pattern` whole (on the entries
    below `base` that match `filter`), as far as the pattern rules' budget goes
    (pattern_budget.py): past it, one error says where the rule stopped."""
    name = tree.schema.attribute(params.text(setting.params["attribute"])).name
    pattern = setting.params["pattern"]
    assert isinstance(pattern, LinearPattern)
    hint = params.text(setting.params.get("message")) or f"make it match {pattern.pattern}"
    budget = tree.derived(PatternBudget, lambda: PatternBudget(len(tree.nodes)))
    size, found = pattern.size, list[Finding]()
    for node in selected(tree, setting):
        for value in node.view.get(name, ()):
            if not budget.spend(size * len(value)):
                return [*found, _stopped(setting, node, name, pattern, len(value), budget)]
            text = value.decode("utf-8", "replace")
            if not pattern.fullmatch(text):
                message = f"{name} {quoted(text)} does not match the {setting.id} rule: {hint}"
                found.append(finding(setting, node, name, message))
    return found


def _stopped(
    setting: RuleSetting, node: Node, name: str, pattern: LinearPattern, size: int,
    budget: PatternBudget,
) -> Finding:
    """An error whatever the rule's severity: the values after this one were not judged."""
    message = (
        f"the {setting.id} rule stopped at this {name} value ({size:,} bytes): its pattern "
        f"is {pattern.size:,} instructions long, and the pattern rules of this run may "
        f"match {budget.total:,} instruction-bytes together (RE2's slow path takes about "
        "10 ns for each); the values after it were not judged: shorten the pattern (a "
        "repetition such as {1000} is that many instructions), narrow the rule with "
        "base: or filter:, or keep such values short"
    )
    return Finding(node.entry.where(name), setting.id, "error", node.entry.dn, message)


def custom_unique(tree: Tree, setting: RuleSetting) -> list[Finding]:
    """`kind: unique`: a value of `attribute` is used by one entry only (of those below
    `base` that match `filter`), compared by the attribute's equality rule."""
    name = tree.schema.attribute(params.text(setting.params["attribute"])).name
    norm, holders = tree.schema.normaliser(name), defaultdict(list)
    for node in selected(tree, setting):
        for value in {norm(v): v for v in node.view.get(name, ())}.values():
            holders[norm(value)].append((node, value))
    below = params.text(setting.params.get("base")) or "the directory"
    hint = params.text(setting.params.get("message")) or "make them different"
    out = []
    for found in holders.values():
        if len(found) < 2:
            continue
        first = [f"{o.entry.dn} ({o.entry.where(name)})" for o, _ in found[: MAX_NAMED + 1]]
        for k, (node, value) in enumerate(found):
            others = named_others(first, k, len(found))
            message = (
                f"{name} {value.decode('utf-8', 'replace')!r} is also used by {others}: it "
                f"must be unique in {below}; {hint}"
            )
            out.append(finding(setting, node, name, message))
    return out


def selected(tree: Tree, setting: RuleSetting) -> Iterator[Node]:
    """The entries a custom rule looks at: below `base`, matching `filter`."""
    base = params.text(setting.params.get("base"))
    base_key = tree.schema.dn_key(base) if base else None
    node_filter = setting.params.get("filter")
    test = compile_filter(node_filter, tree.schema) if isinstance(node_filter, Filter) else None
    for node in tree.nodes:
        if base_key is not None and not dnmod.is_within(node.key, base_key):
            continue
        if test is None or test(node.view, {}):
            yield node
