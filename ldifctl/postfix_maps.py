"""Postfix `ldap:` table files (ldap_table(5)) that match the `mail:` section of ldifctl.yaml.

One `.cf` file per table. The lookup fields are copied as written; the connection comes
from `server:` (URI, StartTLS, CA file, bind DN). The bind password is written only when
asked for, and every file is created readable by its owner alone.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from ldifctl import server_uris
from ldifctl.config import PASSWORD_FILE_VAR, PASSWORD_VAR, ServerConfig, bind_password
from ldifctl.errors import LdifctlError
from ldifctl.mail_config import MailConfig, TableSpec
from ldifctl.workspace import Workspace

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
    if server.bind_dn:
        # Postfix binds with bind_pw to whichever host of server_host answers.
        server_uris.refuse_clear_text(server_uris.split(server.uri), server.start_tls)
    out = []
    for tables in (
        mail.virtual_mailbox_domains,
        mail.virtual_mailbox_maps,
        mail.virtual_alias_maps,
    ):
        for spec in tables:
            name = spec.kind if len(tables) == 1 else f"{spec.kind}-{spec.index + 1}"
            text = render(spec, server, password)
            out.append(TableFile(spec, folder.resolve() / f"{name}.cf", text))
    return out


def render(spec: TableSpec, server: ServerConfig, password: str | None) -> str:
    lines = [
        f"# ldap_table(5) for {spec.kind}: mail.{spec.name} of ldifctl.yaml.",
        "# Written by `ldifctl postfix-maps`: regenerate it rather than edit it.",
    ]
    settings = _connection(server, password) + _lookup(spec)
    for name, value in settings:
        if name == "#":
            lines.append(f"# {value}")
        else:
            lines.append(f"{name} = {_checked(name, value)}")
    return "\n".join(lines) + "\n"


def _connection(server: ServerConfig, password: str | None) -> list[tuple[str, str]]:
    # Postfix splits server_host on commas and whitespace, as libldap does: the list
    # is the one ldifctl.yaml's parser found (server_uris).
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
    if not server.bind_dn:
        return [*out, ("bind", "no")]
    out += [("bind", "yes"), ("bind_dn", server.bind_dn)]
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


def password_for_maps(ws: Workspace) -> str:
    """The bind password, for `--with-password` only."""
    password = bind_password(ws.environ)
    if password is None:
        raise LdifctlError(
            f"--with-password: set {PASSWORD_VAR} or {PASSWORD_FILE_VAR} to the bind password"
        )
    return password


def write_private(path: Path, text: str) -> None:
    """Replace `path` with a file only its owner can read, never wider for a moment."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def main_cf(files: list[TableFile]) -> str:
    """The main.cf lines that use the files (`ldap:` needs absolute paths)."""
    by_kind: dict[str, list[str]] = {}
    for f in files:
        by_kind.setdefault(f.spec.kind, []).append(f"ldap:{f.path}")
    return "".join(f"{kind} = {', '.join(maps)}\n" for kind, maps in by_kind.items())
