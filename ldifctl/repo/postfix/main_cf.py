"""`main.cf` as `postconf -c DIR -n` shows it: the settings it holds, `$name`, `${name}`
and `$(name)` expanded (also `${name?text}` and `${name:text}`), as Postfix would.

Only the names main.cf sets are known, and `config_directory` (DIR): ldifctl does not
carry Postfix's table of defaults, so a reference to any other name is an error that says
which, rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ldifctl.model.errors import located
from ldifctl.repo.postfix.conf_file import MAX_BYTES, ConfFile, Setting, read_conf

_REFERENCE = re.compile(
    r"\$(?:(?P<plain>[A-Za-z0-9_]+)|\{(?P<brace>[^}]*)\}|\((?P<paren>[^)]*)\))"
)
_CONDITIONAL = re.compile(r"(?P<name>[A-Za-z0-9_]+)(?:(?P<op>[?:])(?P<text>.*))?", re.S)
_DEPTH = 20  # Postfix stops at 100; a main.cf that nests deeper than this is a loop


@dataclass(frozen=True)
class MainCf:
    conf: ConfFile
    directory: Path
    _expanded: dict[str, str] = field(default_factory=dict)  # each name is expanded once

    def get(self, name: str) -> Setting | None:
        """The expanded value of `name` and its line; None when main.cf does not set it."""
        found = self.conf.settings.get(name)
        if found is None:
            return None
        return Setting(self._expand(found.value, found.line, 0), found.line)

    def where(self, name: str) -> str:
        return self.conf.where(name)

    def _expand(self, value: str, line: int, depth: int) -> str:
        if depth > _DEPTH:
            raise located(str(self.conf.path), line, "the $name references nest too deep "
                          "(one refers to itself): fix them")
        size = [len(value)]

        def replace(match: re.Match[str]) -> str:
            text = self._replace(match, line, depth)
            size[0] += len(text)
            if size[0] > MAX_BYTES:  # `a = $b$b$b`, `b = $c$c$c`, ...: a few lines, gigabytes
                raise located(str(self.conf.path), line, f"the value grows past {MAX_BYTES} "
                              "bytes as its $name references expand: fix them")
            return text

        return _REFERENCE.sub(replace, value)

    def _replace(self, match: re.Match[str], line: int, depth: int) -> str:
        inner = match["plain"] or match["brace"] or match["paren"] or ""
        parts = _CONDITIONAL.fullmatch(inner)
        if parts is None:
            raise located(str(self.conf.path), line, f"${{{inner}}} is no parameter "
                          "reference ldifctl can read: write $name or ${name}")
        value = self._value(parts["name"], line, depth, parts["op"] is not None)
        if parts["op"] == "?":
            return self._expand(parts["text"], line, depth + 1) if value else ""
        if parts["op"] == ":":
            return "" if value else self._expand(parts["text"], line, depth + 1)
        return value

    def _value(self, name: str, line: int, depth: int, tested: bool) -> str:
        found = self.conf.settings.get(name)
        if found is not None:
            if name not in self._expanded:
                self._expanded[name] = self._expand(found.value, found.line, depth + 1)
            return self._expanded[name]
        if name == "config_directory":
            return str(self.directory)
        if tested:
            return ""
        raise located(str(self.conf.path), line, f"${name} names a parameter main.cf does "
                      "not set, and ldifctl does not know Postfix's default for it: set "
                      f"{name} in main.cf, or write its value instead")


def read_main_cf(directory: Path) -> MainCf:
    return MainCf(read_conf(directory / "main.cf", "Postfix's main.cf"), directory)
