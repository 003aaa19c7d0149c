"""libldap's files in the current directory, which no connection of ldifctl may read.

When libldap first starts (python-ldap in this process, `ldapsearch` for `drift`), it
reads `ldaprc` in the current directory (and the name `$LDAPRC` gives, and `$LDAPCONF`
when it is a relative path) besides the system's and the user's files, and such a file
may set the CA a bind password is sent to (TLS_CACERT), the certificate check, SIZELIMIT
or DEREF for searches. ldifctl runs at the root of a repository that pull requests write,
so such a file could choose whose certificate is trusted or cut drift's read short, and
no plan would show it (it is no entry file). The connection's settings are
ldifctl.yaml's, reviewed as entries are: every file libldap would open inside the
current directory is refused, whichever way it gets there (an absolute `$LDAPRC` or
`$LDAPCONF` into it, a `$HOME` at or above it, a link out of it). The system's
/etc/ldap/ldap.conf and the user's ~/.ldaprc elsewhere are the operator's own and stay
in use.
"""

from __future__ import annotations

import os
from pathlib import Path

from ldifctl.model.errors import LdifctlError, printable


def refuse_local_ldaprc() -> None:
    """Raise when libldap would read a configuration file in the current directory (it
    reads the process's own environment, not the one ldifctl reads its settings from)."""
    env = os.environ
    if "LDAPNOINIT" in env:  # set at all, even empty: libldap reads no file
        return
    here = Path.cwd()
    for path, variable in _read_by_libldap(env, here):
        # A link counts (libldap follows it), and so does a file whose name leads out.
        if os.path.lexists(path) and (_inside(path, here) or _inside(_real(path), here)):
            raise _refused(printable(str(path)), variable)


def _read_by_libldap(env: os._Environ[str], here: Path) -> list[tuple[Path, str]]:
    """The files libldap 2.5 opens besides /etc/ldap/ldap.conf (init.c), with the variable
    that names each: `$LDAPCONF` as a path; `ldaprc` and the name `$LDAPRC` gives, each
    in $HOME (as it is and with a leading dot) and in the current directory. A file
    outside the current directory is the operator's own, not the repository's."""
    home = env.get("HOME", "")
    found: list[tuple[Path, str]] = [(here / "ldaprc", "")]
    if home:
        found += [(Path(home) / "ldaprc", "HOME"), (Path(home) / ".ldaprc", "HOME")]
    chosen = env.get("LDAPRC", "")
    if chosen:
        found.append((here / chosen, "LDAPRC"))
        if home:
            found += [(Path(home) / chosen, "LDAPRC"), (Path(home) / f".{chosen}", "LDAPRC")]
    if env.get("LDAPCONF"):
        found.append((here / env["LDAPCONF"], "LDAPCONF"))
    return found


def _inside(path: Path, here: Path) -> bool:
    return os.path.normpath(path).startswith(os.path.join(os.path.normpath(here), ""))


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: libldap fails to open it too
        return path


def _refused(path: str, variable: str) -> LdifctlError:
    """A file $LDAPRC, $LDAPCONF or $HOME leads to is the operator's choice: say which,
    and how to keep using one outside this folder."""
    why = f" (${variable} leads to it)" if variable else ""
    fix = f"give ${variable} a place outside this folder, " if variable else ""
    return LdifctlError(
        f"{path}: libldap would read this file{why} and let it set the CA, certificate "
        "check and search limits of ldifctl's connection; ldifctl takes them from "
        f"ldifctl.yaml's server: section only: remove the file, {fix}or run ldifctl from a "
        "folder without one"
    )
