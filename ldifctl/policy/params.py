"""Rule parameters in policy files: each is checked where it is written, then typed."""

from __future__ import annotations

from ldifctl.mail.ldap_filter import Filter, FilterError, parse
from ldifctl.model import dn as dnmod
from ldifctl.model.schema import ATTRIBUTE_NAME
from ldifctl.policy.linear_regex import LinearPattern, PatternError
from ldifctl.repo.yamlio.document import Document, KeyPath, Plain

Names = tuple[str, ...]
Value = Names | dict[str, Names] | str | LinearPattern | Filter


def check(doc: Document, path: KeyPath, name: str, value: Plain) -> Value:
    """The typed value of parameter `name`; a wrong one is an error at its line."""
    if name == "attributes":
        return _names(doc, path, value)
    if name == "object_classes":
        return _classes(doc, path, value)
    text = _text(doc, path, value)
    if name == "attribute":
        _attribute(doc, path, text)
        return text
    if name == "pattern":
        return _pattern(doc, path, text)
    if name == "filter":
        return _filter(doc, path, text)
    if name == "base":
        return _base(doc, path, text)
    return text


def _text(doc: Document, path: KeyPath, value: Plain) -> str:
    if not isinstance(value, str) or not value:
        raise doc.error(path, f"{path[-1]} must be text")
    return value


def _attribute(doc: Document, path: KeyPath, name: Plain) -> str:
    if not isinstance(name, str) or not ATTRIBUTE_NAME.fullmatch(name):
        raise doc.error(path, f"{name!r} is not an attribute name")
    return name


def _names(doc: Document, path: KeyPath, value: Plain) -> Names:
    if not isinstance(value, list):
        raise doc.error(path, f"{path[-1]} must be a list of attribute names")
    return tuple(_attribute(doc, (*path, i), v) for i, v in enumerate(value))


def _classes(doc: Document, path: KeyPath, value: Plain) -> dict[str, Names]:
    if not isinstance(value, dict):
        raise doc.error(path, "object_classes must map an object class to a list of attributes")
    return {
        _attribute(doc, (*path, c), c): _names(doc, (*path, c), names) for c, names in value.items()
    }


def _pattern(doc: Document, path: KeyPath, text: str) -> LinearPattern:
    try:
        return LinearPattern(text)
    except PatternError as err:
        raise doc.error(
            path, f"{path[0]}.{path[1]}.pattern {text!r} is not a regular expression RE2 "
            f"accepts ({err}): patterns run in linear time with RE2's syntax, which has no "
            "backreferences or lookarounds (see README, custom rules); rewrite it"
        ) from None


def _filter(doc: Document, path: KeyPath, text: str) -> Filter:
    try:
        return parse(text)
    except FilterError as err:
        raise doc.error(path, f"filter: {err}: fix the RFC 4515 filter") from None


def _base(doc: Document, path: KeyPath, text: str) -> str:
    try:
        dnmod.parse(text)
    except dnmod.DnError as err:
        raise doc.error(path, f"base: {err}: write it like ou=people,dc=example,dc=net") from None
    return text


def names(value: Value | None) -> Names:
    return value if isinstance(value, tuple) else ()


def classes(value: Value | None) -> dict[str, Names]:
    return value if isinstance(value, dict) else {}


def text(value: Value | None) -> str:
    return value if isinstance(value, str) else ""
