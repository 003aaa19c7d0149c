"""special_result_attribute values Postfix cannot follow, said at the entry that holds
them: a malformed LDAP URL, a bad filter or an invalid DN makes every lookup that reaches
the entry fail, and Postfix defers the mail (error); a value ldifctl cannot follow offline
leaves the routing answers through it unknown (warning), and past the bounds on what
URLs may scan and read (special_values.py: MAX_SCANNED, url_reads.py: MAX_READ) the rest
go unjudged (error)."""

from __future__ import annotations

from ldifctl.mail.settings import MailConfig
from ldifctl.mail.special_values import CannotTell, LookupFailed, OverBudget
from ldifctl.mail.tables import Table
from ldifctl.mail.tree import Node, Tree
from ldifctl.model.findings import Finding

RULE = "special-values"


def special_values(mail: MailConfig, tree: Tree) -> list[Finding]:
    """A finding for each value of a table's special attributes that does not follow."""
    found: list[Finding] = []
    for spec in mail.tables():
        if not spec.special_result_attributes:
            continue
        table = Table(spec, tree)
        for name in table.special:
            for node, values in zip(tree.nodes, tree.column(name), strict=True):
                found += (f for v in values if (f := _finding(table, node, name, v)))
    return found


def _finding(table: Table, node: Node, name: str, value: bytes) -> Finding | None:
    try:
        table.references.follow(value)
    except OverBudget as err:  # an error: what the URLs past it do goes unjudged
        advice = "fewer or narrower URLs (a base near the entries they find) keep it within"
        return Finding(node.entry.where(name), RULE, "error", node.entry.dn, f"{err}: {advice}")
    except CannotTell as err:
        advice = "compare the addresses that reach this entry with Postfix's answers"
        return Finding(node.entry.where(name), RULE, "warning", node.entry.dn, f"{err}: {advice}")
    except LookupFailed as err:
        advice = "Postfix defers the mail of every address whose lookup reaches this entry"
        return Finding(node.entry.where(name), RULE, "error", node.entry.dn, f"{err}: {advice}")
    return None
