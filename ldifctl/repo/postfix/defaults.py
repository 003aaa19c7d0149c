"""What an ldap_table(5) field means to Postfix (3.7, dict_ldap.c): its default, and one
way of writing each value, so that settings Postfix reads the same compare equal.

`postmap -v -q KEY ldap:/file.cf` prints every field as Postfix read it, defaults
included: tests/repo/test_postfix_meaning.py holds these against it.
"""

from __future__ import annotations

import re

DEFAULTS = {
    "server_host": "localhost",
    "server_port": "389",
    "timeout": "10",
    "search_base": "",
    "query_filter": "(mailacceptinggeneralid=%s)",
    "result_format": "%s",
    "domain": "",
    "result_attribute": "maildrop",
    "special_result_attribute": "",
    "terminal_result_attribute": "",
    "leaf_result_attribute": "",
    "scope": "sub",
    "bind": "yes",
    "bind_dn": "",
    "recursion_limit": "1000",
    "expansion_limit": "0",
    "size_limit": "",  # $expansion_limit (DeployedTable.effective)
    "dereference": "0",
    "chase_referrals": "no",
    "version": "3",  # Postfix 3.7's (older releases: 2); any other than 2 or 3 is 3
    "debuglevel": "0",
    "sasl_mechs": "",
    "sasl_realm": "",
    "sasl_authz_id": "",
    "sasl_minssf": "0",
    "start_tls": "no",
    "tls_require_cert": "no",
    "tls_ca_cert_file": "",
    "tls_ca_cert_dir": "",
    "tls_cert": "",
    "tls_key": "",
    "tls_random_file": "",
    "tls_cipher_suite": "",
}
# Read only with TLS (start_tls or an ldaps:// URI), and only with `bind = sasl`.
TLS_FIELDS = tuple(name for name in DEFAULTS if name.startswith("tls_"))
SASL_FIELDS = tuple(name for name in DEFAULTS if name.startswith("sasl_"))
IGNORED = ("cache", "cache_expiry", "cache_size")  # `ignoring cache`: no longer supported
BOOLEANS = ("start_tls", "tls_require_cert", "chase_referrals")
# Postfix's cfg_get_bool takes these two alone (any case): `start_tls = true` is fatal.
_TRUE, _FALSE = ("yes",), ("no",)
_BINDS = {"no": "no", "none": "no", "yes": "yes", "simple": "yes", "sasl": "sasl"}
_INTEGERS = (
    "server_port", "timeout", "recursion_limit", "expansion_limit", "size_limit",
    "dereference", "version", "debuglevel", "sasl_minssf",
)
_LISTS = (
    "result_attribute", "special_result_attribute", "terminal_result_attribute",
    "leaf_result_attribute", "domain",
)
SPLIT = re.compile(r"[,\s]+")
_URI = re.compile(r"(?P<scheme>[A-Za-z]+)://(?P<host>\[[^\]]*\]|[^:/?]*)(?::(?P<port>\d*))?"
                  r"(?P<rest>.*)", re.S)
_PORTS = {"ldap": "389", "ldaps": "636"}


def normalised(name: str, value: str) -> str:
    """`value` of field `name` written one way: booleans yes/no, bind no/yes/sasl (its
    synonyms none/simple), numbers without leading zeros, lists `a, b`."""
    if name in BOOLEANS:
        lowered = value.lower()
        return "yes" if lowered in _TRUE else "no" if lowered in _FALSE else value
    if name == "bind":
        return _BINDS.get(value.lower(), value)
    if name in _INTEGERS and value.isdigit():
        return str(int(value))
    if name in _LISTS:
        return ", ".join(part for part in SPLIT.split(value) if part)
    if name == "scope":
        return value.lower()
    return " ".join(value.split())


def canonical_uri(uri: str) -> str:
    """An ldap:// or ldaps:// URI written one way: scheme and host lower-case, no default
    port (389, 636), no bare trailing `/`. Any other (ldapi://) is kept as written."""
    found = _URI.fullmatch(uri)
    scheme = found["scheme"].lower() if found else ""
    if found is None or scheme not in _PORTS:
        return uri
    port = found["port"]
    shown = f":{port}" if port and port.lstrip("0") != _PORTS[scheme] else ""
    rest = "" if found["rest"] == "/" else found["rest"]
    return f"{scheme}://{found['host'].lower()}{shown}{rest}"
