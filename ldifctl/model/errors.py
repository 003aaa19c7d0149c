"""The one exception that means "the user's input is wrong": the CLI prints it and exits 1."""

from __future__ import annotations


class LdifctlError(Exception):
    """A problem the user can fix; the message says what, where and what to do."""


def located(where: str, line: int | None, message: str) -> LdifctlError:
    """An error pinned to `file:line` (line is 1-based; None when unknown)."""
    prefix = f"{where}:{line}" if line is not None else where
    return LdifctlError(f"{prefix}: {message}")
