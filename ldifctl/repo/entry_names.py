"""Which files of a directory tree are no entries: dot files and what editors leave."""

from __future__ import annotations

import re

# What editors leave beside the file being edited: backups (`x.yaml~`), emacs' auto-save
# (`#x.yaml#`) and vim's swap files (`x.yaml.swp`, `.swo`, ...; usually dot files too).
_EDITOR_LEFTOVER = re.compile(r"~$|\.sw[a-p]$|^#.*#$")


def hidden(relpath: str) -> bool:
    """Is the file, or a folder it is in, a dot file (.gitkeep, .trash/), or is the file an
    editor's leftover (`x.yaml~`, `#x.yaml#`, `x.yaml.swp`)? Such are no entries, whichever
    way the directory is read (the disk, a commit)."""
    if relpath.startswith(".") or "/." in relpath:
        return True
    return not relpath.endswith(".yaml") and hidden_name(relpath.rsplit("/", 1)[-1])


def hidden_name(name: str) -> bool:
    """`hidden` for one file name."""
    if name.startswith("."):
        return True
    return not name.endswith(".yaml") and _EDITOR_LEFTOVER.search(name) is not None
