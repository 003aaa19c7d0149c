"""Postfix's `%` templates (db_common): filling them in, and reading keys back out of values."""

from __future__ import annotations

import re
from functools import lru_cache

from ldifctl.mail.addresses import fold
from ldifctl.mail.ldap_filter import Compare, Template

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
    """The keys whose substitution into `atom` gives `value` (to be confirmed by a lookup),
    folded as Postfix sends them: `straße` reads back as `strasse`, which the lookup may
    then not confirm (the server's equality rule does not fold)."""
    text = fold(value.decode("utf-8", "replace"))
    if atom.value in (("s",), ("S",)):
        return [text]  # the usual `(mail=%s)`: the value is the key
    found = _read_back(_reading(atom.value), text)
    if found is None:
        return []
    if found.get("s") is not None:
        return [found["s"]]
    user, domain = found.get("u"), found.get("d")
    if user is not None and domain is not None:
        return [f"{user}@{domain}"]
    return [f"{user}@{d}" for d in domains] if user is not None else []


# Reading a value back through a template, in time linear in the value. A backtracking
# regex took minutes on `%1%2…%9` (every split of the value is tried), and backreferences
# (a placeholder used twice) rule RE2 out. So each placeholder's text is cut where a
# character it cannot hold stands: `%d` ends before `@`, `%1` before `.` or `@`. Only
# templates read one way only are accepted (config: reverse_problem); `%u@%d` is cut
# from the right (`%d` starts after the last `@`), `%1.%2…` from the left.
_GROUPS = {"s": "s", "S": "s", "u": "u", "U": "u", "d": "d", "D": "d"}
_BARRED = {"s": "", "u": "", "d": "@"}  # what a placeholder's text cannot hold
_DIGIT_BARRED = ".@"  # %1-%9 are domain labels
_MAY_BE_EMPTY = {"u"}
# One step: (how, placeholder group, literal); `how` is "start"/"end" (a literal read at
# that end), "rest" (the placeholder is all that is left), "left"/"right" (it is cut at
# the first/last such character).
Step = tuple[str, str, str]


def _barred(group: str) -> str:
    return _BARRED.get(group, _DIGIT_BARRED)


def _group(segment: str) -> str:
    return _GROUPS.get(segment, f"n{segment}")


def reverse_problem(value: Template) -> str | None:
    """Why a template cannot be read back out of a value one way only (None: it can)."""
    try:
        _reading(value)
    except ValueError as err:
        return str(err)
    return None


@lru_cache(maxsize=256)
def _reading(value: Template) -> tuple[Step, ...]:
    parts = [fold(s.decode("utf-8", "replace")) if isinstance(s, bytes) else s for s in value]
    kinds = [isinstance(s, bytes) for s in value]
    steps: list[Step] = []
    i, j = 0, len(parts)
    while i < j:
        if kinds[i] or kinds[j - 1]:
            at = i if kinds[i] else j - 1
            steps.append(("start" if at == i else "end", "", parts[at]))
            i, j = (i + 1, j) if at == i else (i, j - 1)
        elif j - i == 1:
            steps.append(("rest", _group(parts[i]), ""))
            i += 1
        elif kinds[i + 1] and parts[i + 1][0] in _barred(_group(parts[i])):
            steps.append(("left", _group(parts[i]), parts[i + 1][0]))
            i += 1
        elif kinds[j - 2] and parts[j - 2][-1] in _barred(_group(parts[j - 1])):
            steps.append(("right", _group(parts[j - 1]), parts[j - 2][-1]))
            j -= 1
        else:
            raise ValueError(_stuck(parts, kinds, i))
    return tuple(steps)


def _stuck(parts: list[str], kinds: list[bool], i: int) -> str:
    if not kinds[i + 1]:
        return f"%{parts[i]} is followed directly by %{parts[i + 1]}"
    return f"%{parts[i]} may hold the {parts[i + 1][0]!r} after it"


def _read_back(steps: tuple[Step, ...], text: str) -> dict[str, str] | None:
    """Each placeholder group's text, or None when the value does not fit the template."""
    lo, hi, found = 0, len(text), dict[str, str]()
    for how, group, literal in steps:
        if how in ("start", "end"):
            at = text.startswith if how == "start" else text.endswith
            if not at(literal, lo, hi):
                return None
            lo, hi = (lo + len(literal), hi) if how == "start" else (lo, hi - len(literal))
            continue
        if how == "rest":
            cut, piece = hi, text[lo:hi]
        elif how == "left":
            cut = text.find(literal, lo, hi)
            piece = text[lo:cut]
        else:
            cut = text.rfind(literal, lo, hi)
            piece = text[cut + 1 : hi]
        if cut < 0 or not _holds(group, piece) or found.setdefault(group, piece) != piece:
            return None
        lo, hi = (cut, hi) if how == "left" else (lo, cut + 1) if how == "right" else (hi, hi)
    return found if lo == hi else None


def _holds(group: str, piece: str) -> bool:
    if not piece:
        return group in _MAY_BE_EMPTY
    return not any(c in piece for c in _barred(group))
