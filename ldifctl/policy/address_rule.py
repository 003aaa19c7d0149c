"""The `address-syntax` rule: values the mail tables read as addresses must be addresses.

Judged as each table reads them: a key attribute only on the entries the table searches
(its base and scope, and the fixed part of its filter), as what its template makes of
the key (`%s` an address or `@domain`, `%u` a user part, `%d` a domain); a result as the
RFC 5322 address list Postfix parses (`Carol C <carol@x>` is an address, `@domain` alone
the user at that domain). With `attributes:` set, those attributes are judged as
addresses on every entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from ldifctl.mail.address_syntax import address_problem, is_plain
from ldifctl.mail.addresses import split_targets
from ldifctl.mail.columns.claims import searched
from ldifctl.mail.columns.text import all_parts, all_plain, column_text
from ldifctl.mail.routing import Router
from ldifctl.mail.tables import Table
from ldifctl.mail.tree import Node, Tree
from ldifctl.model.findings import Finding
from ldifctl.policy import params
from ldifctl.policy.files import RuleSetting
from ldifctl.policy.fold_rule import unfoldable
from ldifctl.policy.routing_rules import finding

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
Judge = Callable[[str], str]  # a value's problem ("" when it has none)


def address_syntax(router: Router, setting: RuleSetting) -> list[Finding]:
    """A value that is not a mail address: where and as each table reads it, or every
    value of the attributes `attributes:` names."""
    chosen = params.names(setting.params["attributes"])
    # Keys the tables can never look up (Postfix folds case; the server does not).
    tree, out = router.tree, unfoldable(router, setting)
    if chosen:
        for name in sorted({tree.schema.attribute(a).name for a in chosen}):
            out += _judged(setting, tree, name, None, _strict_address)
        return out
    fine: dict[tuple[str, bool], bool] = {}  # tables share attributes: judge each once
    for name, table, judge in _read_by_tables(router):
        parts = judge in (_local, _domain)
        if (name, parts) not in fine:
            fine[(name, parts)] = _all_fine(tree, name, parts)
        if fine[(name, parts)]:
            continue
        out += _judged(setting, tree, name, table, judge)
    return sorted(set(out))


def _read_by_tables(router: Router) -> Iterator[tuple[str, Table, Judge]]:
    """(attribute, the table that reads it, how it is judged) for every table."""
    for table in router.mailbox_tables + router.alias_tables:
        for atom in table.atoms or ():
            judge = _KEYS.get("".join(s for s in atom.value if isinstance(s, str)).lower())
            if judge is not None and len(atom.value) == 1:
                yield table.tree.schema.attribute(atom.attr).name, table, judge
    for table in router.alias_tables:
        if table.spec.result_format == "%s":
            yield from ((name, table, _result) for name in table.regular)


def _judged(
    setting: RuleSetting, tree: Tree, name: str, table: Table | None, judge: Judge
) -> list[Finding]:
    """The findings on attribute `name`, on the entries `table` searches (all for None)."""
    parts = judge in (_local, _domain)
    if table is None and _all_fine(tree, name, parts):
        return []
    nodes = tree.nodes if table is None else searched(table)
    return [
        finding(setting, node, name, f"{name} {value!r} {problem}")
        for node, value in _values(nodes, name, skip_plain=not parts)
        if (problem := judge(value))
    ]


def _all_fine(tree: Tree, name: str, parts: bool) -> bool:
    """The usual case: every value of the column is fine, decided at once."""
    text = column_text(tree, name)
    return all_parts(text) if parts else all_plain(text)


def _values(nodes: Iterable[Node], name: str, skip_plain: bool) -> Iterator[tuple[Node, str]]:
    for node in nodes:
        for value in node.view.get(name, ()):
            if not (skip_plain and is_plain(value)):
                yield node, value.decode("utf-8", "replace")


def _address(text: str, catch_all_allowed: bool = True) -> str:
    problem = address_problem(text, catch_all_allowed)
    return f"is not a mail address ({problem}): write it as user@example.net" if problem else ""


def _strict_address(text: str) -> str:
    return _address(text, catch_all_allowed=False)


def _local(text: str) -> str:
    if len(text) <= 64 and _LOCAL.fullmatch(text):
        return ""
    return "is not the user part of an address (the table puts it before @): write it as user"


def _domain(text: str) -> str:
    if len(text) <= 253 and _DOMAIN.fullmatch(text):
        return ""
    return "is not a domain name (the table puts it after @): write it as example.net"


def _result(text: str) -> str:
    """A result value as Postfix parses it: one or more addresses, names and comments
    allowed; `@domain` keeps the user."""
    addresses = split_targets(text)
    if not addresses or "\n" in text:
        return _address(text)  # say what is wrong with the text itself
    if addresses == (text.strip(),):
        return _address(addresses[0])
    for address in addresses:
        problem = address_problem(address, catch_all_allowed=True)
        if problem:
            return (
                f"is not a mail address ({address!r}: {problem}): write it as user@example.net "
                "or Name <user@example.net>"
            )
    return ""


# What a key template alone makes of an entry's value: the whole key, its user, its domain.
_KEYS: dict[str, Judge] = {"s": _address, "u": _local, "d": _domain}
