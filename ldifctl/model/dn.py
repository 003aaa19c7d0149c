"""Distinguished names: parsing, LDAP-equality keys, and the DN <-> file path mapping.

Parsing is libldap's (`str2dn`), but a tree's 100k DNs are mostly a plain leaf RDN
(`uid=user7`) on one of a few parents: `parse` reads such a leaf with a regular
expression and takes the parent's RDNs from its cache, parsed once for all the entries
below it. The plain leaves are those libldap reads as written (see `_PLAIN_LEAF`), so
the result is the same; anything else, and every error, comes from parsing the whole DN.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache

# python-ldap's C module: libldap's own DN parser, without importing the `ldap` package,
# whose client, controls, schema and urllib imports cost 50 ms of every command's start.
from _ldap import DECODING_ERROR
from _ldap import str2dn as _str2dn

# A DN as LDAP compares it: RDNs leaf-first, each a sorted tuple of (type, normalised value).
RdnKey = tuple[tuple[str, object], ...]
DnKey = tuple[RdnKey, ...]
Rdn = list[tuple[str, str, int]]

# Characters a file name cannot hold on some checkout (POSIX, Windows, macOS), and `%`
# because it is our escape character. Escaping is percent-style so it is reversible.
_UNSAFE_IN_FILENAME = set('/\\:*?"<>|%') | {chr(c) for c in range(0x20)} | {"\x7f"}
# A table for str.translate: one C pass over the RDN (every entry file of an import or
# an export is named through it), not a Python step per character.
_FILENAME_ESCAPES = {ord(c): f"%{ord(c):02X}" for c in _UNSAFE_IN_FILENAME}
# A file name holds 255 bytes (NAME_MAX) and an entry's adds `.yaml`: each escaped RDN,
# a folder's name too (its entry is a file beside it), fits in 250.
MAX_RDN_BYTES = 250
# Linux refuses a path over 4,096 bytes (PATH_MAX), whole: an entry's path below the
# directory folder gets 3,072 of them, the rest is for where the repo is checked out.
MAX_PATH_BYTES = 3072

Normaliser = Callable[[str, str], object]


class DnError(ValueError):
    """The text is not a valid LDAPv3 distinguished name."""


class NameTooLong(DnError):
    """A path names an RDN no file name can hold: the message says all."""


# Value characters libldap takes unescaped and as they are (AVA_STRING, flag 1): printable
# ASCII but the ones RFC 4514 escapes; `#` not first, and no space at either end (libldap
# strips those). Anything else (escapes, `+`, UTF-8, OIDs) is parsed by libldap.
_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"#+,;<>\\=')
_PLAIN_LEAF = re.compile(
    "([A-Za-z][A-Za-z0-9-]*)="
    f"([{re.escape(_SAFE)}](?:[{re.escape(_SAFE + ' #')}]*[{re.escape(_SAFE + '#')}])?)"
    ",(?=[A-Za-z0-9])"  # a parent follows, which starts as an RDN does
)
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
    return _parse(dn)


def _parse(dn: str) -> tuple[tuple[tuple[str, str, int], ...], ...]:
    if _outer_space(dn):
        raise DnError(f"DN {dn!r} has leading or trailing spaces")
    try:
        rdns = _str2dn(dn, 0) if dn else []
    except DECODING_ERROR:
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


def key(dn: str, normalise: Normaliser) -> DnKey:
    """The DN's identity under LDAP rules; `normalise(attr, value)` applies the equality rule."""
    return tuple(rdn_key(rdn, normalise) for rdn in parse(dn))


def rdn_key(rdn: tuple[tuple[str, str, int], ...], normalise: Normaliser) -> RdnKey:
    if len(rdn) == 1:  # the usual RDN, of one value: nothing to sort
        ((attr, value, _),) = rdn
        # 100k keys name a few types: one string for each, not one per key (5 MB).
        return ((sys.intern(attr.lower()), normalise(attr, value)),)
    return tuple(sorted((attr.lower(), normalise(attr, value)) for attr, value, _ in rdn))


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


def escape_filename(rdn: str) -> str:
    return rdn.translate(_FILENAME_ESCAPES)


def unescape_filename(name: str) -> str:
    if "%" not in name:
        return name
    out, i = [], 0
    while i < len(name):
        if name[i] == "%" and _is_hex(name[i + 1 : i + 3]):
            out.append(chr(int(name[i + 1 : i + 3], 16)))
            i += 3
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


def _is_hex(text: str) -> bool:
    return len(text) == 2 and all(c in "0123456789abcdefABCDEF" for c in text)


def path_problem(dn: str) -> str | None:
    """Why the DN can have no entry file (an RDN too long for a file name, or a path too
    long for the file system), or None."""
    for rdn in parse(dn):
        problem = _name_problem(escape_filename(dn2str([rdn])))
        if problem is not None:
            return problem
    return _path_problem(to_relpath(dn))


def _path_problem(relpath: str) -> str | None:
    if (size := _bytes_over(relpath, MAX_PATH_BYTES)) is None:
        return None
    return (
        f"the entry's file would be {size} bytes as a path below the directory folder, more "
        f"than the {MAX_PATH_BYTES} that fit (the file system takes 4,096 for a whole path, "
        "and the repo's own place some of it): give the entry or one above it a shorter RDN"
    )


def _name_problem(name: str) -> str | None:
    if (size := _bytes_over(name, MAX_RDN_BYTES)) is None:
        return None
    return (
        f"the RDN {name[:40]}... is {size} bytes as a file name, more than the "
        f"{MAX_RDN_BYTES} that fit (a file name holds 255, with `.yaml`): each entry is a "
        "file named by its RDN, so shorten the value, or name the entry by another attribute"
    )


def _bytes_over(text: str, limit: int) -> int | None:
    """The size of `text` in UTF-8 when it is over `limit`."""
    size = len(text.encode("utf-8"))
    return size if size > limit else None


def to_relpath(dn: str) -> str:
    """`cn=a,ou=people,dc=example,dc=net` -> `dc=net/dc=example/ou=people/cn=a.yaml`."""
    return "/".join(map(_file_name, reversed(parse(dn)))) + ".yaml"


@lru_cache(maxsize=65536)
def _file_name(rdn: tuple[tuple[str, str, int], ...]) -> str:
    """An RDN as a file or folder name (each parent's once for all the entries below it)."""
    return escape_filename(dn2str([rdn]))


def from_relpath(relpath: str) -> str:
    """The inverse of to_relpath; raises DnError for a path that cannot be an entry file."""
    if not relpath.endswith(".yaml"):
        raise DnError(f"{relpath} is not an entry file (expected a .yaml file name)")
    parts = relpath[: -len(".yaml")].split("/")
    # A git tree may hold a name no checkout can (a crafted commit): the same refusal.
    short = MAX_RDN_BYTES // 4  # UTF-8: at most 4 bytes a character
    if len(relpath) > short and max(map(len, parts)) > short:
        problem = next(filter(None, map(_name_problem, parts)), None)
        if problem is not None:
            raise NameTooLong(problem)
    if len(relpath) > MAX_PATH_BYTES // 4 and (problem := _path_problem(relpath)) is not None:
        raise NameTooLong(problem)
    dn = ",".join(unescape_filename(p) for p in reversed(parts))
    parse(dn)
    return dn
