"""Naming the loop that keeps one address's alias expansion from ending (`resolve`)."""

from __future__ import annotations

from ldifctl.mail.addresses import split_extension


def cycle_in(expansions: dict[str, tuple[str, ...]], start: str) -> tuple[str, ...]:
    """A cycle `a, b, a` among the expansions reachable from `start` (address -> what
    it expands into, all folded), the first one a depth-first walk meets; () for none.
    An address that expands into itself is no cycle: Postfix delivers it."""
    on_path, on = [start], {start}  # the walk's path, as a list and a set to ask
    done: set[str] = set()
    work = [(start, iter(expansions.get(start, ())))]
    while work:
        node, targets = work[-1]
        target = next(targets, None)
        if target is None:
            work.pop()
            on.discard(on_path[-1])
            done.add(on_path.pop())
        elif target in on:
            if target != node:
                return (*on_path[on_path.index(target) :], target)
        elif target in expansions and target not in done:
            on_path.append(target)
            on.add(target)
            work.append((target, iter(expansions[target])))
    return ()


def repeating(chain: list[str], delimiter: str) -> tuple[str, ...]:
    """The part of a rewrite chain that repeats: addresses that come back, or come back
    with their extension grown (`a+x -> b+x -> a+x+x`: Postfix's nesting limit ends it)."""
    bases = [_base(a, delimiter) for a in chain]
    for j, base in enumerate(bases):
        if base in bases[:j]:
            i = bases.index(base)
            return (*chain[i:j], chain[j])
    return tuple(chain[:2])


def _base(address: str, delimiter: str) -> str:
    stripped = split_extension(address, delimiter)
    return stripped[0] if stripped is not None else address
