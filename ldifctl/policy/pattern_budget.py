"""What the pattern rules of one judgement may cost together, so that no policy file can
hang CI.

RE2 matches in time linear in the value, but the factor is the pattern's program. While
its fast matcher (a DFA built as it reads) stays within its memory, a byte costs a few
ns whatever the pattern; a pattern whose DFA keeps growing (`[ab]*a[ab]{1000}c`) sends
RE2 to its slow matcher, ~10 ns per instruction per byte: 1.1 s per 100 kB for that
1,007-instruction pattern, and a pull request may bring 16 MiB values and 64 rules
(hours). Which matcher runs cannot be seen from Python, so the budget counts the worst
case, instructions x bytes, summed over every pattern rule of the judgement: BASE (~10 s
of the slow matcher) and PER_ENTRY more for each entry of the state (~1 ms of it), so
that a large directory's own values never reach it: 20 rules of 100-instruction patterns
over two 25-byte values an entry spend 10^5 an entry, 10^10 of 1.1 x 10^10 at 100k (the
fast matcher takes a few seconds for that, the slow one would take two minutes).
"""

from __future__ import annotations

BASE = 10**9
PER_ENTRY = 10**5


class PatternBudget:
    def __init__(self, entries: int) -> None:
        self.total = self.left = BASE + PER_ENTRY * entries

    def spend(self, cost: int) -> bool:
        """Take `cost` from what is left; False when there was not that much."""
        self.left -= cost
        return self.left >= 0
