"""`ldifctl.yaml` made from a deployed Postfix: `server:` from the tables' connection
fields, `base_dn` the common suffix of their search bases, `mail:` the tables in Postfix's
order and main.cf's settings. The text is checked as every command checks it before it is
returned. `bind_pw` is never read into it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ldifctl.mail.settings import FIELDS, TABLE_KINDS
from ldifctl.model import dn as dnmod
from ldifctl.model.errors import LdifctlError
from ldifctl.repo.postfix.conf_file import SECRET
from ldifctl.repo.postfix.deployed import MAIN_SETTINGS, Deployed
from ldifctl.repo.postfix.tables import DeployedTable, server_uris
from ldifctl.repo.settings.config import CONFIG_FILE, parse_config
from ldifctl.repo.settings.mail import parse_mail

# The connection fields every table must agree on: ldifctl has one server and one account.
# (server_host and server_port are compared as the URIs they make.)
SHARED = ("bind", "bind_dn", "start_tls", "tls_require_cert", "tls_ca_cert_file", "timeout")


@dataclass(frozen=True)
class Adopted:
    text: str  # ldifctl.yaml
    warnings: tuple[str, ...]


def adopt(deployed: Deployed, directory: Path, root: Path) -> Adopted:
    tables = deployed.all_tables()
    if not tables:
        raise LdifctlError(f"{deployed.main.conf.path}: none of {', '.join(TABLE_KINDS)} names "
                           "an ldap: table: there is nothing to make ldifctl.yaml from (run "
                           "`ldifctl init` without --from-postfix for a starter)")
    first = tables[0]
    warnings = [*_disagreements(tables), *_unverified(tables), *deployed.unmodelled,
                *_secret_notes(tables)]
    lines = [*_header(directory), f"base_dn: {_scalar(_base_dn(tables))}",
             "directory: directory", "policies: policies", *_server(first),
             *_mail(deployed, first)]
    text = "\n".join(lines) + "\n"
    _check(text, root, tables)
    return Adopted(text, tuple(warnings))


def _header(directory: Path) -> list[str]:
    return [
        f"# ldifctl settings, made by `ldifctl init --from-postfix {directory}` from main.cf",
        "# and the ldap: tables it names. Never put secrets here: ldifctl's bind password",
        "# comes from LDIFCTL_BIND_PASSWORD or the file named by LDIFCTL_BIND_PASSWORD_FILE.",
    ]


def _server(table: DeployedTable) -> Iterator[str]:
    yield "server:"
    yield f"  uri: {_scalar(' '.join(server_uris(table)))}"
    yield f"  start_tls: {'true' if table.effective('start_tls') == 'yes' else 'false'}"
    if table.uses_tls():
        # ldifctl's own account writes: Postfix's lookups not checking the certificate
        # (its default) must not lower ldifctl's check (_unverified warns instead).
        yield "  tls_require_cert: demand"
    if (ca := table.raw("tls_ca_cert_file")) is not None:
        yield f"  ca_file: {_scalar(ca)}"
    if (timeout := table.raw("timeout")) is not None:
        yield f"  timeout: {_scalar(timeout)}"
    yield "  # bind_dn: the account ldifctl writes as (apply), e.g. cn=admin,dc=example,dc=net;"
    yield "  # or set LDIFCTL_BIND_DN. Not Postfix's account: that one only reads."


def _mail(deployed: Deployed, first: DeployedTable) -> Iterator[str]:
    yield "# The Postfix lookup tables, in Postfix's order, with ldap_table(5)'s fields."
    yield "mail:"
    bind_dn = first.raw("bind_dn")
    if first.effective("bind") == "yes" and bind_dn:
        yield "  # Postfix's own read-only account (its password stays on the mail server)."
        yield f"  bind_dn: {_scalar(bind_dn)}"
    for name in MAIN_SETTINGS:
        if (setting := deployed.setting(name)) is not None:
            yield f"  {name}: {_scalar(setting.value)}"
    for kind in TABLE_KINDS:
        if deployed.tables[kind]:
            yield f"  {kind}:"
        for table in deployed.tables[kind]:
            yield f"    # {table.path}"
            yield from _table(table)


def _table(table: DeployedTable) -> Iterator[str]:
    marker = "- "
    for name in FIELDS:
        value = table.raw(name)
        if value is None and name in ("query_filter", "result_attribute"):
            value = table.effective(name)  # Postfix's default, said out loud
        if value is not None:
            yield f"    {marker}{name}: {_scalar(' '.join(value.split()))}"
            marker = "  "


def _base_dn(tables: list[DeployedTable]) -> str:
    """The longest suffix every search base shares (RDNs holding a %-placeholder cut)."""
    suffixes = []
    for table in tables:
        base = table.effective("search_base")
        try:
            rdns = dnmod.parse(base) if base else []
        except dnmod.DnError as err:
            raise LdifctlError(f"{table.where('search_base')}: search_base {base!r}: "
                               f"{err}") from None
        fixed = [r for r in rdns if "%" not in dnmod.dn2str([r])]
        suffixes.append([dnmod.dn2str([r]).lower() for r in reversed(fixed)])
    common = []
    for parts in zip(*suffixes, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    if not common:
        raise LdifctlError("the search bases of the tables share no suffix: "
                           + "; ".join(f"{t.where('search_base')}" for t in tables)
                           + ": ldifctl manages one subtree; list the bases as base_dn by hand")
    first = dnmod.parse(tables[0].effective("search_base"))
    return dnmod.dn2str(first[len(first) - len(common):])


def _disagreements(tables: list[DeployedTable]) -> Iterator[str]:
    first = tables[0]
    if (bind := first.effective("bind")) not in ("yes", "no"):
        yield (f"{first.where('bind')}: bind = {bind}: ldifctl models a simple bind only, so "
               "Postfix's account is not carried over (set mail.bind_dn by hand)")
    for table in tables[1:]:
        if server_uris(table) != server_uris(first):
            yield (f"{table.where('server_host')}: server_host names other servers than "
                   f"{first.where('server_host')}: ldifctl has one server, and took the first "
                   "table's")
        for name in SHARED:
            if table.effective(name) != first.effective(name):
                yield (f"{table.where(name)}: {name} differs from {first.where(name)}: ldifctl "
                       "has one server and one account for Postfix, and took the first table's")


def _unverified(tables: list[DeployedTable]) -> Iterator[str]:
    """Tables that talk TLS without checking the server's certificate (Postfix's default):
    anyone in the middle can answer Postfix's lookups, and read its bind_pw."""
    found = [t for t in tables if t.uses_tls() and t.effective("tls_require_cert") == "no"]
    if found:
        places = ", ".join(t.where("tls_require_cert") for t in found)
        yield (f"Postfix's tables use TLS but do not verify the LDAP server's certificate "
               f"({places}: tls_require_cert is no, Postfix's default): ldifctl verifies it "
               "(server.tls_require_cert: demand), and so do the files `postfix-maps` "
               "writes; make the deployed ones verify it too: set tls_require_cert = yes "
               "and tls_ca_cert_file = the CA that signed the server's certificate "
               "(`postfix-maps --check` names the difference until then)")


def _secret_notes(tables: list[DeployedTable]) -> Iterator[str]:
    holding = [table.where(SECRET) for table in tables if SECRET in table.conf.settings]
    if holding:
        yield (f"bind_pw ({', '.join(holding)}) not copied: Postfix's password stays in its "
               ".cf files (postfix-maps --with-password reads it from "
               "LDIFCTL_POSTFIX_BIND_PASSWORD)")


def _scalar(value: str) -> str:
    dumped: str = yaml.safe_dump(value, width=1 << 20, allow_unicode=True)
    return dumped.removesuffix("\n...\n").strip()


def _check(text: str, root: Path, tables: list[DeployedTable]) -> None:
    """The settings must be ones every command accepts, or nothing is written."""
    try:
        config = parse_config(text.encode(), CONFIG_FILE, root, {})
        parse_mail(config.mail, config.schema())
    except LdifctlError as err:
        sources = "; ".join(f"mail.{t.kind}[{t.index + 1}] is {t.path}" for t in tables)
        raise LdifctlError(f"the settings made from Postfix's files are not ones ldifctl can "
                           f"use, so nothing was written: {err} ({sources})") from None
