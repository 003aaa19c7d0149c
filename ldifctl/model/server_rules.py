"""Each server's own caseIgnoreMatch, where matching_rules.py keeps only what both hold
equal: to tell which server a lookup's answer depends on.

- slapd 2.5 (liblunicode's UTF8bvnormalize with LDAP_UTF8_CASEFOLD): each character is
  lowered by its simple mapping (upper- and title-case letters of Unicode 3.2), and only
  then is the text put in compatibility form (NFKC): `ﬁ` is `fi`, the Kelvin sign `k`,
  `ǅ` is `dž`, fullwidth A is `a`, but `Ⅳ` (a number, not lowered) is `IV`, which `iv`
  is not. Then X.520's insignificant spaces.
- 389-DS 2.3: no compatibility form, and a narrower table of lower cases; taken here as
  matching_rules.py's key (what both lower), which holds equal no pair 389-DS keeps apart.

Both are held to each server's answers in tests/model/test_server_rules.py. Where slapd
holds two values equal and 389-DS does not, ldifctl cannot tell which one Postfix asks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from ldifctl.model.matching_rules import RULES, Lower, Normalised, text_of

_UCD = unicodedata.ucd_3_2_0


_LOWER = Lower(both=False)


# Longer than any value that could equal an address's key under slapd's rule (254
# characters, and NFKC composes at most three into one): judged without normalising. One
# 16 MiB value of U+FDFA grew to 100M characters and 2.4 GB under NFKC.
MAX_KEY_BYTES = 4096


def slapd_case_ignore(value: bytes) -> Normalised:
    if value.isascii():
        return RULES["caseIgnoreMatch"](value)
    text = text_of(value)
    if text is None:
        return value
    folded = _UCD.normalize("NFKC", text.translate(_LOWER))
    return " ".join(part for part in folded.split(" ") if part)


# Equality rule -> (slapd's key, 389-DS's key), for the rules whose servers differ.
PER_SERVER: dict[str, tuple[Callable[[bytes], Normalised], Callable[[bytes], Normalised]]] = {
    "caseIgnoreMatch": (slapd_case_ignore, RULES["caseIgnoreMatch"]),
}


def per_server(rule: str) -> tuple[Callable[[bytes], Normalised], ...] | None:
    """slapd's and 389-DS's keys of the rule; None where ldifctl's key is both servers'."""
    return PER_SERVER.get(rule)
