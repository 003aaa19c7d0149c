"""The `server:` section of ldifctl.yaml: how to reach the live directory, and the
environment variables that override it (LDIFCTL_URI, LDIFCTL_BIND_DN)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ldifctl.model.errors import LdifctlError
from ldifctl.repo.checkout_rewrites import refuse_rewritten
from ldifctl.repo.files import check_inside
from ldifctl.repo.settings import fields
from ldifctl.repo.settings import uris as server_uris
from ldifctl.repo.yamlio.document import Document

# A server that hangs must not hang a CI job: every wait has an end (python-ldap's and
# ldapsearch's alike).
DEFAULT_TIMEOUT = 30.0

CONFIG_FILE = fields.CONFIG_FILE
KEYS = ("bind_dn", "ca_file", "start_tls", "timeout", "tls_require_cert", "uri")
_TLS_CHECKS = ("demand", "allow", "never")
_ProblemOf = Callable[[str], "str | None"]


@dataclass(frozen=True)
class ServerConfig:
    uri: str | None = None  # one URI, or several separated by spaces (see uris.py)
    start_tls: bool = False
    ca_file: Path | None = None  # resolved against the repository root
    bind_dn: str | None = None
    tls_require_cert: str = "demand"
    timeout: float | None = None  # seconds


def server(
    doc: Document, root: Path, environ: Mapping[str, str]
) -> tuple[ServerConfig, tuple[str, ...]]:
    """The section with the environment's overrides, and the warnings its settings earn."""
    fields.mapping(doc, ("server",), KEYS)
    given = _env_or_file(doc, environ, "LDIFCTL_URI", "uri", server_uris.problem)
    # Every consumer (python-ldap, ldapsearch, Postfix) gets the list as parsed here.
    uri = " ".join(server_uris.split(given)) if given else None
    bind_dn = _env_or_file(doc, environ, "LDIFCTL_BIND_DN", "bind_dn", fields.dn_problem)
    start_tls = fields.boolean(doc, ("server", "start_tls"))
    plain = [u for u in server_uris.split(uri or "") if not u.startswith("ldap://")]
    if start_tls and plain:
        raise doc.error(("server", "start_tls"), f"server.start_tls is true but the uri "
                        f"{plain[0]!r} is not ldap://: use ldap:// with start_tls, or ldaps:// "
                        "without it")
    check, warnings = _tls_require_cert(doc)
    config = ServerConfig(uri, start_tls, _ca_file(doc, root), bind_dn, check, _timeout(doc))
    return config, warnings


def _ca_file(doc: Document, root: Path) -> Path | None:
    """An absolute path is the operator's (`/etc/ssl/certs/...`); a relative one is a file
    of this repository, read where it stands like every other: never through a link, never
    out of the repository with `..`."""
    path: fields.Keys = ("server", "ca_file")
    text = fields.text(doc, path, "a file name")
    if text is None or PurePosixPath(text).is_absolute():
        return Path(text) if text else None
    if ".." in PurePosixPath(text).parts or "\\" in text:
        raise doc.error(path, f"server.ca_file: a relative path names a file of this repository, "
                        f"written relative to {CONFIG_FILE} with '/' and no '..', got {text!r}: "
                        "give an absolute path for a file outside it (/etc/ssl/certs/ca.pem)")
    try:
        check_inside(root, root / text, "a CA file")
        refuse_rewritten(root, [text], str, "CA file")
    except LdifctlError as err:
        raise doc.error(path, f"server.ca_file: {err}") from None
    return root / text


def _env_or_file(
    doc: Document, environ: Mapping[str, str], variable: str, key: str,
    problem_of: _ProblemOf,
) -> str | None:
    """The environment wins over the file; both are checked, and errors say which one."""
    if value := environ.get(variable):
        if problem := problem_of(value):
            raise LdifctlError(f"{variable}: {problem} (fix the environment variable)")
        return value
    value = fields.text(doc, ("server", key), "text")
    if value is not None and (problem := problem_of(value)):
        raise doc.error(("server", key), f"server.{key}: {problem}")
    return value


def _tls_require_cert(doc: Document) -> tuple[str, tuple[str, ...]]:
    path: fields.Keys = ("server", "tls_require_cert")
    value = fields.text(doc, path, f"one of {', '.join(_TLS_CHECKS)}") or "demand"
    if value not in _TLS_CHECKS:
        raise doc.error(path, f"server.tls_require_cert must be one of "
                        f"{', '.join(_TLS_CHECKS)}, got {value!r}")
    if value == "demand":
        return value, ()
    warning = doc.error(path, f"server.tls_require_cert is {value!r}: the server's certificate "
                        "is not verified, so anyone on the network path can pose as the server "
                        "and read the bind password; use demand with ca_file")
    return value, (str(warning),)


def _timeout(doc: Document) -> float | None:
    path: fields.Keys = ("server", "timeout")
    text = fields.text(doc, path, "a number of seconds")
    if text is None:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (0 < seconds < math.inf):
        raise doc.error(path, f"server.timeout must be a number of seconds above 0, got {text!r}")
    return seconds
