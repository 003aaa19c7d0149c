"""Reading the `mail:` section of ldifctl.yaml into Postfix's tables (mail/settings.py):
any mistake is an error at its line, where Postfix would only find nothing."""

from __future__ import annotations

import re

from ldifctl.mail.filter_keys import key_atoms
from ldifctl.mail.ldap_filter import (
    PLACEHOLDERS,
    Filter,
    FilterError,
    Template,
    attributes,
    parse,
    placeholders,
)
from ldifctl.mail.settings import (
    CONNECTION_FIELDS,
    FIELDS,
    REQUIRED,
    SCOPES,
    SETTINGS,
    TABLE_KINDS,
    MailConfig,
    TableSpec,
)
from ldifctl.mail.templates import reverse_problem
from ldifctl.model import dn as dnmod
from ldifctl.model.schema import Schema
from ldifctl.repo.settings.fields import unknown_key
from ldifctl.repo.settings.mail_names import check_names, settings
from ldifctl.repo.yamlio.document import Document, KeyPath, Plain

_FORMAT_SPEC = re.compile(r"%(.?)")
_SPLIT = re.compile(r"[,\s]+")
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def parse_mail(doc: Document | None, schema: Schema | None = None) -> MailConfig:
    """Check the section and build the tables; any mistake is an error at its line.
    With the schema, an attribute name it does not know is one too (a typo finds nothing)."""
    if doc is None:
        return MailConfig()
    section = doc.value if isinstance(doc.value, dict) else {}
    for kind in section:
        if kind not in TABLE_KINDS + SETTINGS:
            raise doc.error((kind,), unknown_key(kind, "mail", TABLE_KINDS + SETTINGS))
    domains, mailboxes, aliases = (_tables(doc, k, section.get(k)) for k in TABLE_KINDS)
    for spec in (*domains, *mailboxes, *aliases):
        check_names(doc, (spec.kind, spec.index), f"mail.{spec.name}", _names_of(spec), schema)
    return MailConfig(
        domains,
        mailboxes,
        aliases,
        settings(doc, section),
        line=doc.line(()),
    )


