"""What keeps the mail rules from judging a state, said out loud: a rule whose tables are
not in `mail:`, a table whose search base is no entry of the directory (a typo there finds
nothing, and every rule that reads the table passes)."""

from __future__ import annotations

import difflib

from ldifctl.mail.settings import MailConfig, TableSpec
from ldifctl.mail.tree import Tree
from ldifctl.model import dn as dnmod
from ldifctl.model.findings import Finding
from ldifctl.policy.files import RuleSetting

CONFIG = "ldifctl.yaml"
ALIASES, MAILBOXES, DOMAINS = (
    "virtual_alias_maps",
    "virtual_mailbox_maps",
    "virtual_mailbox_domains",
)
# The tables each routing rule reads: it runs when one of each group is in `mail:`.
NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "no-self-forward": ((ALIASES,),),
    "unique-aliases": ((ALIASES, MAILBOXES),),
    "no-forward-loops": ((ALIASES,),),
    "dangling-forward": ((ALIASES,), (DOMAINS,)),
    "hosted-domain": ((DOMAINS,), (ALIASES, MAILBOXES)),
    "address-syntax": ((ALIASES, MAILBOXES),),
}


def has_every_table(mail: MailConfig) -> bool:
    """Every rule has its tables (the usual case: no policy needs parsing to tell)."""
    return all(getattr(mail, kind) for kind in (ALIASES, MAILBOXES, DOMAINS))


def unrunnable(mail: MailConfig, active: list[RuleSetting]) -> list[Finding]:
    """A warning for the active rules that cannot run for want of a table."""
    present = {kind for kind in (ALIASES, MAILBOXES, DOMAINS) if getattr(mail, kind)}
    blocked = {
        s.id: [g for g in NEEDS[s.id] if present.isdisjoint(g)]
        for s in active
        if s.id in NEEDS and not (s.id == "address-syntax" and s.params.get("attributes"))
    }
    blocked = {rule: missing for rule, missing in blocked.items() if missing}
    if not blocked:
        return []
    rules = ", ".join(sorted(blocked))
    if mail.line is None:
        message = (
            f"there is no mail: section, so the rules {rules} cannot run (they read addresses "
            "through Postfix's lookup tables); add the tables to mail: (README: Mail routing), "
            "or turn the rules off in a policy file"
        )
        return [Finding(CONFIG, "mail-tables", "warning", "", message)]
    tables = sorted({" or ".join(group) for groups in blocked.values() for group in groups})
    message = (
        f"mail: has no {' and no '.join(tables)}, so the rules {rules} cannot run; add the "
        "tables they read, or turn the rules off in a policy file"
    )
    return [Finding(f"{CONFIG}:{mail.line}", "mail-tables", "warning", "", message)]


def missing_bases(mail: MailConfig, tree: Tree, base_dns: tuple[str, ...]) -> list[Finding]:
    """An error for each table whose search base is no entry of the directory."""
    return [
        Finding(
            f"{CONFIG}:{spec.base_line}", "mail-tables", "error", "", _no_base(spec, tree, base_dns)
        )
        for spec in mail.tables()
        if not _found(spec, tree)
    ]


def _found(spec: TableSpec, tree: Tree) -> bool:
    if "%" in spec.search_base.replace("%%", ""):
        return True  # a base made of the key: a missing one finds nothing, by design
    base = tree.schema.dn_key(spec.search_base)
    return not base or tree.holds(base)


def _no_base(spec: TableSpec, tree: Tree, base_dns: tuple[str, ...]) -> str:
    base = tree.schema.dn_key(spec.search_base)
    where = f"mail.{spec.name}.search_base {spec.search_base}"
    above = [b for b in base_dns if dnmod.is_within(tree.schema.dn_key(b), base)]
    if above:
        return (
            f"{where} is above base_dn {above[0]}, which is all ldifctl reads: this table "
            f"finds nothing here; set search_base to {above[0]} or an entry below it"
        )
    dns = [n.entry.dn for n in tree.nodes if len(n.key) == len(base)]
    close = difflib.get_close_matches(spec.search_base, dns, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return (
        f"{where} is no entry of the directory{hint}: the table finds nothing, and the rules "
        "that read it pass in silence; fix the DN, or add the entry"
    )
