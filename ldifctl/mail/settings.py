"""The `mail:` section of ldifctl.yaml as Postfix's LDAP lookup tables: what each one
searches and returns (ldap_table(5)), and main.cf's settings beside them.

Field names, defaults and meanings are Postfix's own, so a table block can be copied to or
from a `.cf` file. Only the fields that decide *what* a lookup returns live here; how to
reach the server (host, bind, TLS) comes from `server:`. repo/settings/mail.py reads and
checks the section into these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ldifctl.mail.ldap_filter import Filter

TABLE_KINDS = ("virtual_mailbox_domains", "virtual_mailbox_maps", "virtual_alias_maps")
FIELDS = (
    "search_base",
    "query_filter",
    "result_attribute",
    "scope",
    "result_format",
    "domain",
    "special_result_attribute",
    "terminal_result_attribute",
    "leaf_result_attribute",
)
REQUIRED = ("search_base", "query_filter", "result_attribute")
SCOPES = ("sub", "one", "base")
# ldap_table(5) settings that postfix-maps writes from `server:` instead.
CONNECTION_FIELDS = (
    "server_host",
    "server_port",
    "bind",
    "bind_dn",
    "bind_pw",
    "version",
    "start_tls",
    "tls_ca_cert_file",
    "tls_require_cert",
    "timeout",
)
# main.cf's limits of virtual alias expansion (Postfix's default for each is 1000).
LIMITS = ("virtual_alias_expansion_limit", "virtual_alias_recursion_limit")
# The keys of `mail:` beside the tables: main.cf's settings, the account Postfix binds as.
SETTINGS = ("recipient_delimiter", *LIMITS, "bind_dn")


@dataclass(frozen=True)
class MailSettings:
    recipient_delimiter: str = ""  # as main.cf: the characters that start an extension
    virtual_alias_expansion_limit: int = 1000  # as main.cf: addresses one alias may become
    virtual_alias_recursion_limit: int = 1000  # as main.cf: rewrites of one address
    bind_dn: str | None = None  # the account Postfix binds as (postfix-maps)
    bind_dn_line: int = 0


@dataclass(frozen=True)
class TableSpec:
    kind: str  # one of TABLE_KINDS
    index: int  # position in its list, from 0 (people count from 1: see `name`)
    line: int  # where it starts in ldifctl.yaml
    search_base: str
    query_filter: str
    filter: Filter
    result_attributes: tuple[str, ...]
    scope: str = "sub"
    result_format: str = "%s"
    domains: tuple[str, ...] = ()
    special_result_attributes: tuple[str, ...] = ()
    terminal_result_attributes: tuple[str, ...] = ()
    leaf_result_attributes: tuple[str, ...] = ()
    base_line: int = 0  # where its search_base is

    @property
    def name(self) -> str:
        """As every message and file name counts tables: from 1, as people do."""
        return f"{self.kind}[{self.index + 1}]"


@dataclass(frozen=True)
class MailConfig:
    virtual_mailbox_domains: tuple[TableSpec, ...] = ()
    virtual_mailbox_maps: tuple[TableSpec, ...] = ()
    virtual_alias_maps: tuple[TableSpec, ...] = ()
    settings: MailSettings = field(default_factory=MailSettings)  # main.cf's, Postfix's account
    line: int | None = None  # where `mail:` is in ldifctl.yaml (None: there is none)

    def tables(self) -> tuple[TableSpec, ...]:
        return self.virtual_mailbox_domains + self.virtual_mailbox_maps + self.virtual_alias_maps
