"""The connection to the live directory: TLS, the bind, and errors that never show a secret.

The password is read from the environment only when the bind needs it, handed to libldap
and dropped; no message, log line or exception built here can contain it (issue 4).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import ldap
import ldap.sasl

from ldifctl.model.errors import LdifctlError
from ldifctl.repo.settings import uris as server_uris
from ldifctl.repo.settings.ldaprc import refuse_local_ldaprc
from ldifctl.repo.settings.secrets import PASSWORD_FILE_VAR, PASSWORD_VAR, bind_password
from ldifctl.repo.settings.server import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
from ldifctl.repo.settings.server import ServerConfig

ASSERTION = "1.3.6.1.1.12"
PAGED_RESULTS = "1.2.840.113556.1.4.319"
_STARTTLS = "StartTLS failed"
_TLS_CHECK = {"demand": "OPT_X_TLS_DEMAND", "allow": "OPT_X_TLS_ALLOW", "never": "OPT_X_TLS_NEVER"}


@dataclass
class Connection:
    """A bound connection and what its server's root DSE advertises."""

    ldap: Any
    uri: str
    controls: frozenset[str]
    timeout: float

    def supports(self, oid: str) -> bool:
        return oid in self.controls

    def close(self) -> None:
        with contextlib.suppress(ldap.LDAPError):
            self.ldap.unbind_ext_s()


def error_info(err: ldap.LDAPError) -> dict[str, Any]:
    """python-ldap's details of a failed operation: desc, info, result, msgid, matched."""
    return err.args[0] if err.args and isinstance(err.args[0], dict) else {}


def describe(err: ldap.LDAPError, withheld: str | None = None) -> str:
    """`No such attribute (16): <server's diagnostic>` from a python-ldap error.

    A server's diagnostic is not ours to trust: one that holds `withheld` (the password
    just sent) is left out whole, never shown or edited. libldap's own diagnostics (for
    negative result codes: no server, TLS) never hold it and are always shown."""
    info = error_info(err)
    text = str(info.get("desc") or type(err).__name__)
    code = info.get("result")
    if code is not None:
        text += f" ({code})"
    detail = str(info.get("info") or "").strip()
    from_server = not isinstance(code, int) or code >= 0
    if withheld and from_server and withheld in detail:
        detail = ""
    return f"{text}: {detail}" if detail else text


@contextlib.contextmanager
def connected(settings: ServerConfig, environ: Mapping[str, str]) -> Iterator[Connection]:
    conn = open_connection(settings, environ)
    try:
        yield conn
    finally:
        conn.close()


def open_connection(settings: ServerConfig, environ: Mapping[str, str]) -> Connection:
    uri = _uri(settings)
    timeout = settings.timeout or DEFAULT_TIMEOUT
    refuse_local_ldaprc()
    handle = ldap.initialize(uri)
    try:
        _set_options(handle, settings, timeout)
        if settings.start_tls:
            _step(handle.start_tls_s, uri, _STARTTLS)
        _bind(handle, settings, environ, uri)
        return Connection(handle, uri, _root_controls(handle, uri), timeout)
    except BaseException:
        with contextlib.suppress(ldap.LDAPError):
            handle.unbind_ext_s()
        raise


def _uri(settings: ServerConfig) -> str:
    if not settings.uri:
        raise LdifctlError(
            "no server to talk to: set server.uri in ldifctl.yaml (or LDIFCTL_URI), "
            "e.g. ldaps://ldap.example.net"
        )
    return settings.uri


