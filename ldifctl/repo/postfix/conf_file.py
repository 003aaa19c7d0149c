"""Postfix's configuration file syntax, shared by `main.cf` and ldap_table(5) files.

postconf(5): empty lines, whitespace-only lines and lines whose first non-whitespace
character is `#` are ignored; a logical line starts with non-whitespace text, and a line
that starts with whitespace continues it; `name = value`, spaces around `=` and at the
end dropped. A later line for the same name wins, as it does for Postfix.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ldifctl.model.errors import LdifctlError, located

MAX_BYTES = 1 << 20  # a main.cf of Debian is 2 kB; a table file a few hundred bytes
_NAME = re.compile(r"[A-Za-z0-9_]+")
SECRET = "bind_pw"


@dataclass(frozen=True)
class Setting:
    value: str
    line: int


@dataclass(frozen=True)
class ConfFile:
    path: Path
    settings: dict[str, Setting]

    def where(self, name: str) -> str:
        """`file:line` of a setting (the file alone when it is not set)."""
        found = self.settings.get(name)
        return f"{self.path}:{found.line}" if found else str(self.path)


def read_conf(path: Path, what: str) -> ConfFile:
    """The settings of the file at `path` (`what` it is, for messages)."""
    text = _read_text(path, what)
    return ConfFile(path, parse_conf(text, str(path)))


def parse_conf(text: str, where: str) -> dict[str, Setting]:
    settings: dict[str, Setting] = {}
    for number, logical in _logical_lines(text, where):
        name, sep, value = logical.partition("=")
        name = name.strip()
        if not sep or not _NAME.fullmatch(name):
            # The line is not quoted: it may be the continuation of a password.
            raise located(where, number, "not a `name = value` line (a line that starts "
                          "with a space continues the line above): fix it as postconf would")
        settings[name] = Setting(value.strip(), number)
    return settings


def _logical_lines(text: str, where: str) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if raw[0] in " \t":
            if not lines:
                raise located(where, number, "a continuation line (it starts with a space) "
                              "with no `name = value` line above it: remove the indentation")
            start, so_far = lines[-1]
            lines[-1] = (start, f"{so_far} {stripped}")
        else:
            lines.append((number, raw.rstrip()))
    return lines


def _read_text(path: Path, what: str) -> str:
    """The file's text: a regular file, not a link, at most MAX_BYTES, UTF-8."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        raise _open_error(path, what, err) from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(f.fileno())
        if not stat.S_ISREG(mode.st_mode):
            raise LdifctlError(f"{path}: not a regular file, not {what}: name the file itself")
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise LdifctlError(f"{path}: over {MAX_BYTES} bytes, too big for {what}: "
                           "name the right file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise located(str(path), line, f"not UTF-8 text: {what} must be; fix the bytes "
                      "there") from None


def _open_error(path: Path, what: str, err: OSError) -> LdifctlError:
    if err.errno == errno.ELOOP:
        return LdifctlError(f"{path}: a symbolic link, not {what}: ldifctl never follows a "
                            "link; name the real file")
    if err.errno == errno.ENOENT:
        return LdifctlError(f"{path}: no such file ({what}): check the path")
    return LdifctlError(f"{path}: cannot read {what}: {err.strerror}")
