"""A DN as the path of its entry file, and back: `cn=a,ou=people,dc=example,dc=net` is
`dc=net/dc=example/ou=people/cn=a.yaml`, each RDN a name escaped percent-style, and what
no file system can hold (a name or a path too long) is refused, never half-written."""

from __future__ import annotations

from functools import lru_cache

from ldifctl.model.dn import DnError, dn2str, parse

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


class NameTooLong(DnError):
    """A path names an RDN no file name can hold: the message says all."""


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
    names = [_file_name(rdn) for rdn in reversed(parse(dn))]
    problem = next(filter(None, map(_name_problem, reversed(names))), None)
    return problem or _path_problem("/".join(names) + ".yaml")


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
