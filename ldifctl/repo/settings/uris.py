"""`server.uri` as libldap reads it: one URI or a list, and the rule each one must pass.

libldap (`ldap_initialize`, `ldapsearch -H`) and Postfix's `server_host` take a list of
URIs separated by commas or spaces and fall back to the next one when a server cannot be
reached. A rule checked on the first URI alone lets the bind go to the second in clear
text (issue 10), so the list is parsed here, once, and every URI is held to the rule.
Each URI is parsed strictly: the host judged here is the host libldap connects to.
"""

from __future__ import annotations

import ipaddress
import re

from ldifctl.model.errors import LdifctlError

# What libldap splits a list on (ldap_url_parselist: ", "); a tab is no separator to it.
_SEPARATORS = re.compile("[, ]+")
# scheme://host[:port][/dn...]: a host name, an IPv4 address or a bracketed IPv6 address.
# No user info, escapes or zone ids: libldap would read those differently from us.
_NETWORK_URI = re.compile(r"ldaps?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]*)(:[0-9]{1,5})?(/\S*)?")
# ldapi://%2Frun%2Fslapd%2Fldapi: the host is a %-encoded path of a local socket.
_LOCAL_URI = re.compile(r"ldapi://[^\s/?]*(/\S*)?")
_EXAMPLE = "write it like ldaps://ldap.example.net"


def split(text: str) -> tuple[str, ...]:
    """The URIs of a `server.uri` value, in the order libldap tries them."""
    return tuple(part for part in _SEPARATORS.split(text) if part)


def problem(text: str) -> str | None:
    """What is wrong with a `server.uri` value, or None."""
    uris = split(text)
    if len(uris) == 1 or not uris:
        return None if uris and _valid(uris[0]) else f"{text!r} is not an LDAP URI: {_EXAMPLE}"
    bad = next((uri for uri in uris if not _valid(uri)), None)
    if bad is None:
        return None
    return (
        f"{bad!r} is not an LDAP URI: {_EXAMPLE} (several URIs are separated by commas or "
        "spaces, so a comma inside a URI splits it)"
    )


def _valid(uri: str) -> bool:
    return bool(_NETWORK_URI.fullmatch(uri) or _LOCAL_URI.fullmatch(uri))


def refuse_clear_text(uris: tuple[str, ...], start_tls: bool) -> None:
    """A password sent without TLS can be read on the wire; loopback never leaves the host.
    libldap may use any URI of the list, so every one must pass."""
    for uri in uris:
        if not (uri.startswith(("ldaps://", "ldapi://")) or start_tls or is_loopback(uri)):
            raise LdifctlError(
                f"refusing to send the bind password in clear text to {uri}: set "
                "server.start_tls: true, or use an ldaps:// URI"
                + (
                    ""
                    if len(uris) == 1
                    else " (every URI of server.uri must be safe: libldap "
                    "falls back to the next one when a server cannot be reached)"
                )
            )


def is_loopback(uri: str) -> bool:
    match = _NETWORK_URI.fullmatch(uri)
    if match is None:
        return False
    host = match[1].strip("[]")
    if host.lower() in ("", "localhost"):  # libldap's default host is localhost
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
