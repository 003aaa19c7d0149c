"""The built-in mail routing rules, judged on Postfix's view of the directory (AddressMap)."""

from __future__ import annotations

from collections.abc import Iterable

from ldifctl.address_map import AddressMap, Claim
from ldifctl.findings import Finding, Severity
from ldifctl.forward_graph import forward_graph, shortest_cycle, strongly_connected
from ldifctl.mail_templates import parts_of
from ldifctl.mail_tree import Node
from ldifctl.policy_files import RuleSetting


def finding(setting: RuleSetting, node: Node, attribute: str, message: str) -> Finding:
    severity: Severity = "warning" if setting.severity == "warning" else "error"
    return Finding(node.entry.where(attribute), setting.id, severity, node.entry.dn, message)


def result_attribute(claim: Claim) -> str:
    return claim.table.result_attribute(claim.node)


def no_self_forward(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """A forward to one of the entry's own alias addresses comes straight back to it."""
    found: dict[tuple[int, str], Finding] = {}
    for claims in amap.alias_claims.values():
        for claim in claims:
            for target in claim.targets:
                own = _held_by(amap.alias_claims.get(target, ()), claim.node)
                if own is None or _held_by(amap.mailbox_claims.get(target, ()), claim.node):
                    continue
                found[(id(claim.node), target)] = finding(
                    setting,
                    claim.node,
                    result_attribute(claim),
                    f"forwards to {target}, one of its own alias addresses ({own}): mail to it "
                    "comes straight back to this entry; forward to the mailbox it should "
                    f"reach, or remove {target} from {own}",
                )
    return list(found.values())


def _held_by(claims: Iterable[Claim], node: Node) -> str | None:
    """The attribute through which `node` holds the address, if it does."""
    return next((c.attribute for c in claims if c.node is node), None)


def unique_aliases(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """An address leads to one entry: across the alias and mailbox tables."""
    out = []
    aliases, mailboxes = amap.alias_claims, amap.mailbox_claims
    shared = [a for a, c in aliases.items() if len(c) > 1 or a in mailboxes]
    shared += [a for a, c in mailboxes.items() if len(c) > 1]
    for address in sorted(set(shared)):
        claims = aliases.get(address, []) + mailboxes.get(address, [])
        first = {id(c.node): c for c in reversed(claims)}
        if len(first) < 2:
            continue
        for claim in first.values():
            others = [o for o in first.values() if o.node is not claim.node]
            out.append(finding(setting, claim.node, claim.attribute, _shared(address, others)))
    return out


def _shared(address: str, others: list[Claim]) -> str:
    named = ", ".join(f"{o.node.entry.dn} ({o.node.entry.where(o.attribute)})" for o in others)
    return (
        f"{address} is also an address of {named}: an address may lead to one entry only; "
        "remove it from all but one"
    )


def dangling_forward(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """A forward into a hosted domain must reach a mailbox or a further alias."""
    out = {}
    for claims in amap.alias_claims.values():
        for claim in claims:
            for target in claim.targets:
                _, domain = parts_of(target)
                if domain is None or not amap.is_hosted(domain) or _reaches(amap, target):
                    continue
                out[(id(claim.node), target)] = finding(
                    setting,
                    claim.node,
                    result_attribute(claim),
                    f"forwards to {target}, which is in the hosted domain {domain} but is "
                    "neither a mailbox nor an alias: mail to it bounces (User unknown); "
                    "correct the address or create the mailbox",
                )
    return list(out.values())


def _reaches(amap: AddressMap, address: str) -> bool:
    expansion = amap.expansion(address)
    delivered_as_is = expansion is None or address in expansion
    return not delivered_as_is or amap.is_mailbox(address)


def hosted_domain(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """Alias and mailbox addresses belong to domains this system accepts mail for."""
    if not amap.router.domain_tables:
        return []
    out = []
    claims = [c for cs in (*amap.alias_claims.values(), *amap.mailbox_claims.values()) for c in cs]
    for claim in claims:
        _, domain = parts_of(claim.address)
        if domain and not amap.is_hosted(domain):
            message = (
                f"{claim.address} is in {domain}, which is not a hosted domain (no "
                "virtual_mailbox_domains table finds it): Postfix does not accept mail for "
                "it; add the domain or correct the address"
            )
            out.append(finding(setting, claim.node, claim.attribute, message))
    return out


def no_forward_loops(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """Any cycle of forwards, however long; `a -> a` is no loop (Postfix delivers to a)."""
    graph = forward_graph(amap)
    out = []
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        cycle = shortest_cycle(graph, min(component), component)
        claim = _claim_for(amap, cycle[0], cycle[1])
        path = " -> ".join(cycle)
        out.append(
            finding(
                setting,
                claim.node,
                result_attribute(claim),
                f"forwarding loop: {path}; Postfix expands it until its nesting limit and defers "
                "the mail forever: remove one of these forwards",
            )
        )
    return out


def _claim_for(amap: AddressMap, address: str, target: str) -> Claim:
    """The entry that sends `address` on to `target` (its own key, or `@domain`)."""
    _, domain = parts_of(address)
    claims = amap.alias_claims.get(address) or amap.alias_claims.get(f"@{domain}", [])
    return next((c for c in claims if target in c.targets), claims[0])
