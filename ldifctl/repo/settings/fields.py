"""Reading one value of `ldifctl.yaml`: where it is, and whether it is what its key needs.

Every setting is read from the Document as plain text (no YAML type guessing) and checked
where it stands, so an error names its line and dotted path (`server.timeout`).
"""

from __future__ import annotations

import difflib
from pathlib import PurePosixPath

from ldifctl.model import dn as dnmod
from ldifctl.repo.yamlio.document import Document, KeyPath, Plain

CONFIG_FILE = "ldifctl.yaml"
MISSING = object()
Keys = tuple[str, ...]  # a path of mapping keys in the document


def dotted(path: KeyPath) -> str:
    """`mail.virtual_alias_maps[1].bind_pw`: list items counted from 1, as tables are."""
    text = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path)
    return text.lstrip(".") or CONFIG_FILE


def at(doc: Document, path: Keys) -> Plain | object:
    value: Plain | object = doc.value
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return MISSING
        value = value[key]
    return value


def mapping(
    doc: Document, path: Keys, allowed: tuple[str, ...], required: bool = False
) -> dict[str, Plain]:
    """The mapping at `path` ({} when absent); an unknown key is an error."""
    value = at(doc, path)
    if value is MISSING or (value is None and not required):
        return {}
    if not isinstance(value, dict):
        raise doc.error(path, f"{dotted(path)} must be a mapping of {', '.join(allowed)}")
    for key in value:
        if key not in allowed:
            raise doc.error((*path, key), unknown_key(key, dotted(path), allowed))
    return value


def unknown_key(key: str, where: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {key!r} in {where}{hint}: the allowed keys are {', '.join(allowed)}"


def text(doc: Document, path: Keys, what: str) -> str | None:
    """The text at `path` (None when absent); anything else is an error saying `what`."""
    value = at(doc, path)
    if value is MISSING:
        return None
    if not isinstance(value, str) or not value:
        raise doc.error(path, f"{dotted(path)} must be {what}")
    return value


# Values are read as text; YAML 1.1 readers (and people) write a boolean in any of these.
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def boolean(doc: Document, path: Keys) -> bool:
    value = at(doc, path)
    if value is MISSING:
        return False
    if not isinstance(value, str) or value.lower() not in _BOOLEANS:
        raise doc.error(
            path, f"{dotted(path)} must be true or false (or yes/no, on/off), got {show(value)}"
        )
    return _BOOLEANS[value.lower()]


def show(value: Plain | object) -> str:
    if isinstance(value, str):
        return repr(value)
    return "nothing" if value is None else "a list" if isinstance(value, list) else "a mapping"


def dn_problem(value: str) -> str | None:
    try:
        dnmod.parse(value)
    except dnmod.DnError as err:
        return f"{err}: write it like dc=example,dc=net"
    return None


def whole_number(value: Plain | object) -> int | None:
    """A whole number written in ASCII digits that fits main.cf's int (`2147483647`);
    None for anything else. `str.isdigit` takes `²` and 5,000 digits, on which `int()`
    fails: a pull request's settings crashed every command so."""
    if not isinstance(value, str) or not (0 < len(value) <= 10) or not value.isascii():
        return None
    if not value.isdigit() or int(value) > 2**31 - 1:
        return None
    return int(value)


def inside_repository(path: str) -> bool:
    """Is `path` (relative to ldifctl.yaml) a folder of the repository's own? Never above
    it, nor in git's folder (`.git/config` holds the credentials CI checked out with, and
    `.git/hooks` what git runs)."""
    pure = PurePosixPath(path)
    return (not pure.is_absolute() and ".." not in pure.parts and "\\" not in path
            and ".git" not in (part.lower() for part in pure.parts))
