"""Distinguished names: parsing and LDAP-equality keys (entry_paths.py: as file paths).

Parsing is libldap's (`str2dn`), but a tree's 100k DNs are mostly a plain leaf RDN
(`uid=user7`) on one of a few parents: `parse` reads such a leaf with a regular
expression and takes the parent's RDNs from its cache, parsed once for all the entries
below it, down to a plain top RDN (`dc=net`) read the same way. The plain RDNs are those
libldap reads as written (see `_PLAIN_RDN`), so the result is the same; anything else, and
every error, comes from parsing the whole DN.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from types import ModuleType

# A DN as LDAP compares it: RDNs leaf-first, each a sorted tuple of (type, normalised value).
RdnKey = tuple[tuple[str, object], ...]
DnKey = tuple[RdnKey, ...]
Rdn = list[tuple[str, str, int]]

Normaliser = Callable[[str, str], object]
TypeKey = Callable[[str], str]


class DnError(ValueError):
    """The text is not a valid LDAPv3 distinguished name."""


# Value characters libldap takes unescaped and as they are (AVA_STRING, flag 1): printable
# ASCII but the ones RFC 4514 escapes; `#` not first, and no space at either end (libldap
# strips those). Anything else (escapes, `+`, UTF-8, OIDs) is parsed by libldap.
_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"#+,;<>\\=')
_PLAIN_RDN = (
    "([A-Za-z][A-Za-z0-9-]*)="
    f"([{re.escape(_SAFE)}](?:[{re.escape(_SAFE + ' #')}]*[{re.escape(_SAFE + '#')}])?)"
)
_PLAIN_LEAF = re.compile(_PLAIN_RDN + ",(?=[A-Za-z0-9])")  # a parent follows, as an RDN starts
_PLAIN_TOP = re.compile(_PLAIN_RDN)  # whole: a DN of one RDN (`dc=net`), every DN's last
_MAX_PLAIN_DEPTH = 64


@lru_cache(maxsize=262144)
def parse(dn: str) -> tuple[tuple[tuple[str, str, int], ...], ...]:
    """Split a DN string into RDNs (leaf first); raise DnError when it is not a DN."""
    plain = _PLAIN_LEAF.match(dn)
    # The parent is parsed by this function, recursively: a DN of more RDNs (no real
    # one) is parsed whole, within Python's recursion limit.
    if plain is not None and dn.count(",") < _MAX_PLAIN_DEPTH:
        try:
            parent = parse(dn[plain.end() :])
        except DnError:
            pass  # the error is told of the whole DN, below
        else:
            return (((sys.intern(plain[1]), plain[2], 1),), *parent)
    elif (top := _PLAIN_TOP.fullmatch(dn)) is not None:
        return (((sys.intern(top[1]), top[2], 1),),)
    return _parse(dn)


def _libldap() -> ModuleType:
    """python-ldap's C module, libldap's own DN parser, without the `ldap` package (whose
    client, controls, schema and urllib imports cost 50 ms of every command's start).
    Loaded at the first DN that is not plain: linking libldap costs 8-12 ms, and a tree of
    plain DNs (a warm `plan`'s base_dn and changed files) needs none."""
    import _ldap

    module: ModuleType = _ldap
    return module


def _parse(dn: str) -> tuple[tuple[tuple[str, str, int], ...], ...]:
    if _outer_space(dn):
        raise DnError(f"DN {dn!r} has leading or trailing spaces")
    libldap = _libldap()
    try:
        rdns = libldap.str2dn(dn, 0) if dn else []
    except libldap.DECODING_ERROR:
        raise DnError(f"{dn!r} is not a valid DN") from None
    except UnicodeDecodeError:
        # libldap decodes hex escapes (`\a0`) to bytes that need not be UTF-8.
        raise DnError(f"{dn!r} escapes bytes that are not UTF-8") from None
    if not rdns and dn:
        raise DnError(f"{dn!r} is not a valid DN")
    for rdn in rdns:
        for attr, value, _ in rdn:
            if not attr or value is None or value == "":
                raise DnError(f"{dn!r} has an RDN without a value")
    parsed = [tuple(tuple(ava) for ava in rdn) for rdn in rdns]
    # 100k DNs share a few parents: each parent's RDN is kept once, not once per DN below.
    return tuple(parsed[:1] + [_RDNS.setdefault(rdn, rdn) for rdn in parsed[1:]])


_RDNS: dict[tuple[tuple[str, str, int], ...], tuple[tuple[str, str, int], ...]] = {}


def _outer_space(dn: str) -> bool:
    """Whitespace around the DN; an escaped space ending the last value (`dc=a\\ `) is data."""
    body = dn.rstrip()
    if dn[:1].isspace() or len(dn) - len(body) > 1:
        return True
    backslashes = len(body) - len(body.rstrip("\\"))
    return body != dn and (backslashes % 2 == 0 or dn[-1] != " ")


def key(dn: str, normalise: Normaliser, type_key: TypeKey | None = None) -> DnKey:
    """The DN's identity under LDAP rules; `normalise(attr, value)` applies the equality rule."""
    return tuple(rdn_key(rdn, normalise, type_key) for rdn in parse(dn))


def rdn_key(
    rdn: tuple[tuple[str, str, int], ...], normalise: Normaliser, type_key: TypeKey | None = None
) -> RdnKey:
    """`type_key(attr)` names the type as every spelling of it is named (`commonName`,
    `CN` and `2.5.4.3` are one type, RFC 4512 2.5): the schema knows them; without it,
    only case is folded."""
    types = _lower if type_key is None else type_key
    if len(rdn) == 1:  # the usual RDN, of one value: nothing to sort
        ((attr, value, _),) = rdn
        return ((types(attr), normalise(attr, value)),)
    return tuple(sorted((types(attr), normalise(attr, value)) for attr, value, _ in rdn))


def _lower(attr: str) -> str:
    # 100k keys name a few types: one string for each, not one per key (5 MB).
    return sys.intern(attr.lower())


def dn2str(rdns: Iterable[Iterable[tuple[str, str, int]]]) -> str:
    """RFC 4514 text of parsed RDNs, as python-ldap's `ldap.dn.dn2str` writes it."""
    return ",".join("+".join(f"{t}={escape_value(v)}" for t, v, _ in rdn) for rdn in rdns)


def escape_value(value: str) -> str:
    """An attribute value escaped for a DN (RFC 4514 2.4), as `ldap.dn.escape_dn_chars`."""
    if not value:
        return value
    for special in '\\,+"<>;=':
        value = value.replace(special, "\\" + special)
    value = value.replace("\x00", "\\00")
    if value[-1] == " ":
        value = value[:-1] + "\\ "
    return "\\" + value if value[0] in "# " else value


def rdn_text(dn: str) -> str:
    """The first RDN, as a DN string (`cn=John\\, Smith`)."""
    rdns = parse(dn)
    return dn2str(rdns[:1])


def parent(dn: str) -> str:
    """The DN one level up ('' for a single-RDN DN)."""
    return dn2str(parse(dn)[1:])


def join(rdn: str, parent_dn: str) -> str:
    return f"{rdn},{parent_dn}" if parent_dn else rdn


def rdn_values(dn: str) -> list[tuple[str, str]]:
    """The (attribute, value) pairs of the first RDN."""
    rdns = parse(dn)
    return [(attr, value) for attr, value, _ in rdns[0]] if rdns else []


def depth(dn: str) -> int:
    return len(parse(dn))


def is_within(dn_key: DnKey, base_key: DnKey) -> bool:
    """True when the DN is the base itself or below it."""
    n = len(base_key)
    return len(dn_key) >= n and dn_key[len(dn_key) - n :] == base_key
