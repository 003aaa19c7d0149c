"""One deployed ldap_table(5) file: its fields sorted into those of the lookup (what
ldifctl.yaml's tables hold), those of the connection (what `server:` and `mail.bind_dn`
hold), and those ldifctl cannot model, which are named, never dropped silently.

Postfix's defaults are made explicit and each value written one way (`effective`,
defaults.py), so that settings Postfix 3.7 reads alike compare equal: a field left out and
the same field at its default, `host` and `ldap://HOST:389`, no bind and an anonymous one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ldifctl.mail.settings import CONNECTION_FIELDS, FIELDS
from ldifctl.repo.postfix.conf_file import SECRET, ConfFile
from ldifctl.repo.postfix.defaults import (
    BOOLEANS,
    DEFAULTS,
    IGNORED,
    SASL_FIELDS,
    SPLIT,
    TLS_FIELDS,
    canonical_uri,
    normalised,
)

RENAMED = {"result_filter": "result_format"}  # its name before Postfix 2.3


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

    def refused(self) -> list[str]:
        """Booleans Postfix refuses (`fatal: bad boolean configuration`): every lookup
        through the table fails, so no meaning can be adopted or compared."""
        return [
            f"{self.where(name)}: {name} = {value}: Postfix refuses it (bad boolean "
            "configuration), so every lookup through this table fails: write yes or no"
            for name in BOOLEANS
            if (value := self.raw(name)) is not None and value.lower() not in ("yes", "no")
        ]

    def written(self, name: str) -> str:
        """A field as written or its default, normalised (defaults.normalised)."""
        value = self.raw(name)
        return normalised(name, DEFAULTS.get(name, "") if value is None else value)

    def effective(self, name: str) -> str:
        """The value Postfix uses: `written`, and a field Postfix has no use for here is its
        default (TLS fields without TLS, SASL ones without `bind = sasl`, bind_dn without
        a bind); an anonymous bind is `bind = no`; the version is what Postfix sends."""
        if name == "bind":
            return "no" if self.anonymous() else self.written(name)
        if self._unused(name):
            return normalised(name, DEFAULTS[name])
        if name == "version":
            return "2" if self.written(name) == "2" and not self._needs_v3() else "3"
        if name == "size_limit" and self.raw(name) is None:
            return self.effective("expansion_limit")
        return self.written(name)

    def is_default(self, name: str) -> bool:
        """Whether Postfix reads the field as if it were left out (never for a field
        ldap_table(5) does not know: it may be a misspelt one)."""
        if name in IGNORED:
            return True  # `ignoring cache`: Postfix no longer supports them
        if name not in DEFAULTS:
            return False
        rest = {other: value for other, value in self.conf.settings.items() if other != name}
        unset = DeployedTable(self.kind, self.index, self.reference, ConfFile(self.path, rest))
        return self.effective(name) == unset.effective(name)

    def anonymous(self) -> bool:
        """No bind, or a simple bind with an empty DN and password: dict_ldap.c's
        ldap_sasl_bind(ld, "", LDAP_SASL_SIMPLE, "") is an anonymous bind (RFC 4513 5.1.1)."""
        bind, password = self.written("bind"), self.conf.settings.get(SECRET)
        return bind == "no" or (bind == "yes" and not self.written("bind_dn")
                                and not (password and password.value))

    def uses_tls(self) -> bool:
        """start_tls, or an ldaps:// URI in server_host."""
        ldaps = any(uri.startswith("ldaps://") for uri in server_uris(self))
        return self.written("start_tls") == "yes" or ldaps

    def unmodelled(self) -> list[str]:
        """The fields set in the file that ldifctl cannot model, as `file:line: name`
        (not one that says what Postfix's default says)."""
        known = (*FIELDS, *CONNECTION_FIELDS, *RENAMED)
        return [f"{self.conf.where(name)}: {name}" for name in self.conf.settings
                if name not in known and not self.is_default(name)]

    def _unused(self, name: str) -> bool:
        """Whether Postfix has no use for the field here: dict_ldap.c uses the TLS fields
        only with TLS, the SASL ones only with `bind = sasl`, bind_dn only to bind."""
        if name in TLS_FIELDS:
            return not self.uses_tls()
        if name in SASL_FIELDS:
            return self.written("bind") != "sasl"
        return name == "bind_dn" and self.anonymous()

    def _needs_v3(self) -> bool:
        """`start_tls requires protocol version 3`, and so does a URI not ldap://."""
        plain = all(uri.startswith("ldap://") for uri in server_uris(self))
        return self.written("start_tls") == "yes" or not plain


def server_uris(table: DeployedTable) -> list[str]:
    """`server_host` as the URIs Postfix makes of it, in its order, each written one way
    (canonical_uri): a URI as written, `h:port` as ldap://h:port, `h` as
    ldap://h:server_port."""
    port = table.written("server_port")
    uris = []
    for host in SPLIT.split(table.written("server_host")):
        if "://" in host:
            uris.append(canonical_uri(host))
        elif host:
            uris.append(canonical_uri(f"ldap://{host}" if ":" in host else f"ldap://{host}:{port}"))
    return uris
