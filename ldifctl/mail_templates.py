"""Postfix's `%` templates (db_common): filling them in, and reading keys back out of values."""

from __future__ import annotations

import re
from functools import lru_cache

from ldifctl.ldap_filter import Compare, Template

SPEC = re.compile(r"%(.)")
_DN_SPECIALS = re.compile(r'[ \t"#+,;<>\\]')


def parts_of(key: str) -> tuple[str, str | None]:
    """(local part, domain); the domain is after the last `@`, None without one."""
    local, at, domain = key.rpartition("@")
    return (local, domain) if at else (key, None)


def format_result(template: str, value: str, key: str) -> str | None:
    """One value through result_format; None when Postfix skips it (%d on a value without
    a domain, %u on `@domain`, an empty value)."""
    used = set(SPEC.findall(template))
    local, domain = parts_of(value)
    if (
        not value
        or ("d" in used and not domain)
        or ("u" in used and domain is not None and not local)
    ):
        return None
    key_local, key_domain = parts_of(key)
    labels = [p for p in (key_domain or "").split(".") if p]
    table = {
        "%": "%",
        "s": value,
        "u": local,
        "d": domain or "",
        "S": key,
        "U": key_local,
        "D": key_domain or "",
    }
    table.update({str(i): labels[-i] for i in range(1, len(labels) + 1) if i <= 9})
    return SPEC.sub(lambda m: table.get(m[1], ""), template)


def rfc2253(text: str) -> str:
    """Postfix quotes the key like this before putting it into a search base."""
    return _DN_SPECIALS.sub(lambda m: f"\\{ord(m[0]):02X}", text)


def reverse_keys(atom: Compare, value: bytes, domains: tuple[str, ...]) -> list[str]:
    """The keys whose substitution into `atom` gives `value` (to be confirmed by a lookup)."""
    text = value.decode("utf-8", "replace").lower()
    if atom.value in (("s",), ("S",)):
        return [text]  # the usual `(mail=%s)`: the value is the key
    match = _reverse_pattern(atom.value).fullmatch(text)
    if match is None:
        return []
    found = match.groupdict()
    if found.get("s") is not None:
        return [found["s"]]
    user, domain = found.get("u"), found.get("d")
    if user is not None and domain is not None:
        return [f"{user}@{domain}"]
    return [f"{user}@{d}" for d in domains] if user is not None else []


@lru_cache(maxsize=256)
def _reverse_pattern(value: Template) -> re.Pattern[str]:
    groups = {"s": "s", "S": "s", "u": "u", "U": "u", "d": "d", "D": "d"}
    shapes = {"s": r".+", "u": r".*", "d": r"[^@]+"}
    out, seen = [], set()
    for segment in value:
        if isinstance(segment, bytes):
            out.append(re.escape(segment.decode("utf-8", "replace").lower()))
            continue
        name = groups.get(segment, f"n{segment}")
        out.append(f"(?P={name})" if name in seen else f"(?P<{name}>{shapes.get(name, '[^.@]+')})")
        seen.add(name)
    return re.compile("".join(out), re.DOTALL)
