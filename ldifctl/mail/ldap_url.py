"""RFC 4516 LDAP URLs as a special_result_attribute value: read as OpenLDAP's libldap
reads them for Postfix (ldap_is_ldap_url, then ldap_url_parse; libraries/libldap/url.c).

    [<][URL:]ldap[s|i]://[host[:port]][/[dn[?[attrs][?[scope][?[filter][?exts]]]]]][>]

Postfix (dict_ldap.c, dict_ldap_get_values) searches the connection it already has: the
scheme, host and port are not used, nor are extensions, critical or not (all measured
with Postfix 3.7 and slapd 2.5). The scope defaults to base and the filter to
`(objectClass=*)`. What libldap refuses to parse, Postfix reports as a malformed URL and
the lookup fails (the mail is deferred): `UrlError` says which part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# skip_url_prefix: `<`, then `URL:`, then one of these, all without regard to case.
_PREFIX = re.compile(r"<?(?:URL:)?(ldap|pldap|ldaps|pldaps|ldapi)://", re.IGNORECASE)
# ldap_pvt_bv2scope, without regard to case. `subordinate` is RFC 4516's extension.
SCOPES = {
    "base": "base",
    "one": "one",
    "onelevel": "one",
    "sub": "sub",
    "subtree": "sub",
    "subord": "subordinate",
    "subordinate": "subordinate",
    "children": "subordinate",
}
_HEX_PAIR = re.compile(rb"%([0-9A-Fa-f]{2})")
_PORT = re.compile(r"\s*[+-]?[0-9]+")


class UrlError(ValueError):
    """libldap does not parse the URL (Postfix: `malformed URL`); the message says why."""


@dataclass(frozen=True)
class LdapUrl:
    host: str  # as written (Postfix does not use it)
    dn: str | None  # None: no DN part, libldap's default base
    attrs: tuple[str, ...]  # () when none are listed
    scope: str  # base, one, sub or subordinate
    filter: str | None  # None: `(objectClass=*)`
    extensions: tuple[str, ...] = ()  # as written (Postfix does not use them)


def is_ldap_url(text: str) -> bool:
    """ldap_is_ldap_url: a value that is no URL is read as a DN."""
    return _PREFIX.match(text) is not None


def parse_url(text: str) -> LdapUrl:
    """ldap_url_parse with Postfix's flags (LDAP_PVT_URL_PARSE_HISTORIC)."""
    prefix = _PREFIX.match(text)
    if prefix is None:
        raise UrlError("not an LDAP URL")
    rest = text[prefix.end() :]
    if text.startswith("<"):
        if not rest.endswith(">"):
            raise UrlError("it starts with '<' but does not end with '>'")
        rest = rest[:-1]
    ipc = prefix[1].lower() == "ldapi"
    hostport, slash, path = rest.partition("/")
    if not slash:
        return _without_path(hostport, ipc)
    host = unescape(hostport) if ipc else _host(hostport)  # ldapi's is a path: no port
    parts = path.split("?")
    if len(parts) > 5:
        raise UrlError("more than four '?': an unescaped '?' in the filter or extensions")
    dn, attrs, scope, search, exts = parts + [""] * (5 - len(parts))
    return LdapUrl(
        host=host,
        dn=unescape(dn),
        attrs=_list(unescape(attrs)),
        scope=_scope(unescape(scope)),
        filter=_filter(search) if search else None,
        extensions=_extensions(exts) if len(parts) == 5 else (),
    )


def _without_path(rest: str, ipc: bool) -> LdapUrl:
    """No `/` after the host: libldap reads the host alone and leaves the DN out (None:
    its default base is searched), but for early Novell referrals' `host??dn`, which only
    ldapi keeps (the other schemes' port check drops what follows the `?`)."""
    hostport, _, after = rest.partition("?")
    if not ipc:
        return LdapUrl(_host(hostport), None, (), "base", None)
    dn = unescape(after[1:]) if after.startswith("?") else None
    return LdapUrl(unescape(hostport), dn, (), "base", None)


def unescape(text: str) -> str:
    """ldap_pvt_hex_unescape: `%xx` is a byte; a `%` without two hex digits after it
    empties the whole part (libldap's own handling, kept as it is). A NUL ends the text,
    as it ends a C string."""
    if "%" not in text:
        return text
    data = text.encode("utf-8")
    if data.count(b"%") != len(_HEX_PAIR.findall(data)):
        return ""
    raw = _HEX_PAIR.sub(lambda m: bytes((int(m[1], 16),)), data)
    return raw.partition(b"\0")[0].decode("utf-8", "replace")


def _host(hostport: str) -> str:
    """The host, checked as libldap checks it: a port must be a number."""
    host, port = hostport, ""
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            raise UrlError("an IPv6 host without its closing ']'")
        host, after = hostport[1:end], hostport[end + 1 :]
        colon = after.find(":")
        if colon > 0:
            raise UrlError("text between the IPv6 host's ']' and its ':port'")
        port = after[colon:] if colon == 0 else ""
    elif ":" in hostport:
        host, _, tail = hostport.partition(":")
        port = ":" + tail
    if port and not _PORT.fullmatch(unescape(port[1:])):
        raise UrlError(f"the port {port[1:]!r} is not a number")
    return unescape(host)


def _list(text: str) -> tuple[str, ...]:
    """ldap_str2charray: comma-separated, empty items dropped."""
    return tuple(item for item in text.split(",") if item)


def _scope(text: str) -> str:
    if not text:
        return "base"
    scope = SCOPES.get(text.lower())
    if scope is None:
        raise UrlError(f"unknown scope {text!r}: use base, one or sub")
    return scope


def _filter(text: str) -> str:
    found = unescape(text)
    if not found:
        raise UrlError("the filter is empty once its %-escapes are undone (a bad %-escape?)")
    if found.startswith("(") and found != found.rstrip():
        # libldap refuses what follows the closing parenthesis (Postfix defers the mail);
        # ldifctl's filter parser, made for query_filter, would let the spaces go.
        raise UrlError("the filter has spaces after its closing parenthesis")
    return found


def _extensions(text: str) -> tuple[str, ...]:
    found = _list(text)
    if not found:
        raise UrlError("a '?' after the filter with no extension after it")
    return tuple(unescape(e) for e in found)
