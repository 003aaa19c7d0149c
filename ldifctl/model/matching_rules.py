"""Equality rules: how LDAP decides two values of an attribute are the same (RFC 4517)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

Normalised = object


def text_of(value: bytes) -> str | None:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _squash(text: str) -> str:
    # X.520 "insignificant space handling": outer spaces dropped, inner runs count as one.
    if "  " not in text and text == text.strip(" "):
        return text
    return " ".join(part for part in text.split(" ") if part)


def _case_ignore(value: bytes) -> Normalised:
    if value.isascii():
        # ASCII needs no NFKC, and casefold() equals lower() there: the common case, fast.
        return _squash(value.decode("ascii")).lower()
    text = text_of(value)
    return value if text is None else unicodedata.normalize("NFKC", _squash(text)).casefold()


def _case_exact(value: bytes) -> Normalised:
    text = text_of(value)
    return value if text is None else unicodedata.normalize("NFKC", _squash(text))


def _case_ignore_list(value: bytes) -> Normalised:
    text = text_of(value)
    return value if text is None else tuple(_squash(p).casefold() for p in text.split("$"))


def _integer(value: bytes) -> Normalised:
    try:
        return int(value.strip())
    except ValueError:
        return value


def _boolean(value: bytes) -> Normalised:
    return value.upper()


def _octet(value: bytes) -> Normalised:
    return value


def _telephone(value: bytes) -> Normalised:
    text = text_of(value)
    return value if text is None else text.replace(" ", "").replace("-", "").casefold()


def _numeric(value: bytes) -> Normalised:
    return value.replace(b" ", b"")


def _oid(value: bytes) -> Normalised:
    return value.strip().lower()


RULES: dict[str, Callable[[bytes], Normalised]] = {
    "caseIgnoreMatch": _case_ignore,
    "caseIgnoreIA5Match": _case_ignore,
    "caseIgnoreListMatch": _case_ignore_list,
    "caseExactMatch": _case_exact,
    "caseExactIA5Match": _case_exact,
    "integerMatch": _integer,
    "booleanMatch": _boolean,
    "octetStringMatch": _octet,
    "telephoneNumberMatch": _telephone,
    "numericStringMatch": _numeric,
    "objectIdentifierMatch": _oid,
    "generalizedTimeMatch": _octet,
    "distinguishedNameMatch": _octet,  # replaced per Schema: it needs the schema itself
    "uniqueMemberMatch": _octet,
    "none": _octet,
}