def _tables(doc: Document, kind: str, value: Plain) -> tuple[TableSpec, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise doc.error((kind,), f"mail.{kind} must be a list of tables (`- search_base: ...`)")
    if len(value) > MAX_TABLES:
        raise doc.error(
            (kind, MAX_TABLES),
            f"mail.{kind} lists {len(value)} tables, more than the {MAX_TABLES} ldifctl reads: "
            "each is matched against every entry, so this many would make every check slow "
            "(and each of Postfix's lookups); merge tables that search one base",
        )
    return tuple(_table(doc, kind, i, item) for i, item in enumerate(value))


# Postfix asks its tables one after the other: a site has a few, and a table's `domain`
# list a few names. The bound keeps a pull request's ldifctl.yaml from making `validate`
# run for hours (tables x entries; with `(uid=%u)`, domains x entries: 5,000 domains did
# not end in 300 s at 3,000 entries).
MAX_TABLES = 32


def _table(doc: Document, kind: str, index: int, item: Plain) -> TableSpec:
    path: KeyPath = (kind, index)
    where = f"mail.{kind}[{index + 1}]"
    if not isinstance(item, dict):
        raise doc.error(path, f"{where} must be a mapping of {', '.join(REQUIRED)}, ...")
    _check_keys(doc, path, where, item)
    text = {k: _text(doc, (*path, k), f"{where}.{k}", v) for k, v in item.items()}
    return TableSpec(
        kind,
        index,
        doc.line(path),
        search_base=_search_base(doc, path, where, text["search_base"]),
        query_filter=text["query_filter"],
        filter=_query_filter(doc, path, where, text["query_filter"]),
        result_attributes=_names(text["result_attribute"]),
        scope=_scope(doc, path, where, text.get("scope", "sub")),
        result_format=_result_format(doc, path, where, text.get("result_format", "%s")),
        domains=_domains(doc, path, where, text.get("domain", "")),
        special_result_attributes=_names(text.get("special_result_attribute", "")),
        terminal_result_attributes=_names(text.get("terminal_result_attribute", "")),
        leaf_result_attributes=_names(text.get("leaf_result_attribute", "")),
        base_line=doc.line((*path, "search_base")),
    )


def _names_of(spec: TableSpec) -> dict[str, tuple[str, ...]]:
    """The attribute names each field of a table reads."""
    return {
        "query_filter": tuple(sorted(attributes(spec.filter))),
        "result_attribute": spec.result_attributes,
        "special_result_attribute": spec.special_result_attributes,
        "terminal_result_attribute": spec.terminal_result_attributes,
        "leaf_result_attribute": spec.leaf_result_attributes,
    }


def _check_keys(doc: Document, path: KeyPath, where: str, item: dict[str, Plain]) -> None:
    for key in item:
        if key == "bind_dn":
            raise doc.error(
                (*path, key),
                f"{where}.bind_dn: Postfix binds as one account for every table: set it "
                "once, as mail.bind_dn",
            )
        if key in CONNECTION_FIELDS:
            raise doc.error(
                (*path, key),
                f"{where}.{key}: connection settings come from "
                "`server:` in ldifctl.yaml (postfix-maps writes them): remove it",
            )
        if key not in FIELDS:
            raise doc.error((*path, key), unknown_key(key, where, FIELDS))
    for key in REQUIRED:
        if key not in item:
            raise doc.error(path, f"{where}: {key} is missing: add it (see ldap_table(5))")


def _text(doc: Document, path: KeyPath, where: str, value: Plain) -> str:
    """A field as Postfix reads it: text; a YAML list is joined the way `a, b` would be."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(str(v) for v in value)
    if not isinstance(value, str):
        raise doc.error(path, f"{where} must be text")
    return value


def _search_base(doc: Document, path: KeyPath, where: str, base: str) -> str:
    sample = _FORMAT_SPEC.sub(lambda m: "x" if m[1] != "%" else "%", base)
    try:
        dnmod.parse(sample)
    except dnmod.DnError as err:
        raise doc.error(
            (*path, "search_base"),
            f"{where}.search_base: {err}: write it like ou=Mail,dc=example,dc=net",
        ) from None
    return base


def _query_filter(doc: Document, path: KeyPath, where: str, text: str) -> Filter:
    at = (*path, "query_filter")
    try:
        node = parse(text, templated=True)
    except FilterError as err:
        raise doc.error(at, f"{where}.query_filter: {err}: fix the RFC 4515 filter") from None
    if not placeholders(node):
        raise doc.error(
            at,
            f"{where}.query_filter has no %s, %u or %d: every key would get "
            "the same answer; put %s where the looked-up address goes",
        )
    for atom in key_atoms(node) or ():
        if problem := reverse_problem(atom.value):
            raise doc.error(at, f"{where}.query_filter: {problem} in ({atom.attr}="
                            f"{_written(atom.value)}): {_READ_BACK}")
    return node


# Why a key atom must read back one way only (mail/templates.py: reverse_keys).
_READ_BACK = (
    "ldifctl reads the keys an entry answers to back out of its values, so the end of each "
    "placeholder must be fixed by a character it cannot hold (%1-%9 hold no '.' or '@', %d "
    "no '@', %s and %u anything), as in %u@%d or %u@%2.%1"
)


def _written(value: Template) -> str:
    return "".join(s.decode("utf-8", "replace") if isinstance(s, bytes) else f"%{s}"
                   for s in value)


def _names(text: str) -> tuple[str, ...]:
    return tuple(n for n in _SPLIT.split(text) if n)


def _scope(doc: Document, path: KeyPath, where: str, scope: str) -> str:
    if scope.lower() not in SCOPES:
        raise doc.error((*path, "scope"), f"{where}.scope must be sub, one or base, got {scope!r}")
    return scope.lower()


def _result_format(doc: Document, path: KeyPath, where: str, text: str) -> str:
    for spec in _FORMAT_SPEC.findall(text):
        if spec != "%" and spec not in PLACEHOLDERS:
            raise doc.error(
                (*path, "result_format"),
                f"{where}.result_format: unknown "
                f"placeholder '%{spec}': use %s, %u, %d (the result) or %S, %U, "
                "%D (the key)",
            )
    return text


def _domains(doc: Document, path: KeyPath, where: str, text: str) -> tuple[str, ...]:
    names = _names(text)
    if len(names) > MAX_TABLES:
        raise doc.error(
            (*path, "domain"),
            f"{where}.domain lists {len(names)} domains, more than the {MAX_TABLES} ldifctl "
            "reads: with a `%u` filter every entry answers to its user at each of them, so "
            "this many would make every check slow; host them in virtual_mailbox_domains",
        )
    for name in names:
        if not _DOMAIN.fullmatch(name):
            raise doc.error(
                (*path, "domain"),
                f"{where}.domain: {name!r} is not a domain "
                "name (ldifctl evaluates plain names only, not files or tables)",
            )
    return tuple(n.lower() for n in names)
