"""`postfix-maps --check DIR`: the deployed main.cf and table files against what
ldifctl.yaml declares, field by field, so that the two cannot silently disagree.

Both sides are put in one shape, Postfix's defaults filled in (a field left out equals
the field written with its default): main.cf's settings, and per map the list of its
tables' fields. `deepdiff` finds every difference in that shape (imported here only: it
costs a quarter of a second). `bind_pw` is on neither side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldifctl.live.postfix_maps import render
from ldifctl.mail.settings import CONNECTION_FIELDS, FIELDS, LIMITS, TABLE_KINDS, MailConfig
from ldifctl.repo import files as repo_files
from ldifctl.repo.postfix.conf_file import SECRET, ConfFile, parse_conf
from ldifctl.repo.postfix.deployed import MAIN_SETTINGS, Deployed, read_deployed
from ldifctl.repo.postfix.tables import DeployedTable, server_uris
from ldifctl.repo.workspace import Workspace

DECLARED = "ldifctl.yaml"
NONE = "(none)"
_MAIN_DEFAULTS = {"recipient_delimiter": "", **dict.fromkeys(LIMITS, "1000")}
# server_port is compared inside server_host (as the URIs both make); bind_pw never.
_COMPARED = tuple(n for n in (*CONNECTION_FIELDS, *FIELDS) if n not in (SECRET, "server_port"))

Shape = dict[str, Any]


@dataclass(frozen=True)
class Difference:
    where: str  # the deployed file (and line) that differs
    field: str
    deployed: str
    declared: str

    def text(self) -> str:
        return (f"{self.where}: {self.field}: deployed {self.deployed!r}, "
                f"declared {self.declared!r}")


def check(ws: Workspace, mail: MailConfig, directory: Path) -> list[Difference]:
    # A folder in the repository is read without a link (a pull request's link to the
    # runner's /etc/postfix would have its settings printed as differences).
    inside = repo_files.inside(ws.root, directory, "a folder of deployed Postfix files")
    deployed = read_deployed(inside or directory)
    declared = _declared_tables(ws, mail)
    return differences(deployed, _shape_deployed(deployed), _shape(mail, declared))


def differences(deployed: Deployed, found: Shape, wanted: Shape) -> list[Difference]:
    from deepdiff import DeepDiff

    diff = DeepDiff(found, wanted, view="tree")
    out = [_difference(deployed, level.path(output_format="list"), level.t1, level.t2)
           for levels in diff.values() for level in levels]
    return sorted(out, key=_order)


def _order(found: Difference) -> tuple[str, int, str]:
    """By file, then line as a number (`:9` before `:11`)."""
    file, _, line = found.where.rpartition(":")
    return (file, int(line), found.field) if line.isdigit() else (found.where, 0, found.field)


def _difference(deployed: Deployed, path: list[Any], old: Any, new: Any) -> Difference:
    if path[0] == "main.cf":
        setting = path[1].split(" ")[0]  # `virtual_alias_maps (not ldap:)` is on its line
        return Difference(deployed.main.where(setting), path[1], _text(old), _text(new))
    kind, index = path[0], path[1]
    tables = deployed.tables[kind]
    if len(path) == 2:  # a whole table one side has and the other has not
        where = deployed.main.where(kind)
        shown = str(tables[index].path) if index < len(tables) else NONE
        declared = f"mail.{kind}[{index + 1}]" if isinstance(new, dict) else NONE
        return Difference(where, f"{kind}[{index + 1}]", shown, declared)
    return Difference(tables[index].where(path[2]), path[2], _text(old), _text(new))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else NONE


def _declared_tables(ws: Workspace, mail: MailConfig) -> dict[str, list[DeployedTable]]:
    """The files `postfix-maps` would write, read back as deployed ones are (no password)."""
    tables: dict[str, list[DeployedTable]] = {kind: [] for kind in TABLE_KINDS}
    for spec in mail.tables():
        text = render(spec, ws.config.server, mail.settings.bind_dn, None)
        conf = ConfFile(Path(DECLARED), parse_conf(text, DECLARED))
        tables[spec.kind].append(DeployedTable(spec.kind, spec.index, DECLARED, conf))
    return tables


def _shape_deployed(deployed: Deployed) -> Shape:
    main = {name: (s.value if (s := deployed.setting(name)) else _MAIN_DEFAULTS[name])
            for name in MAIN_SETTINGS}
    for kind in TABLE_KINDS:
        main[f"{kind} (not ldap:)"] = ", ".join(deployed.others[kind])
    return {"main.cf": main, **{kind: [_fields(t) for t in deployed.tables[kind]]
                                for kind in TABLE_KINDS}}


def _shape(mail: MailConfig, tables: dict[str, list[DeployedTable]]) -> Shape:
    main = {name: str(getattr(mail.settings, name)) for name in MAIN_SETTINGS}
    for kind in TABLE_KINDS:
        main[f"{kind} (not ldap:)"] = ""
    return {"main.cf": main, **{kind: [_fields(t) for t in tables[kind]] for kind in TABLE_KINDS}}


def _fields(table: DeployedTable) -> dict[str, str]:
    """Every field ldifctl models, as Postfix uses it (its default filled in); and any
    other the file sets to something else than Postfix's default (`dereference = 0` is
    the same as no `dereference` at all)."""
    fields = {name: table.effective(name) for name in _COMPARED}
    fields["server_host"] = " ".join(server_uris(table))
    for name in table.conf.settings:
        if name not in fields and name not in (SECRET, "server_port", "result_filter") \
                and not table.is_default(name):
            fields[name] = table.effective(name)
    return fields
