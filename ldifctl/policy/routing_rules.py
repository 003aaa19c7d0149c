"""The built-in mail routing rules, judged on Postfix's view of the directory (AddressMap)."""

from __future__ import annotations

from ldifctl.mail.columns.address_map import AddressMap, Claim, ClaimSet
from ldifctl.mail.columns.forward_graph import forward_graph, shortest_cycle, strongly_connected
from ldifctl.mail.templates import parts_of
from ldifctl.mail.tree import Node
from ldifctl.model.findings import MAX_NAMED, Finding, Severity, named_others
from ldifctl.policy.files import RuleSetting


def finding(setting: RuleSetting, node: Node, attribute: str, message: str) -> Finding:
    severity: Severity = "warning" if setting.severity == "warning" else "error"
    return Finding(node.entry.where(attribute), setting.id, severity, node.entry.dn, message)


def result_attribute(claim: Claim) -> str:
    return claim.table.result_attribute(claim.node)


def no_self_forward(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """A forward to one of the entry's own alias addresses comes straight back to it; a
    forward to its own mailbox is fine."""
    aliases, found = amap.alias_claims, {}
    # Only a target that is some alias address can be one of the entry's own.
    for i, target in aliases.forwarding_to(aliases.all_targets.intersection(aliases.keys)):
        node = aliases.nodes[i]
        own = aliases.held_by(target, node)
        if own is None or amap.mailbox_claims.held_by(target, node):
            continue
        found[(id(node), target)] = _on_forward(
            setting,
            aliases,
            i,
            f"forwards to {target}, one of its own alias addresses ({own}): mail to it comes "
            f"straight back to this entry; forward to the mailbox it should reach, or remove "
            f"{target} from {own}",
        )
    return list(found.values())


def _on_forward(setting: RuleSetting, aliases: ClaimSet, i: int, message: str) -> Finding:
    """A finding at the forwarding values of claim i."""
    node = aliases.nodes[i]
    return finding(setting, node, aliases.tables[i].result_attribute(node), message)


def unique_aliases(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """An address leads to one entry: across the alias and mailbox tables."""
    out = []
    aliases, mailboxes = amap.alias_claims, amap.mailbox_claims
    shared = set(mailboxes.keys).intersection(aliases.keys)
    for address in sorted(shared.union(aliases.shared, mailboxes.shared)):
        claims = aliases.claims(address) + mailboxes.claims(address)
        holders = list({id(c.node): c for c in reversed(claims)}.values())
        if len(holders) < 2:
            continue
        first = [f"{c.node.entry.dn} ({c.node.entry.where(c.attribute)})"
                 for c in holders[: MAX_NAMED + 1]]
        for k, claim in enumerate(holders):
            named = named_others(first, k, len(holders))
            message = (
                f"{address} is also an address of {named}: an address may lead to one entry "
                "only; remove it from all but one"
            )
            out.append(finding(setting, claim.node, claim.attribute, message))
    return out


def dangling_forward(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """A forward into a hosted domain must reach a mailbox or a further alias. A forward
    to one of the entry's own alias addresses is no-self-forward's to report."""
    aliases, out = amap.alias_claims, {}
    # A mailbox address always reaches: judge the other targets, each once. `@domain`
    # (the user at that domain) is judged claim by claim, below.
    why = {t: reason for t in aliases.all_targets - amap.mailboxes if (reason := _dangles(amap, t))}
    for i, target in aliases.forwarding_to(set(why)):
        if aliases.held_by(target, aliases.nodes[i]) is None:
            out[(id(aliases.nodes[i]), target)] = _dangling(setting, aliases, i, target, why)
    for i, target in aliases.users_elsewhere():
        reason = _dangles(amap, target)
        if reason and aliases.held_by(aliases.targets[i][0], aliases.nodes[i]) is None:
            out[(id(aliases.nodes[i]), target)] = _dangling(
                setting,
                aliases,
                i,
                target,
                {
                    target: f"{reason} (mail to {aliases.keys[i]} goes to {target}: "
                    f"{aliases.targets[i][0]} keeps the user)"
                },
            )
    return list(out.values())


def _dangling(
    setting: RuleSetting, aliases: ClaimSet, i: int, target: str, why: dict[str, str]
) -> Finding:
    return _on_forward(
        setting,
        aliases,
        i,
        f"forwards to {target}, which is in the hosted domain {parts_of(target)[1]} but "
        f"{why[target]}: mail to it bounces (User unknown); correct the address or create "
        "the mailbox",
    )


def _dangles(amap: AddressMap, address: str) -> str:
    """Why mail to `address` bounces in a hosted domain ("" when it does not). An
    `@domain` target is judged as the user it keeps (see ClaimSet.users_elsewhere)."""
    local, domain = parts_of(address)
    if not local or domain is None or not amap.is_hosted(domain) or amap.is_mailbox(address):
        return ""
    expansion = amap.expansion(address)
    if expansion is None:
        return "is neither a mailbox nor an alias"
    if address in expansion:
        return "expands into itself and is no mailbox"
    return ""


def hosted_domain(amap: AddressMap, setting: RuleSetting) -> list[Finding]:
    """Alias and mailbox addresses belong to domains this system accepts mail for."""
    if not amap.router.domain_tables:
        return []
    out = []
    for claims in (amap.alias_claims, amap.mailbox_claims):
        for i in claims.in_domains(lambda domain: not amap.is_hosted(domain)):
            claim = claims.claim(i)
            _, domain = parts_of(claim.address)
            if not domain:
                continue
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
    claims = amap.alias_claims.claims(address) or amap.alias_claims.claims(f"@{domain}")
    return next((c for c in claims if target in c.targets), claims[0])
