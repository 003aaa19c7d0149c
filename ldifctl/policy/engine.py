"""Running the policies on a state: one list of findings, sorted, ready to print or refuse."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ldifctl import bulk
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.routing import Router
from ldifctl.mail.settings import MailConfig
from ldifctl.mail.special_findings import special_values
from ldifctl.mail.tree import EntrySet
from ldifctl.model.findings import Finding
from ldifctl.policy import address_rule, entry_rules, mail_checks, routing_rules
from ldifctl.policy.files import Policies, RuleSetting


@dataclass
class State:
    """A snapshot with its routing worked out once, on first need."""

    snapshot: EntrySet
    mail: MailConfig

    @cached_property
    def router(self) -> Router:
        return Router(self.snapshot, self.mail)

    @cached_property
    def addresses(self) -> AddressMap:
        return AddressMap(self.router)


Rule = Callable[[State, RuleSetting], list[Finding]]

RULES: dict[str, Rule] = {
    "no-self-forward": lambda s, r: routing_rules.no_self_forward(s.addresses, r),
    "unique-aliases": lambda s, r: routing_rules.unique_aliases(s.addresses, r),
    "no-forward-loops": lambda s, r: routing_rules.no_forward_loops(s.addresses, r),
    "dangling-forward": lambda s, r: routing_rules.dangling_forward(s.addresses, r),
    "hosted-domain": lambda s, r: routing_rules.hosted_domain(s.addresses, r),
    "forbidden-attributes": lambda s, r: entry_rules.forbidden_attributes(s.router.tree, r),
    "required-attributes": lambda s, r: entry_rules.required_attributes(s.router.tree, r),
    "address-syntax": lambda s, r: address_rule.address_syntax(s.router, r),
}
# Rules about what the repository may hold (secrets stay out of git): they judge entry
# files, not a state read from an LDIF dump or the server (issue 11).
REPO_CONTENT_RULES = frozenset({"forbidden-attributes"})
CUSTOM: dict[str, Rule] = {
    "pattern": lambda s, r: entry_rules.custom_pattern(s.router.tree, r),
    "unique": lambda s, r: entry_rules.custom_unique(s.router.tree, r),
}


def check(
    snapshot: EntrySet,
    mail: MailConfig,
    policies: Policies,
    base_dns: tuple[str, ...] = (),
    repo: bool = True,
) -> list[Finding]:
    """Every finding of every active rule on the state, and a table whose search base is
    no entry (the rules that read it would pass in silence); `repo`: the state is entry
    files (a working tree, revision or folder), which REPO_CONTENT_RULES judge too."""
    return judge(snapshot, mail, policies, base_dns, repo)[0]


def judge(
    snapshot: EntrySet,
    mail: MailConfig,
    policies: Policies,
    base_dns: tuple[str, ...] = (),
    repo: bool = True,
) -> tuple[list[Finding], AddressMap | None]:
    """`check`, and the address map the routing rules read (None: no rule read one)."""
    state, findings = State(snapshot, mail), []
    active = policies.active()
    # In one process: a forked second one pays a copied page for every object either
    # touches, which costs more than it saves (measured at 100k entries).
    with bulk.paused_gc():
        for setting in active:
            if not repo and setting.id in REPO_CONTENT_RULES:
                continue
            rule = CUSTOM[setting.kind] if setting.kind else RULES[setting.id]
            findings += _listed(rule(state, setting))
        if "addresses" in state.__dict__:
            findings += unlisted_tables(state.addresses)
        if mail.tables():
            findings += mail_checks.missing_bases(mail, state.router.tree, base_dns)
            findings += special_values(mail, state.router.tree)
    return sorted(set(findings)), state.__dict__.get("addresses")


# Past this many findings of one rule the rest are counted, not listed: a rule that flags
# every entry (a pull request's custom rule, say) would otherwise have a big directory's
# every entry listed once per rule (1,000 such rules at 10k entries: 10M findings, 5 GB).
MAX_LISTED = 1000
UNLISTED = "all entries"  # where the count of the findings left out is reported


def _listed(found: list[Finding]) -> list[Finding]:
    """A rule's findings, the first MAX_LISTED of them (sorted) and a count of the rest."""
    unique = set(found)
    if len(unique) <= MAX_LISTED:
        return found
    kept = sorted(unique)[:MAX_LISTED]
    first = kept[0]
    more = (
        f"{len(unique) - MAX_LISTED} more finding(s) of this rule are not listed (the first "
        f"{MAX_LISTED} are): fix those entries, or the rule if it is wrong"
    )
    return [*kept, Finding(UNLISTED, first.rule, first.severity, "", more)]


def beyond_listing(findings: list[Finding], rules: set[str]) -> bool:
    """Does one of `rules` have more findings than a whole judgement lists? Then the
    findings of a state judged by what changed are not those of the state judged whole."""
    counts = Counter(f.rule for f in findings)
    return any(counts[rule] > MAX_LISTED for rule in rules)


def unlisted_tables(addresses: AddressMap) -> list[Finding]:
    """Say so when a table cannot be read backwards: routing rules cannot see its keys."""
    return [
        Finding(
            f"ldifctl.yaml:{spec.line}",
            "mail-tables",
            "warning",
            "",
            f"mail.{spec.name}: its query_filter has no (attribute=%s)-style equality, so "
            "ldifctl cannot list the addresses it answers and the routing rules skip it",
        )
        for spec in addresses.unlisted
    ]
