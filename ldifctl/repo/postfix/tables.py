"""One deployed ldap_table(5) file: its fields sorted into those of the lookup (what
ldifctl.yaml's tables hold), those of the connection (what `server:` and `mail.bind_dn`
hold), and those ldifctl cannot model, which are named, never dropped silently.

Postfix's defaults are made explicit (`effective`), so that a field left out and the same
field written with its default compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ldifctl.mail.settings import CONNECTION_FIELDS, FIELDS
from ldifctl.repo.postfix.conf_file import SECRET, ConfFile

# ldap_table(5)'s defaults for the fields ldifctl reads.
DEFAULTS = {
    "server_host": "localhost",
    "server_port": "389",
    "bind": "yes",
    "version": "2",
    "start_tls": "no",
    "tls_require_cert": "no",
    "timeout": "10",
    "scope": "sub",
    "query_filter": "(mailacceptinggeneralid=%s)",
    "result_attribute": "maildrop",
    "result_format": "%s",
}
RENAMED = {"result_filter": "result_format"}  # its name before Postfix 2.3
_BOOLEANS = ("bind", "start_tls", "tls_require_cert")
_TRUE, _FALSE = ("yes", "true", "on", "1"), ("no", "false", "off", "0")
_LISTS = (
    "result_attribute", "special_result_attribute", "terminal_result_attribute",
    "leaf_result_attribute", "domain",
)
_SPLIT = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class DeployedTable:
    kind: str  # virtual_mailbox_domains, ...
    index: int  # its place among the kind's tables in main.cf, from 0
    reference: str  # where main.cf names it (`main.cf:12`)
    conf: ConfFile

    @property
    def path(self) -> Path:
        return self.conf.path

    def raw(self, name: str) -> str | None:
        """A field as written (an old name read as the new one); never bind_pw's value."""
        if name == SECRET:
            return None
        for old, new in RENAMED.items():
            if new == name and name not in self.conf.settings and old in self.conf.settings:
                return self.conf.settings[old].value
        found = self.conf.settings.get(name)
        return found.value if found is not None else None

    def where(self, name: str) -> str:
        old = next((o for o, n in RENAMED.items() if n == name), "")
        if name not in self.conf.settings and old in self.conf.settings:
            return self.conf.where(old)
        return self.conf.where(name)

    def effective(self, name: str) -> str:
        """The value Postfix uses, normalised: defaults filled in, lists and booleans
        written one way."""
        value = self.raw(name)
        return normalised(name, DEFAULTS.get(name, "") if value is None else value)

    def unmodelled(self) -> list[str]:
        """The fields set in the file that ldifctl cannot model, as `file:line: name`."""
        known = (*FIELDS, *CONNECTION_FIELDS, *RENAMED)
        return [f"{self.conf.where(name)}: {name}" for name in self.conf.settings
                if name not in known]


def normalised(name: str, value: str) -> str:
    if name in _BOOLEANS:
        lowered = value.lower()
        return "yes" if lowered in _TRUE else "no" if lowered in _FALSE else value
    if name in _LISTS:
        return ", ".join(part for part in _SPLIT.split(value) if part)
    if name == "scope":
        return value.lower()
    return " ".join(value.split())


def server_uris(table: DeployedTable) -> list[str]:
    """`server_host` as URIs, in its order: `ldap://h:port` as written, `h:port` and `h`
    (with `server_port`) as ldap:// URIs."""
    port = table.effective("server_port")
    uris = []
    for host in _SPLIT.split(table.effective("server_host")):
        if not host:
            continue
        if "://" in host:
            uris.append(host)
        elif ":" in host.strip("[]") and not host.startswith("["):
            uris.append(f"ldap://{host}")
        else:
            uris.append(f"ldap://{host}" if table.raw("server_port") is None and port == "389"
                        else f"ldap://{host}:{port}")
    return uris
