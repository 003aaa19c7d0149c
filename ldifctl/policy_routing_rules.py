"""The built-in mail routing rules, judged on Postfix's view of the directory (AddressMap)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from ldifctl.address_map import AddressMap, Claim
from ldifctl.findings import Finding, Severity
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
    graph = _graph(amap)
    out = []
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        cycle = _cycle(graph, min(component), component)
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


def _graph(amap: AddressMap) -> dict[str, list[str]]:
    """Address -> the addresses one alias lookup turns it into that expand again.

    Only those can close a cycle: a target that does not expand is delivered, and an
    address that expands into itself is not expanded again (Postfix's rule), so neither
    gets edges. That leaves a small graph even for 100k entries.
    """
    aliases = amap.aliases
    if not amap.catch_all_aliases:  # every edge is a key of `aliases`: one pass
        graph = {a: [t for t in ts if t in aliases] for a, ts in aliases.items() if a not in ts}
        return {a: targets for a, targets in graph.items() if targets}
    graph = {}
    todo = list(aliases)
    while todo:
        address = todo.pop()
        if address in graph:
            continue
        targets = amap.expansion(address) or ()
        graph[address] = [] if address in targets else [t for t in targets if amap.expands(t)]
        todo += [t for t in graph[address] if t not in graph]
    return {a: targets for a, targets in graph.items() if targets}


def strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (chains can be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    found.append(_pop_component(stack, on_stack, node))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph.get(child, ()))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _pop_component(stack: list[str], on_stack: set[str], node: str) -> list[str]:
    component = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member == node:
            return component


def _cycle(graph: dict[str, list[str]], start: str, component: list[str]) -> list[str]:
    """The shortest way from `start` back to itself inside its component."""
    inside, came_from = set(component), {start: ""}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in graph.get(node, ()):
            if child == start:
                path = [node]
                while came_from[path[-1]]:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if child in inside and child not in came_from:
                came_from[child] = node
                queue.append(child)
    raise AssertionError("a strongly connected component always has a cycle")


def _claim_for(amap: AddressMap, address: str, target: str) -> Claim:
    """The entry that sends `address` on to `target` (its own key, or `@domain`)."""
    _, domain = parts_of(address)
    claims = amap.alias_claims.get(address) or amap.alias_claims.get(f"@{domain}", [])
    return next((c for c in claims if target in c.targets), claims[0])
