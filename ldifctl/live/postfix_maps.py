"""Postfix `ldap:` table files (ldap_table(5)) that match the `mail:` section of ldifctl.yaml.

One `.cf` file per table. The lookup fields are copied as written; the server comes from
`server:` (URI, StartTLS, CA file). Postfix only reads, so it binds as an account of its
own, `mail.bind_dn`, never as ldifctl's writing account (`server.bind_dn`); its password
comes from LDIFCTL_POSTFIX_BIND_PASSWORD(_FILE) and is written only when asked for.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from ldifctl.live.postfix_files import closed_folder, group_id, write_for_postfix
from ldifctl.mail.settings import LIMITS, MailConfig, TableSpec
from ldifctl.model.errors import LdifctlError
from ldifctl.repo import files as repo_files
from ldifctl.repo.settings import uris as server_uris
from ldifctl.repo.settings.secrets import POSTFIX_PASSWORD_FILE_VAR as PASSWORD_FILE_VAR
from ldifctl.repo.settings.secrets import POSTFIX_PASSWORD_VAR as PASSWORD_VAR
from ldifctl.repo.settings.secrets import bind_password
from ldifctl.repo.settings.server import ServerConfig
from ldifctl.repo.workspace import Workspace

PLACEHOLDER = "CHANGE-ME"


@dataclass(frozen=True)
class TableFile:
    spec: TableSpec
    path: Path
    text: str


def table_files(
    ws: Workspace, mail: MailConfig, folder: Path, password: str | None
) -> list[TableFile]:
    """The files to write, named `virtual_alias_maps.cf` or `virtual_alias_maps-1.cf`, ..."""
    server = ws.config.server
    if not server.uri:
        raise LdifctlError(
            "server.uri is not set: set it in ldifctl.yaml or LDIFCTL_URI, "
            "Postfix needs to know where the directory is"
        )
    _check_account(ws, mail)
    if mail.settings.bind_dn:
        # Postfix binds with bind_pw to whichever host of server_host answers.
        server_uris.refuse_clear_text(server_uris.split(server.uri), server.start_tls)
    # In the repository (the default, `postfix/`), never through a link a pull request
    # put there: the files, bind_pw with them, would land where it points. main.cf names
    # them by absolute path.
    checked = repo_files.inside(ws.root, folder, "a folder for Postfix's files")
    where = Path(os.path.abspath(checked)) if checked else folder.resolve()
    out = []
    for tables in (
        mail.virtual_mailbox_domains,
        mail.virtual_mailbox_maps,
        mail.virtual_alias_maps,
    ):
        for spec in tables:
            name = spec.kind if len(tables) == 1 else f"{spec.kind}-{spec.index + 1}"
            text = render(spec, server, mail.settings.bind_dn, password)
            out.append(TableFile(spec, where / f"{name}.cf", text))
    return out


def _check_account(ws: Workspace, mail: MailConfig) -> None:
    writer, reader = ws.config.server.bind_dn, mail.settings.bind_dn
    if reader and writer and ws.schema.dn_key(reader) == ws.schema.dn_key(writer):
        raise LdifctlError(
            f"ldifctl.yaml:{mail.settings.bind_dn_line}: mail.bind_dn is ldifctl's own writing "
            "account (server.bind_dn): Postfix only reads, and every .cf file would hold that "
            "password; give Postfix a read-only account of its own"
        )


def render(
    spec: TableSpec, server: ServerConfig, bind_dn: str | None, password: str | None
) -> str:
    lines = [
        f"# ldap_table(5) for {spec.kind}: mail.{spec.name} of ldifctl.yaml.",
        "# Written by `ldifctl postfix-maps`: regenerate it rather than edit it.",
    ]
    settings = _connection(server, bind_dn, password) + _lookup(spec)
    for name, value in settings:
        if name == "#":
            lines.append(f"# {value}")
        else:
            lines.append(f"{name} = {_checked(name, value)}")
    return "\n".join(lines) + "\n"


def _connection(
    server: ServerConfig, bind_dn: str | None, password: str | None
) -> list[tuple[str, str]]:
    # Postfix splits server_host on commas and whitespace, as libldap does: the list
    # is the one ldifctl.yaml's parser found (repo/settings/uris.py).
    uris = server_uris.split(server.uri or "")
    out = [("server_host", " ".join(uris)), ("version", "3")]
    if server.timeout is not None:
        out.append(("timeout", str(math.ceil(server.timeout))))
    if server.start_tls:
        out.append(("start_tls", "yes"))
    if server.start_tls or any(uri.startswith("ldaps://") for uri in uris):
        out.append(("tls_require_cert", "yes" if server.tls_require_cert == "demand" else "no"))
        if server.ca_file is not None:
            out.append(("tls_ca_cert_file", str(server.ca_file)))
    if not bind_dn:
        return [*out, ("bind", "no")]
    out += [("bind", "yes"), ("bind_dn", bind_dn)]
    if password is not None:
        return [*out, ("bind_pw", password)]
    note = "bind_pw: run `ldifctl postfix-maps --with-password`, or put the password here"
    return [*out, ("#", note), ("bind_pw", PLACEHOLDER)]


def _lookup(spec: TableSpec) -> list[tuple[str, str]]:
    out = [
        ("search_base", spec.search_base),
        ("scope", spec.scope),
        ("query_filter", spec.query_filter),
        ("result_attribute", ", ".join(spec.result_attributes)),
    ]
    optional = [
        ("result_format", spec.result_format if spec.result_format != "%s" else ""),
        ("domain", ", ".join(spec.domains)),
        ("special_result_attribute", ", ".join(spec.special_result_attributes)),
        ("terminal_result_attribute", ", ".join(spec.terminal_result_attributes)),
        ("leaf_result_attribute", ", ".join(spec.leaf_result_attributes)),
    ]
    return out + [(name, value) for name, value in optional if value]


def _checked(name: str, value: str) -> str:
    """Postfix reads one line and trims it: a value must survive that unchanged."""
    if "\n" in value or "\r" in value or value != value.strip():
        what = "the bind password" if name == "bind_pw" else name
        raise LdifctlError(
            f"{what} has a line break or leading/trailing spaces, which a "
            "Postfix .cf file cannot hold: change it"
        )
    return value


def password_for_maps(ws: Workspace, mail: MailConfig) -> str:
    """Postfix's bind password, for `--with-password` only (never ldifctl's own)."""
    if not mail.settings.bind_dn:
        raise LdifctlError(
            "--with-password: mail.bind_dn is not set, so Postfix binds anonymously and "
            "needs no password; set mail.bind_dn in ldifctl.yaml to Postfix's read-only account"
        )
    password = bind_password(ws.environ, PASSWORD_VAR, PASSWORD_FILE_VAR)
    if password is None:
        raise LdifctlError(
            f"--with-password: set {PASSWORD_VAR} or {PASSWORD_FILE_VAR} to the password of "
            f"{mail.settings.bind_dn}"
        )
    return password


def main_cf(files: list[TableFile], mail: MailConfig) -> str:
    """The main.cf lines that use the files (`ldap:` needs absolute paths), and the
    settings ldifctl routes with where they are not Postfix's defaults."""
    by_kind: dict[str, list[str]] = {}
    for f in files:
        by_kind.setdefault(f.spec.kind, []).append(f"ldap:{f.path}")
    lines = [f"{kind} = {', '.join(maps)}\n" for kind, maps in by_kind.items()]
    if mail.settings.recipient_delimiter:
        lines.append(f"recipient_delimiter = {mail.settings.recipient_delimiter}\n")
    for name in LIMITS:
        if getattr(mail.settings, name) != 1000:  # Postfix's default: main.cf need not say it
            lines.append(f"{name} = {getattr(mail.settings, name)}\n")
    return "".join(lines)


