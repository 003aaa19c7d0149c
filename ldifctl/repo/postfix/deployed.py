"""The maps of a deployed `main.cf` ldifctl models, and the `ldap:` tables they name.

`virtual_mailbox_domains`, `virtual_mailbox_maps` and `virtual_alias_maps` each list
tables in the order Postfix asks them; `proxy:ldap:/file.cf` is the same table read through
proxymap. Any other table type (`hash:`, a literal domain, `ldap:name` of main.cf's own
settings) is named in `unmodelled`: ldifctl cannot route through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ldifctl.mail.settings import LIMITS, TABLE_KINDS
from ldifctl.model.errors import LdifctlError
from ldifctl.repo.postfix.conf_file import ConfFile, Setting, read_conf
from ldifctl.repo.postfix.main_cf import MainCf, read_main_cf
from ldifctl.repo.postfix.tables import DeployedTable

_SPLIT = re.compile(r"[,\s]+")
MAIN_SETTINGS = ("recipient_delimiter", *LIMITS)


@dataclass(frozen=True)
class Deployed:
    main: MainCf
    tables: dict[str, list[DeployedTable]]  # by kind, in Postfix's order
    unmodelled: list[str] = field(default_factory=list)  # what ldifctl cannot model
    others: dict[str, list[str]] = field(default_factory=dict)  # by kind: non-ldap: tables

    def all_tables(self) -> list[DeployedTable]:
        return [t for kind in TABLE_KINDS for t in self.tables[kind]]

    def setting(self, name: str) -> Setting | None:
        return self.main.get(name)


def read_deployed(directory: Path) -> Deployed:
    """main.cf of `directory` and every ldap: table its three maps name."""
    main = read_main_cf(directory)
    tables: dict[str, list[DeployedTable]] = {kind: [] for kind in TABLE_KINDS}
    unmodelled: list[str] = []
    others: dict[str, list[str]] = {kind: [] for kind in TABLE_KINDS}
    for kind in TABLE_KINDS:
        found = main.get(kind)
        if found is None:
            continue
        where = main.where(kind)
        for name in (n for n in _SPLIT.split(found.value) if n):
            path = _ldap_path(name)
            if path is None:
                others[kind].append(name)
                unmodelled.append(f"{where}: {kind} names {name}, which is no ldap: table "
                                  "file: ldifctl cannot route through it")
                continue
            conf = _read_table(path, where, kind, name)
            tables[kind].append(DeployedTable(kind, len(tables[kind]), where, conf))
    for table in (t for kind in TABLE_KINDS for t in tables[kind]):
        if refused := table.refused():
            raise LdifctlError(refused[0])
        unmodelled += [f"{line}: ldifctl cannot model this field" for line in table.unmodelled()]
    return Deployed(main, tables, unmodelled, others)


def _ldap_path(name: str) -> Path | None:
    """The file of an `ldap:` or `proxy:ldap:` table; None for anything else (Postfix
    reads `ldap:name` without a slash as settings in main.cf, which ldifctl does not)."""
    inner = name.removeprefix("proxy:")
    if not inner.startswith("ldap:/"):
        return None
    return Path(inner.removeprefix("ldap:"))


def _read_table(path: Path, where: str, kind: str, name: str) -> ConfFile:
    try:
        return read_conf(path, f"the ldap_table(5) file of {kind}")
    except LdifctlError as err:
        raise LdifctlError(f"{where}: {kind} names {name}: {err}") from None
