"""Empty attribute values: which syntaxes take one, and how an entry file writes one.

Servers store an empty value where the syntax allows it: `member:` of an empty group (the
root DN) is common in real data. An entry file says "empty" only as `''`: a key left
without a value is more often a value forgotten than an empty one meant.
"""

from __future__ import annotations

from ldifctl.errors import located
from ldifctl.schema import Schema

# Equality rules whose syntaxes take an empty value: DN, IA5String, NameAndOptionalUID
# and PostalAddress. OpenLDAP 2.5 stores an empty value of each; 389-DS 2.3 of the first
# two. Every other syntax refuses one (error 21), so an entry file may not hold one.
EMPTY_VALUE_RULES = frozenset(
    {
        "distinguishedNameMatch",
        "caseIgnoreIA5Match",
        "caseExactIA5Match",
        "uniqueMemberMatch",
        "caseIgnoreListMatch",
    }
)


def check_empty(
    written: str | bytes | None, name: str, where: str, line: int, schema: Schema
) -> None:
    """Raise unless an empty value, written as `written` (None: nothing at all), may stand."""
    allowed = schema.attribute(name).equality in EMPTY_VALUE_RULES
    if written is None:
        empty = ", write '' for an empty one," if allowed else ""
        message = f"attribute {name!r} has no value: give it a value{empty} or remove the line"
        raise located(where, line, message)
    if not allowed:
        raise located(
            where,
            line,
            f"attribute {name!r} has an empty value, which its syntax does not "
            "allow (only DN and IA5String values, postal addresses and unique members may be "
            "empty): give it a value or remove the line",
        )
