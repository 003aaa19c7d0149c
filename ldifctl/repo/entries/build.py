"""The checks every entry file passes, whichever way it was read (entries/read.py): the
attributes as written become one Entry, or an error at their line."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from ldifctl.model import dn as dnmod
from ldifctl.model import entry_paths
from ldifctl.model.errors import LdifctlError, located
from ldifctl.model.schema import Normalised, Schema
from ldifctl.model.snapshot import Entry, Origin, Values
from ldifctl.repo.entries.empty_values import check_empty

_DN_EXAMPLE = "cn=name,ou=people,dc=example,dc=net"


@dataclass(slots=True)
class RawValue:
    value: str | bytes | None  # None: written empty
    line: int


@dataclass(slots=True)
class RawAttr:
    """One key of the file as written, before any check."""

    name: str
    line: int
    values: list[RawValue]
    is_list: bool


def build_entry(
    raw: list[RawAttr], where: str, expected_dn: str | None, schema: Schema
) -> Entry:
    """Check the attributes as written and make the Entry (errors in line order)."""
    seen: dict[str, RawAttr] = {}
    attrs: dict[str, Values] = {}
    lines: dict[str, int] = {}
    dn: tuple[str, int] | None = None
    for attr in raw:
        name = register_name(attr, seen, where, schema)
        if name == "dn":
            dn = (_check_dn(attr, where, expected_dn, schema), attr.line)
        else:
            attrs[name] = checked_values(attr, name, where, schema)
            lines[name.lower()] = attr.line
    if dn is None:
        message = f"missing dn: add 'dn: {expected_dn or _DN_EXAMPLE}' as the first line"
        raise located(where, 1, message)
    return Entry(dn[0], attrs, Origin(where, dn[1], lines))


def register_name(attr: RawAttr, seen: dict[str, RawAttr], where: str, schema: Schema) -> str:
    """The canonical name; a second spelling of one attribute is an error."""
    name = "dn" if attr.name.lower() == "dn" else schema.canonical_name(attr.name)
    if name[0].isdigit() and not schema.knows(name):
        # Kept as an OID, the type would escape every check that compares names.
        raise located(
            where, attr.line, f"{attr.name!r} is a numeric OID of no attribute type ldifctl "
            "knows: write the attribute's name, or declare it under `attributes:` in "
            "ldifctl.yaml"
        )
    first = seen.setdefault(name.lower(), attr)
    if first is not attr:
        raise _duplicate_key(attr, first, where)
    return name


def _duplicate_key(attr: RawAttr, first: RawAttr, where: str) -> LdifctlError:
    if attr.name == first.name:
        message = f"duplicate key {attr.name!r} (first at line {first.line})"
        return located(where, attr.line, f"{message}: merge the values into one list")
    return located(
        where, attr.line, f"{attr.name!r} is the same attribute as {first.name!r} "
        f"(line {first.line}): merge the values under one name",
    )


def _check_dn(attr: RawAttr, where: str, expected_dn: str | None, schema: Schema) -> str:
    value = attr.values[0].value if len(attr.values) == 1 and not attr.is_list else None
    if not isinstance(value, str) or not value:
        message = f"dn must be one DN written as text: write 'dn: {_DN_EXAMPLE}'"
        raise located(where, attr.line, message)
    try:
        dnmod.parse(value)
    except dnmod.DnError as err:
        raise located(
            where, attr.line, f"invalid dn: {err}: write it as attribute=value pairs, "
            f"like {_DN_EXAMPLE}"
        ) from None
    if (
        expected_dn is not None
        and expected_dn != value
        and schema.dn_key(value) != schema.dn_key(expected_dn)
    ):
        raise located(
            where, attr.line, f"dn {value!r} does not match the file's path, which means "
            f"{expected_dn!r}: move the file to {_path_for(value, where, expected_dn)} or fix dn:"
        )
    return value


def _path_for(dn: str, where: str, expected_dn: str) -> str:
    """Where the file for `dn` belongs, in the same directory tree as `where`."""
    parts = where.split("/")
    prefix = parts[: max(len(parts) - dnmod.depth(expected_dn), 0)]
    return "/".join([*prefix, entry_paths.to_relpath(dn)])


def checked_values(attr: RawAttr, name: str, where: str, schema: Schema) -> Values:
    """The values of an attribute, checked: none twice under its equality rule, none
    empty where its syntax takes none (the LDIF reader checks its records so too)."""
    if len(attr.values) == 1:  # most attributes: no duplicate to look for
        return (_value_bytes(attr.values[0], attr.name, where, schema),)
    if not attr.values:
        message = f"attribute {attr.name!r} has an empty list: give it a value or remove the line"
        raise located(where, attr.line, message)
    normalise = schema.normaliser(name)
    seen: dict[Normalised, tuple[bytes, int]] = {}
    for raw in attr.values:
        value = _value_bytes(raw, attr.name, where, schema)
        key = normalise(value)
        if key in seen:
            raise _duplicate_value(attr.name, value, seen[key], schema, where, raw.line)
        seen[key] = (value, raw.line)
    return tuple(value for value, _ in seen.values())


def _value_bytes(raw: RawValue, name: str, where: str, schema: Schema) -> bytes:
    value = raw.value
    if not value:
        check_empty(value, name, where, raw.line, schema)
        return b""
    return value.encode("utf-8") if isinstance(value, str) else value


def _duplicate_value(
    name: str, value: bytes, first: tuple[bytes, int], schema: Schema, where: str, line: int
) -> LdifctlError:
    at = f" at line {first[1]}" if first[1] else ""  # 0: not read from a file (import)
    if value == first[0]:
        detail = f" (first{at})" if at else ""
    else:
        rule = schema.attribute(name).equality
        detail = f" ({_show(first[0])}{at} is the same under {rule})"
    message = f"attribute {name!r} has the value {_show(value)} twice{detail}: remove one"
    return located(where, line, message)


def _show(value: bytes) -> str:
    try:
        return repr(value.decode("utf-8"))
    except UnicodeDecodeError:
        return "!!binary " + base64.b64encode(value).decode("ascii")
