"""The forwarding graph: which addresses one alias lookup turns into others that expand
again, and its cycles (found without recursion: chains can be long)."""

from __future__ import annotations

import re
from collections import deque
from itertools import compress
from operator import not_

from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.model.errors import LdifctlError

# Longer than any address written by hand (RFC 5321: 64 octets of user part, 255 of
# domain); only a catch-all feeding its own results back makes one (`_refuse_growing`).
GROWN = 1024


def forward_graph(amap: AddressMap) -> dict[str, list[str]]:
    """Address -> the addresses one alias lookup turns it into that expand again.

    Only those can close a cycle: a target that does not expand is delivered, and an
    address that expands into itself is not expanded again (Postfix's rule), so neither
    gets edges. That leaves a small graph even for 100k entries.
    """
    aliases = amap.aliases
    if not amap.catch_all_aliases:  # every edge is a key of `aliases`
        # Only addresses forwarding to an alias address have edges: few, found in C. With
        # a recipient_delimiter, `b+x` expands as `b` does (its extension carried along,
        # so a cycle through it grows until Postfix's nesting limit): the edge goes to b.
        onward = {t: t for t in amap.alias_claims.all_targets.intersection(aliases)}
        if amap.delimiter:
            with_delimiter = re.compile(f"[{re.escape(amap.delimiter)}]").search
            others = filter(with_delimiter, amap.alias_claims.all_targets.difference(onward))
            onward |= {t: k for t in others if (k := amap.alias_key(t)) is not None}
        sources = compress(
            aliases.items(), map(not_, map(onward.keys().isdisjoint, aliases.values()))
        )
        graph = {a: [onward[t] for t in ts if t in onward] for a, ts in sources if a not in ts}
        return {a: targets for a, targets in graph.items() if targets}
    graph = {}
    todo = list(aliases)
    written = amap.alias_claims.all_targets
    while todo:
        address = todo.pop()
        if address in graph:
            continue
        targets = amap.expansion(address) or ()
        graph[address] = [] if address in targets else [t for t in targets if amap.expands(t)]
        _refuse_growing(amap, address, [t for t in graph[address] if t not in written])
        todo += [t for t in graph[address] if t not in graph]
    return {a: targets for a, targets in graph.items() if targets}


def _refuse_growing(amap: AddressMap, address: str, made: list[str]) -> None:
    """A catch-all makes new addresses: `@d2` as the result of `@d1` keeps the user
    part, and a result holding more addresses (`@d2,@d2`) becomes one address whose user
    part holds the rest; an extension cut off is put back. Routed back through the same
    catch-all, each hop makes a longer address, without end: Postfix expands until its
    nesting limit and defers the mail, and the walk would never finish. No address written
    by hand comes near GROWN, so one made that long is refused, by the catch-all."""
    grown = next((t for t in made if len(t) > GROWN), None)
    if grown is None:
        return
    domain = address.rpartition("@")[2]
    dns = sorted({c.node.entry.dn for c in amap.alias_claims.claims(f"@{domain}")})
    if not dns:  # no catch-all of its own: an extension carried round a forwarding loop
        written = amap.alias_key(address) or address[:80]  # b, where b+x+x... came round
        raise LdifctlError(
            f"mail routing: the forwarding loop through {written} routes its mail back "
            f"into itself and makes a longer address at every hop ({grown[:80]}...): the "
            "extension after the recipient_delimiter is carried round the loop, and Postfix "
            "expands it until virtual_alias_recursion_limit and defers the mail. Break the "
            "loop: no forward may lead back to an address it came from"
        )
    raise LdifctlError(
        f"mail routing: the catch-all @{domain} ({'; '.join(dns) or 'no entry'}) routes its "
        f"mail back into itself and makes a longer address at every hop ({grown[:80]}...): "
        "Postfix expands it until "
        "virtual_alias_recursion_limit and defers the mail. Make the catch-all forward to "
        "one full address (user@domain), not to @domain or a list with @domain in it"
    )


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


def shortest_cycle(graph: dict[str, list[str]], start: str, component: list[str]) -> list[str]:
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
