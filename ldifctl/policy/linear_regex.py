"""Regular expressions from policy files, run in time linear in the value (RE2).

A policy file is untrusted input: Python's `re` backtracks, and `(a+)+$` against 35
characters ran for more than a minute. RE2 (google-re2) never backtracks; it refuses
what only backtracking can do (backreferences, lookarounds), so such a pattern is an
error at its line instead of a hang in CI.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _re2() -> tuple[Any, Any]:
    """The module and its options, loaded on the first pattern: loading RE2 (and the
    abseil it links) is a cost every run of a repo without patterns would pay."""
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would log each refused pattern to stderr itself
    return re2, options


class PatternError(ValueError):
    """RE2 refuses the pattern; the message says why."""


class LinearPattern:
    """A compiled pattern that only answers whether a whole value matches."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        re2, options = _re2()
        try:
            self._compiled: Any = re2.compile(pattern, options)
        except re2.error as err:
            reason = err.args[0] if err.args else ""
            text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
            raise PatternError(text) from None

    @property
    def size(self) -> int:
        """Instructions in the compiled program: what each byte may cost (pattern_budget.py)."""
        return int(self._compiled.programsize)

    def fullmatch(self, value: str) -> bool:
        return self._compiled.fullmatch(value) is not None

    def __reduce__(self) -> tuple[type[LinearPattern], tuple[str]]:
        return LinearPattern, (self.pattern,)  # sent to a worker process as its text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LinearPattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)
