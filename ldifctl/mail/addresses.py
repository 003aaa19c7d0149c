"""Addresses as Postfix reads them: out of a lookup result (tok822_parse and
mail_addr_crunch), and with their extension (recipient_delimiter: split_addr).

A result is an RFC 5322 address list: `Carol C <carol@h2.test>` is carol@h2.test, a
comment or a quoted display name is no address, and words that no `.` or `@` joins are
separate addresses (`a b@x` is `a` and `b@x`, as Postfix has it).
"""

from __future__ import annotations

import re

# A result without any of these is a plain comma-separated list (the usual case); a
# trailing dot goes (`a@b.c.` is a@b.c).
_SPECIAL = re.compile(r'[\s<>()";:\[\]\\]|\.(?:,|$)')
_SPECIALS = "<>,;:@.[]"
_NEVER_SPLIT = ("postmaster", "mailer-daemon", "double-bounce")
# Postfix's quote_822_local counts every byte >= 0x80 as plain text (a UTF-8 user part
# is written as it is, never quoted): only ASCII specials make it quote.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\U0010ffff-]+"
_DOT_ATOM = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
Token = tuple[str, str]  # (kind, text): "word", or the special character itself


def fold(text: str) -> str:
    """An address as Postfix compares it and sends it to a table: case-folded (casefold()
    with SMTPUTF8 on, the default since compatibility_level 3.6), so `Straße` is `strasse`
    and a final capital sigma is the medial small one (U+03C3), not the final one.

    Postfix folds with ICU's default full case folding; Python's casefold() is the same
    Unicode mapping (CaseFolding.txt C+F, no Turkic rules): they can differ only for
    letters new in a Unicode version one of them lacks (Python 3.11 has Unicode 14). ASCII
    text folds to its lower case, and lower() on it is the cheap way there."""
    return text.lower() if text.isascii() else text.casefold()


def is_plain_list(result: str) -> bool:
    """Is the result a plain comma-separated list of addresses (no names, comments, ...)?"""
    return _SPECIAL.search(result.strip()) is None


def split_targets(result: str) -> tuple[str, ...]:
    """A lookup result as the addresses Postfix reads from it, as written."""
    if is_plain_list(result):
        return tuple(t for t in (p.strip() for p in result.split(",")) if t)
    return tuple(_addresses(_tokens(result)))


def _tokens(text: str) -> list[Token]:
    """Words (atoms, quoted strings, domain literals) and specials; comments dropped."""
    out: list[Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(":
            i = _after_comment(text, i)
        elif c == '"':
            end = _after_quoted(text, i)
            out.append(("word", text[i:end]))
            i = end
        elif c == "[":
            end = text.find("]", i)
            end = len(text) if end < 0 else end + 1
            out.append(("word", text[i:end]))
            i = end
        elif c in _SPECIALS:
            out.append((c, c))
            i += 1
        else:
            end = i
            while end < len(text) and not (text[end].isspace() or text[end] in _SPECIALS + '("'):
                end += 1
            out.append(("word", text[i:end]))
            i = end
    return out


def _after_comment(text: str, i: int) -> int:
    depth = 0
    while i < len(text):
        if text[i] == "\\":
            i += 1
        elif text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _after_quoted(text: str, i: int) -> int:
    i += 1
    while i < len(text) and text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return min(i + 1, len(text))


def _addresses(tokens: list[Token]) -> list[str]:
    """Split at commas (and group `;`) outside angle brackets; each part gives the address
    in its angle brackets (the phrase before it is a name), or its bare addr-specs."""
    out: list[str] = []
    part: list[Token] = []
    depth = 0
    for token in tokens:
        kind = token[0]
        depth += (kind == "<") - (kind == ">" and depth > 0)
        if depth == 0 and kind in ",;":
            out += _part(part)
            part = []
        elif depth == 0 and kind == ":" and "<" not in (k for k, _ in part):
            part = []  # `group: a, b;`: the group's name is no address
        else:
            part.append(token)
    return out + _part(part)


def _part(tokens: list[Token]) -> list[str]:
    kinds = [k for k, _ in tokens]
    if "<" in kinds and ">" in kinds[kinds.index("<") :]:
        start = kinds.index("<")
        end = kinds.index(">", start)
        route = tokens[start + 1 : end]
        colon = max((i for i, (k, _) in enumerate(route) if k == ":"), default=-1)
        return _specs(route[colon + 1 :]) + _specs(tokens[end + 1 :])
    return _specs(tokens)


def _specs(tokens: list[Token]) -> list[str]:
    """addr-specs: words joined by `.` and `@`; two words side by side are two addresses."""
    out: list[list[str]] = []
    last = ""
    for kind, text in tokens:
        if kind == ">":
            continue
        if not out or (kind == "word" and last == "word"):
            out.append([])
        out[-1].append(text)
        last = kind
    return [a.removesuffix(".") if "@" in a else a for a in ("".join(p) for p in out) if a]


def split_extension(address: str, delimiters: str) -> tuple[str, str] | None:
    """(the address without its extension, the extension with its delimiter), or None
    when Postfix would not strip one: no delimiter after the first character, or a name
    it never splits (postmaster, owner-x and x-request with `-`).

    Postfix splits the user part without its quotes (`"a+x@b,"@c` strips to a@c, the
    extension `+x@b,`) and looks the rest up quoted again."""
    if not delimiters:
        return None
    local, at, domain = address.rpartition("@")
    if not at:
        local, domain = address, ""
    inside = unquoted(local)
    requote = quoted if inside != local else str
    local = inside
    folded = fold(local)
    if folded in _NEVER_SPLIT or (
        "-" in delimiters and (folded.startswith("owner-") or folded[1:].endswith("-request"))
    ):
        return None
    cut = next((i for i, c in enumerate(local) if c in delimiters), 0)
    if cut == 0:
        return None
    return requote(local[:cut]) + at + domain, local[cut:]


def with_extension(address: str, extension: str) -> str:
    """The extension put back before the last `@` (Postfix propagates an unmatched one)."""
    local, at, domain = address.rpartition("@")
    if not at:
        return address + extension
    return f"{quoted(unquoted(local) + extension)}@{domain}" if local else f"{extension}@{domain}"


def user_at(user: str, result: str) -> str:
    """A result that starts with `@domain` with the user (unquoted) put before it: Postfix
    reads one address, its user part everything before the last `@` (user `a` and result
    `@x,b@y` are `"a@x,b"@y`, never two addresses)."""
    local, _, domain = (user + result).rpartition("@")
    return f"{quoted(local)}@{next(iter(split_targets(domain)), domain)}"


def quoted(local: str) -> str:
    """A user part as Postfix writes it (quote_822_local): in quotes unless it is plain."""
    if _DOT_ATOM.fullmatch(local):
        return local
    return '"' + local.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unquoted(local: str) -> str:
    """A user part as Postfix works with it inside (its internal form): without quotes."""
    if len(local) < 2 or not (local.startswith('"') and local.endswith('"')):
        return local
    return re.sub(r"\\(.)", r"\1", local[1:-1])