def _set_options(handle: Any, settings: ServerConfig, timeout: float) -> None:
    handle.set_option(ldap.OPT_PROTOCOL_VERSION, ldap.VERSION3)
    # A referral would send our writes to a server nobody reviewed.
    handle.set_option(ldap.OPT_REFERRALS, 0)
    handle.set_option(ldap.OPT_NETWORK_TIMEOUT, timeout)
    handle.set_option(ldap.OPT_TIMEOUT, timeout)
    # A signal (apply notes Ctrl-C and SIGTERM) must not read as a lost connection: without
    # this, libldap ends a wait interrupted by one with "Can't contact LDAP server".
    handle.set_option(ldap.OPT_RESTART, 1)
    check = getattr(ldap, _TLS_CHECK[settings.tls_require_cert])
    handle.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, check)
    if settings.ca_file is not None:
        if not settings.ca_file.is_file():
            raise LdifctlError(f"server.ca_file {settings.ca_file} does not exist: fix the path")
        handle.set_option(ldap.OPT_X_TLS_CACERTFILE, str(settings.ca_file))
    # libldap applies the TLS options above only to a context created after them.
    handle.set_option(ldap.OPT_X_TLS_NEWCTX, 0)


def _bind(handle: Any, settings: ServerConfig, environ: Mapping[str, str], uri: str) -> None:
    if settings.bind_dn is None:
        if uri.startswith("ldapi://"):
            _step(
                handle.sasl_interactive_bind_s,
                uri,
                "SASL EXTERNAL bind failed",
                "",
                ldap.sasl.external(),
            )
        return  # anonymous: reads only what the server's ACLs allow anyone to read
    password = bind_password(environ)
    if password is None:
        raise LdifctlError(
            f"server.bind_dn is {settings.bind_dn} but no password is set: set {PASSWORD_VAR} "
            f"or {PASSWORD_FILE_VAR} (a file holding only the password)"
        )
    refuse_clear_text(settings)
    try:
        handle.simple_bind_s(settings.bind_dn, password)
    except ldap.INVALID_CREDENTIALS:
        raise LdifctlError(
            f"{uri} refused the bind as {settings.bind_dn}: invalid credentials (49): check "
            f"server.bind_dn (or LDIFCTL_BIND_DN) and the password in {PASSWORD_VAR} or "
            f"{PASSWORD_FILE_VAR}"
        ) from None
    except ldap.LDAPError as err:
        # The message is built from our words, the URI, the bind DN and the error, never
        # from the password, and is shown as built: masking the password's text would
        # rewrite the DN or URI around it and so tell the password (issue 10).
        raise _failure(err, uri, f"bind as {settings.bind_dn} failed", password) from None


def refuse_clear_text(settings: ServerConfig) -> None:
    """No simple bind in clear text to anything but loopback, whichever URI libldap uses."""
    server_uris.refuse_clear_text(server_uris.split(settings.uri or ""), settings.start_tls)


def _root_controls(handle: Any, uri: str) -> frozenset[str]:
    found = _step(
        handle.search_ext_s,
        uri,
        "reading the root DSE failed",
        "",
        ldap.SCOPE_BASE,
        "(objectClass=*)",
        ["supportedControl"],
    )
    values = found[0][1].get("supportedControl", []) if found else []
    return frozenset(v.decode("ascii", "replace") for v in values)


def _step(call: Any, uri: str, what: str, *args: Any) -> Any:
    try:
        return call(*args)
    except ldap.LDAPError as err:
        raise _failure(err, uri, what) from None


def _failure(
    err: ldap.LDAPError, uri: str, what: str, withheld: str | None = None
) -> LdifctlError:
    said = describe(err, withheld)
    if isinstance(err, ldap.SERVER_DOWN | ldap.CONNECT_ERROR):
        return LdifctlError(
            f"cannot reach {uri} ({what}): {said}: check server.uri (or LDIFCTL_URI), "
            "that the server runs, and for TLS server.ca_file"
        )
    if what == _STARTTLS and isinstance(err, ldap.PROTOCOL_ERROR):
        # slapd without a certificate answers "unsupported extended operation".
        return LdifctlError(
            f"{uri}: {what}: {said}: the server does not offer StartTLS: use an ldaps:// URI "
            "in server.uri, or set server.start_tls: false in ldifctl.yaml (a bind in clear "
            "text then goes only to loopback)"
        )
    return LdifctlError(f"{uri}: {what}: {said}")
