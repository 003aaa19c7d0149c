"""Equality rules: how LDAP decides two values of an attribute are the same (RFC 4517).

Each rule maps a value to a key; two values are equal when their keys are. The keys hold
two values equal only where both servers ldifctl writes to do, measured pair by pair
against a real slapd 2.5 and 389-DS 2.3 (tests/model/test_matching_rules_servers.py):

- Case: a letter is lowered by its *simple* mapping, never folded (`Straße` is not
  `STRASSE`), and only where both servers lower it: upper- or title-case letters of
  Unicode 3.2 (OpenLDAP's liblunicode tables; not `ẞ`, new in 5.1, nor `Ⅳ`, a number)
  less those 389-DS's older table leaves alone (`_NOT_LOWERED_BY_389`: `İ`, `ǅ`, the
  Kelvin sign, Deseret, ...). Final and medial sigma stay different, as on both servers.
- Spaces: only U+0020 is insignificant (outer ones dropped, inner runs count as one); a
  tab or a no-break space is not a space.
- IA5 rules (mail addresses): ASCII lower-case and the same spaces; telephone numbers
  drop spaces and hyphens and keep case (slapd does); postal addresses as one string.

Where the servers disagree, the key keeps values apart: two values held different
though the server sees them as one cost a `delete` of the old value and an `add` of the
new one in one modify, which the server applies; two values held equal though the server
sees two lose the edit in silence. So slapd's compatibility forms (NFKC: `ﬁ` and `fi`,
fullwidth A (U+FF21) and `A`, `µ` and `μ`, a composed `é` and `e` + U+0301) are different
values here, as on 389-DS; so are a value that is not UTF-8, and the non-ASCII part of
an IA5 value (both servers refuse it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

Normalised = object

_UCD = unicodedata.ucd_3_2_0
# Measured: slapd lowers these, 389-DS 2.3 does not (or not to the same letter).
_NOT_LOWERED_BY_389 = re.compile(
    "[\u0130\u018e\u019f\u01a6\u01c4-\u01cb\u01f1\u01f2\u01f6-\u01f8\u0218-\u0232"
    "\u03d8-\u03e0\u03f4-\u0400\u040d\u048a-\u048e\u04c5\u04c9\u04cd\u04ec"
    "\u0500-\u050e\u2126-\u212b\U00010400-\U00010425]"
)


def text_of(value: bytes) -> str | None:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


class Lower(dict[int, str]):
    """Code point -> its lower case, filled in as met (str.translate looks each character
    up here): slapd's (Unicode 3.2, the simple mapping), and with `both` only where 389-DS
    lowers it too (server_rules.py keeps slapd's alone)."""

    def __init__(self, both: bool = True) -> None:
        super().__init__()
        self.both = both

    def __missing__(self, point: int) -> str:
        char = chr(point)
        # Single characters: no final-sigma context. The one letter whose full lower case
        # is longer than its simple one is U+0130 (`İ`: full `i̇`, simple `i`).
        lower = "i" if point == 0x130 else char.lower()
        # A pair whose lower case came after Unicode 3.2 (Georgian, U+04CF) is none to slapd.
        if (
            len(lower) != 1
            or _UCD.category(char) not in ("Lu", "Lt")
            or _UCD.category(lower) == "Cn"
            or (self.both and _NOT_LOWERED_BY_389.match(char))
        ):
            lower = char
        self[point] = lower
        return lower


_LOWER = Lower()
# Up to Latin Extended-A, where most non-ASCII values stay, str.lower() is both servers'
# mapping but for İ, and three times as fast as the translation.
_BEYOND_LATIN = re.compile("[^\x00-\u012f\u0131-\u017f]")


def _lower(text: str) -> str:
    return text.translate(_LOWER) if _BEYOND_LATIN.search(text) else text.lower()


def _squash(text: str) -> str:
    # X.520 "insignificant space handling": outer spaces dropped, inner runs count as one.
    if "  " not in text and text == text.strip(" "):
        return text
    return " ".join(part for part in text.split(" ") if part)


def _case_ignore(value: bytes) -> Normalised:
    if value.isascii():  # most values: ASCII letters are all either server lowers
        return _squash(value.decode("ascii")).lower()
    text = text_of(value)
    return value if text is None else _squash(_lower(text))


def _case_exact(value: bytes) -> Normalised:
    text = text_of(value)
    return value if text is None else _squash(text)


def _ia5(value: bytes, fold: bool) -> Normalised:
    # bytes.lower() lowers ASCII letters only: non-ASCII (invalid IA5) compares as it is.
    text = text_of(value.lower() if fold else value)
    return value if text is None else _squash(text)


def _case_ignore_ia5(value: bytes) -> Normalised:
    return _ia5(value, fold=True)


def _case_exact_ia5(value: bytes) -> Normalised:
    return _ia5(value, fold=False)


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
    # Both drop spaces and hyphens only; slapd keeps case ("+1 555 ABC" is not "+1555abc").
    return value.replace(b" ", b"").replace(b"-", b"")


def _numeric(value: bytes) -> Normalised:
    return value.replace(b" ", b"")


def _oid(value: bytes) -> Normalised:
    return value.strip().lower()


RULES: dict[str, Callable[[bytes], Normalised]] = {
    "caseIgnoreMatch": _case_ignore,
    "caseIgnoreIA5Match": _case_ignore_ia5,
    # slapd trims spaces line by line, 389-DS around the whole value: the whole is finer.
    "caseIgnoreListMatch": _case_ignore,
    "caseExactMatch": _case_exact,
    "caseExactIA5Match": _case_exact_ia5,
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
