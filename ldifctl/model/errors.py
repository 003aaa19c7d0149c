"""The one exception that means "the user's input is wrong" (the CLI prints it and exits 1),
and how a message shows the text it quotes."""

from __future__ import annotations


class LdifctlError(Exception):
    """A problem the user can fix; the message says what, where and what to do."""


def located(where: str, line: int | None, message: str) -> LdifctlError:
    """An error pinned to `file:line` (line is 1-based; None when unknown)."""
    prefix = f"{where}:{line}" if line is not None else where
    return LdifctlError(f"{prefix}: {message}")


def printable(text: str) -> str:
    """Text for a message, on one line: bytes that are not UTF-8 shown escaped
    (`cn=caf\\xe9.yaml`), and so every character a terminal or a CI log acts on or hides
    (a line end, a carriage return, an escape sequence, a bidi override). A file name, a DN
    or a value from the repo can then neither start a line of its own (GitHub reads a line
    `::error::…` or `::add-mask::…` as a command to the runner) nor rewrite one."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


# A line of a message holds at most this many characters. Messages quote what the repo
# holds, and a 2.5 MB pattern in a policy file made one line of the CI log of all of it.
# The middle goes: the start says where, the end what to do.
MAX_LINE = 4_000
_HEAD, _TAIL = 2_500, 1_000


def clipped(line: str) -> str:
    """The line, or its start and end around a note of how much was left out."""
    if len(line) <= MAX_LINE:
        return line
    return f"{line[:_HEAD]}… [{len(line) - _HEAD - _TAIL:,} characters left out] …{line[-_TAIL:]}"


def _escaped(character: str) -> str:
    """`\\n`, `\\x1b`, `\\u202e`: as Python writes it in a string."""
    return character.encode("unicode_escape").decode("ascii")


# A value a message quotes is cut here: a finding per value and rule, each quoting a
# 16 MiB value whole, took 5.6 GB for 16 rules (and every cache of findings holds them).
MAX_QUOTED = 200


def quoted(text: str) -> str:
    """`text` as a message quotes it: repr, cut after MAX_QUOTED characters with its length."""
    if len(text) <= MAX_QUOTED:
        return repr(text)
    return f"{text[:MAX_QUOTED]!r}… ({len(text):,} characters)"
