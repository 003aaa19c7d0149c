"""Secret variables (bind passwords, cache key): read from the environment only, and kept
out of the environment children inherit.

A child process inherits the whole environment: every `git` ldifctl runs would hold
LDIFCTL_BIND_PASSWORD (issue 10). So a command takes the password variables out of
`os.environ` before it does anything; ldifctl itself reads them from what was taken
(`environment()`), and the one child that binds, `ldapsearch`, gets the password
through a pipe (live/server_dump.py).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from ldifctl.model.errors import LdifctlError

PASSWORD_VAR = "LDIFCTL_BIND_PASSWORD"
PASSWORD_FILE_VAR = "LDIFCTL_BIND_PASSWORD_FILE"
# Postfix's read-only account (mail.bind_dn), for `postfix-maps --with-password` only.
POSTFIX_PASSWORD_VAR = "LDIFCTL_POSTFIX_BIND_PASSWORD"
POSTFIX_PASSWORD_FILE_VAR = "LDIFCTL_POSTFIX_BIND_PASSWORD_FILE"
# The key that seals the cache is a secret too: whoever holds it can forge a verdict
# (cache/files.py).
KEY_VAR = "LDIFCTL_CACHE_KEY"
SECRET_VARIABLES = (
    PASSWORD_VAR,
    PASSWORD_FILE_VAR,
    POSTFIX_PASSWORD_VAR,
    POSTFIX_PASSWORD_FILE_VAR,
    KEY_VAR,
)
_taken: dict[str, str] = {}
# Each password file as a command read it, for the command's next bind: a FIFO or a
# `<(...)` pipe gives its text once (drift's python-ldap read after ldapsearch's would
# block or read nothing). None outside a command.
_read: dict[str, str] | None = None


@contextlib.contextmanager
def withheld() -> Iterator[None]:
    """While a command runs, no child can inherit the password variables. They are put
    back afterwards for whoever runs commands in this process (the tests)."""
    global _read
    taken = {name: os.environ.pop(name) for name in SECRET_VARIABLES if name in os.environ}
    _taken.update(taken)
    _read = {}
    try:
        yield
    finally:
        _read = None
        for name in taken:
            _taken.pop(name, None)
        os.environ.update(taken)


def environment() -> dict[str, str]:
    """The environment as ldifctl reads its settings: with the variables taken out."""
    return {**os.environ, **_taken}


def bind_password(
    environ: Mapping[str, str], variable: str = PASSWORD_VAR, file_variable: str = PASSWORD_FILE_VAR
) -> str | None:
    """The bind password from the environment, read only when a bind needs it."""
    direct, path = environ.get(variable), environ.get(file_variable)
    if direct and path:
        raise LdifctlError(f"both {variable} and {file_variable} are set: unset one")
    if direct or not path:
        return direct or None
    if _read is None:
        return _password_from_file(path, file_variable)
    if path not in _read:
        _read[path] = _password_from_file(path, file_variable)
    return _read[path]


def _password_from_file(path: str, variable: str) -> str:
    # Messages name the variable and the path, never anything read from the file.
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise LdifctlError(f"{variable}: cannot read {path}: {err.strerror}") from None
    text = _utf8_or_none(data)
    if text is None:
        raise LdifctlError(f"{variable}: {path} is not UTF-8 text")
    password = text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")
    if not password:
        raise LdifctlError(f"{variable}: {path} is empty: an empty password is an "
                           "anonymous bind; write the password into the file")
    return password


def _utf8_or_none(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
