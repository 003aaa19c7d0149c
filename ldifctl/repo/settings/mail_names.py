"""Reading the names and settings of the `mail:` section beside the tables, checked where
a typo would otherwise pass in silence: attributes the schema does not know (a table
reading `mailAlternateAdress` finds nothing), main.cf's settings, the DN Postfix binds as."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from ldifctl.mail.settings import LIMITS, MailSettings
from ldifctl.model import dn as dnmod
from ldifctl.model.schema import Schema
from ldifctl.repo.settings.fields import whole_number
from ldifctl.repo.yamlio.document import Document, KeyPath, Plain

# What cannot start an address extension: it would split or end the address itself.
_NOT_DELIMITERS = set(' \t\r\n@,;:<>()[]"\\')


def settings(doc: Document, section: Mapping[str, Plain]) -> MailSettings:
    return MailSettings(
        delimiter(doc, section.get("recipient_delimiter")),
        limit(doc, LIMITS[0], section),
        limit(doc, LIMITS[1], section),
        postfix_bind_dn(doc, section.get("bind_dn")),
        doc.line(("bind_dn",)),
    )


def check_names(
    doc: Document,
    path: KeyPath,
    where: str,
    fields: Mapping[str, tuple[str, ...]],
    schema: Schema | None,
) -> None:
    """Every attribute named in a table's `fields` (field -> names) is known to the schema
    (when there is one to ask)."""
    if schema is None:
        return
    known = {a.name.lower(): a.name for a in schema.attributes.values()}
    for field, names in fields.items():
        for name in names:
            if name.split(";", 1)[0].lower() not in known:
                raise doc.error((*path, field), _unknown(where, field, name, known))


def _unknown(where: str, field: str, name: str, known: dict[str, str]) -> str:
    close = difflib.get_close_matches(name.lower(), known, n=1)
    hint = f" (did you mean {known[close[0]]!r}?)" if close else ""
    return (
        f"{where}.{field}: attribute {name!r} is not in the schema{hint}, so the table "
        "would find nothing through it: fix the name, or declare the attribute under "
        "attributes: in ldifctl.yaml"
    )


def delimiter(doc: Document, value: Plain) -> str:
    """mail.recipient_delimiter: main.cf's, one or more characters (empty: none)."""
    if value is None:
        return ""
    bad = not isinstance(value, str) or any(c in _NOT_DELIMITERS for c in value)
    if bad or len(set(str(value))) != len(str(value)):
        raise doc.error(
            ("recipient_delimiter",),
            "mail.recipient_delimiter must be the characters of main.cf's recipient_delimiter "
            "(each once; not white space, @ or address punctuation), e.g. '+'",
        )
    wide = sorted({c for c in str(value) if not c.isascii()})
    if wide:
        # Postfix splits the address at any byte of the setting (split_at_right/strcspn
        # over bytes): `§` is 0xC2 0xA7, so `a£b` (0xC2 0xA3) would split at its lead byte
        # and no address with a 0xC2 character would be looked up whole.
        raise doc.error(
            ("recipient_delimiter",),
            f"mail.recipient_delimiter: {''.join(wide)!r} is not ASCII, and Postfix splits "
            "addresses at each byte of the setting, so it would cut other non-ASCII "
            "characters that share a byte with it: use ASCII characters only, e.g. '+'",
        )
    return str(value)


def limit(doc: Document, name: str, section: Mapping[str, Plain]) -> int:
    """One of main.cf's LIMITS: a whole number above 0, 1000 when not set."""
    value = section.get(name)
    if value is None:
        return 1000
    number = whole_number(value)
    if number is None or number < 1:
        raise doc.error((name,), f"mail.{name} must be a whole number from 1 to 2147483647, "
                        "as in main.cf")
    return number


def postfix_bind_dn(doc: Document, value: Plain) -> str | None:
    """mail.bind_dn: the read-only account postfix-maps makes Postfix bind as."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            dnmod.parse(value)
            return value
        except dnmod.DnError as err:
            problem = f"{err}"
    else:
        problem = "it must be a DN"
    raise doc.error(
        ("bind_dn",),
        f"mail.bind_dn: {problem}: write the DN of Postfix's read-only account, like "
        "cn=postfix,ou=services,dc=example,dc=net",
    )
