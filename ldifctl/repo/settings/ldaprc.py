"""libldap's file in the current directory, which no connection of ldifctl may read.

When libldap first starts (python-ldap in this process, `ldapsearch` for `drift`), it
reads `ldaprc` in the current directory (or the name `$LDAPRC` gives) besides the
system's and the user's files, and that file may set the CA a bind password is sent to
(TLS_CACERT), the certificate check, SIZELIMIT or DEREF for searches. ldifctl runs at
the root of a repository that pull requests write, so such a file could choose whose
certificate is trusted or cut drift's read short, and no plan would show it (it is no
entry file). The connection's settings are ldifctl.yaml's, reviewed as entries are: the
file is refused. The system's /etc/ldap/ldap.conf and the user's ~/.ldaprc are the
operator's own and stay in use.
"""

from __future__ import annotations

import os
from pathlib import Path

from ldifctl.model.errors import LdifctlError, printable


def refuse_local_ldaprc() -> None:
    """Raise when libldap would read a configuration file in the current directory (it
    reads the process's own environment, not the one ldifctl reads its settings from)."""
    env = os.environ
    if env.get("LDAPNOINIT"):  # libldap reads no file at all
        return
    # An absolute $LDAPRC is the operator's own file wherever ldifctl runs: not ours to judge.
    chosen = env.get("LDAPRC", "")
    names = ["ldaprc", *([chosen] if chosen and not os.path.isabs(chosen) else [])]
    here = Path.cwd()
    for name in names:
        path = here / name
        if os.path.lexists(path):  # a link counts: libldap follows it
            raise LdifctlError(
                f"{printable(str(path))}: libldap would read this file and let it set "
                "the CA, certificate check and search limits of ldifctl's connection; "
                "ldifctl takes them from ldifctl.yaml's server: section only: remove the "
                "file, or run ldifctl from a folder without one"
            )
