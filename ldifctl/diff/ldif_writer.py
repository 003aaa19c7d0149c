"""RFC 2849 output: change records that `ldapmodify` accepts as they are, and content LDIF.

python-ldap's LDIFWriter cannot write delete or modrdn records (python-ldap#298) and sorts
content attributes case-sensitively, so the few rules of RFC 2849 are applied here.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator

from ldifctl.model.changes import Add, Change, Modify, ModRdn
from ldifctl.model.snapshot import Values

LINE_WIDTH = 76
# RFC 2849's SAFE-INIT-CHAR excludes NUL, LF, CR, space, `:` and `<`; OpenLDAP's reader
# also skips a TAB, VT or FF after `: ` (C isspace), and python-ldap's strips them: such a
# first byte would be lost, so it is base64 too.
_UNSAFE_INIT = frozenset(b"\x00\n\r :<\t\x0b\x0c")
_STRIPPED_LAST = (b" ", b"\t", b"\x0b", b"\x0c")


def _is_safe(value: bytes) -> bool:
    """RFC 2849 SAFE-STRING, and no trailing white space (which a reader may strip).

    SAFE-CHAR is any ASCII byte but NUL, LF and CR: asked of the whole value in C (a
    loop over its bytes in Python was a third of the time `export` took at 100k)."""
    if not value:
        return True
    if value[0] in _UNSAFE_INIT or value.endswith(_STRIPPED_LAST):
        return False
    return value.isascii() and b"\x00" not in value and b"\n" not in value and b"\r" not in value


def _fold(line: str) -> list[str]:
    if len(line) <= LINE_WIDTH:
        return [line]
    rest = line[LINE_WIDTH:]
    return [line[:LINE_WIDTH]] + [
        " " + rest[i : i + LINE_WIDTH - 1] for i in range(0, len(rest), LINE_WIDTH - 1)
    ]


def attr_line(name: str, value: bytes) -> list[str]:
    if not value:
        return [f"{name}:"]  # as slapcat and ldapsearch write an empty value
    if _is_safe(value):
        return _fold(f"{name}: {value.decode('ascii')}")
    return _fold(f"{name}:: {base64.b64encode(value).decode('ascii')}")


def dn_line(dn: str, field: str = "dn") -> list[str]:
    return attr_line(field, dn.encode("utf-8"))


def _values(name: str, values: Values) -> list[str]:
    return [line for v in values for line in attr_line(name, v)]


def _add(change: Add) -> list[str]:
    lines = [*dn_line(change.dn), "changetype: add"]
    return lines + [line for name, values in change.attrs for line in _values(name, values)]


def _modify(change: Modify) -> list[str]:
    lines = [*dn_line(change.dn), "changetype: modify"]
    for mod in change.mods:
        lines += [f"{mod.op}: {mod.attr}", *_values(mod.attr, mod.values), "-"]
    return lines


def _modrdn(change: ModRdn) -> list[str]:
    lines = [*dn_line(change.dn), "changetype: modrdn", *dn_line(change.new_rdn, "newrdn")]
    lines.append(f"deleteoldrdn: {1 if change.delete_old_rdn else 0}")
    if change.new_superior is not None:
        lines += dn_line(change.new_superior, "newsuperior")
    return lines


def change_lines(change: Change) -> list[str]:
    if isinstance(change, Add):
        return _add(change)
    if isinstance(change, Modify):
        return _modify(change)
    if isinstance(change, ModRdn):
        return _modrdn(change)
    return [*dn_line(change.dn), "changetype: delete"]


def render_changes(changes: Iterable[Change]) -> str:
    """Change records separated by blank lines; '' for no change."""
    return "".join("\n".join(change_lines(c)) + "\n\n" for c in changes)


Content = Iterable[tuple[str, tuple[tuple[str, Values], ...]]]


def render_content(entries: Content) -> str:
    """Content LDIF (for slapadd/ldapadd) of (dn, attributes) in the given order."""
    return "".join(content_records(entries))


def content_records(entries: Content) -> Iterator[str]:
    """The records of `render_content`, one at a time, each with its blank line."""
    for dn, attrs in entries:
        lines = dn_line(dn) + [line for name, values in attrs for line in _values(name, values)]
        yield "\n".join(lines) + "\n\n"
