"""Empty attribute values: which syntaxes take one, and how an entry file writes one.

Servers store an empty value where the syntax allows it: `member:` of an empty group (the
root DN) is common in real data. An entry file says "empty" only as `''`: a key left
without a value is more often a value forgotten than an empty one meant.
"""

from __future__ import annotations

from ldifctl.model.errors import located
from ldifctl.model.schema import Schema

# Equality rules whose syntaxes take an empty value: DN, IA5String, NameAndOptionalUID
# and PostalAddress. OpenLDAP 2.5 stores an empty value of each; 389-DS 2.3 of the first
# two. Every other syntax with an equality rule refuses one (error 21).
EMPTY_VALUE_RULES = frozenset(
    {
        "distinguishedNameMatch",
        "caseIgnoreIA5Match",
        "caseExactIA5Match",
        "uniqueMemberMatch",
        "caseIgnoreListMatch",
    }
)
# Binary attributes of the known schemas whose syntax takes an empty value (OpenLDAP
# stores one; 389-DS an empty jpegPhoto too); photo (Fax) and certificates do not.
EMPTY_BINARY_ATTRIBUTES = frozenset(
    {"jpegphoto", "audio", "usersmimecertificate", "userpkcs12", "mailsieverulesource"}
)


def allows_empty(schema: Schema, name: str) -> bool:
    attribute = schema.attribute(name)
    return (
        attribute.equality in EMPTY_VALUE_RULES or attribute.name.lower() in EMPTY_BINARY_ATTRIBUTES
    )


def check_empty(
    written: str | bytes | None, name: str, where: str, line: int, schema: Schema
) -> None:
    """Raise unless an empty value, written as `written` (None: nothing at all), may stand."""
    allowed = allows_empty(schema, name)
    if written is None:
        empty = ", write '' for an empty one," if allowed else ""
        message = f"attribute {name!r} has no value: give it a value{empty} or remove the line"
        raise located(where, line, message)
    if not allowed:
        raise located(
            where,
            line,
            f"attribute {name!r} has an empty value, which its syntax does not allow (DN, "
            "IA5String, postal address, unique member and some binary attributes may be "
            "empty): give it a value or remove the line",
        )
