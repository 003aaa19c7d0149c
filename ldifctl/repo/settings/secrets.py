"""Secret variables (bind password, cache key), kept out of the environment children inherit.

A child process inherits the whole environment: every `git` ldifctl runs would hold
LDIFCTL_BIND_PASSWORD (issue 10). So a command takes the password variables out of
`os.environ` before it does anything; ldifctl itself reads them from what was taken
(`environment()`), and the one child that binds, `ldapsearch`, gets the password
through a pipe (server_dump.py).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from ldifctl.cache.files import KEY_VAR
from ldifctl.repo.settings.config import (
    PASSWORD_FILE_VAR,
    PASSWORD_VAR,
    POSTFIX_PASSWORD_FILE_VAR,
    POSTFIX_PASSWORD_VAR,
)

# The cache key is a secret too: whoever holds it can forge a verdict (cache_files.py).
SECRET_VARIABLES = (
    PASSWORD_VAR,
    PASSWORD_FILE_VAR,
    POSTFIX_PASSWORD_VAR,
    POSTFIX_PASSWORD_FILE_VAR,
    KEY_VAR,
)
_taken: dict[str, str] = {}


@contextlib.contextmanager
def withheld() -> Iterator[None]:
    """While a command runs, no child can inherit the password variables. They are put
    back afterwards for whoever runs commands in this process (the tests)."""
    taken = {name: os.environ.pop(name) for name in SECRET_VARIABLES if name in os.environ}
    _taken.update(taken)
    try:
        yield
    finally:
        for name in taken:
            _taken.pop(name, None)
        os.environ.update(taken)


def environment() -> dict[str, str]:
    """The environment as ldifctl reads its settings: with the variables taken out."""
    return {**os.environ, **_taken}