def write_files(files: list[TableFile], group: str) -> list[str]:
    """Write the files for Postfix's daemons (group `group`, 0640); what to tell the user:
    each file written, and anything that keeps Postfix from reading them as printed."""
    gid = group_id(group)
    notes, shared = [], True
    for table_file in files:
        shared = write_for_postfix(table_file.path, table_file.text, gid) and shared
        notes.append(f"wrote {table_file.path}")
    if files:
        notes += _access_notes(files[0].path.parent, group, gid, shared)
    text = files[0].text if files else ""
    if f"bind_pw = {PLACEHOLDER}" in text:
        notes.append(
            f"note: bind_pw is a placeholder ({PLACEHOLDER}): rerun with --with-password, "
            "or set it in the files on the mail server"
        )
    elif "bind = no" in text:
        notes.append(
            "note: mail.bind_dn is not set, so Postfix binds anonymously (bind = no); give "
            "it a read-only account of its own in mail.bind_dn"
        )
    return notes


def _access_notes(folder: Path, group: str, gid: int | None, shared: bool) -> list[str]:
    how = f"chgrp {group} {folder}/*.cf && chmod 0640 {folder}/*.cf"
    if gid is None:
        return [
            f"note: there is no group {group} here, so the files are readable by their "
            f"owner only (0600); Postfix's virtual(8) reads them as user postfix: on the mail "
            f"server run {how}"
        ]
    if not shared:
        return [
            f"note: the files could not be given to group {group} (run as root, or as a "
            f"member of {group}), so they are readable by their owner only (0600): run {how}"
        ]
    closed = closed_folder(folder, gid)
    if closed is None:
        return []
    return [
        f"note: Postfix's daemons (group {group}) cannot enter {closed}, so they cannot "
        f"read the files as printed: run chmod o+x {closed}, or write them elsewhere "
        "(--output-dir)"
    ]
