"""Writing files that Postfix's daemons can read and nobody else can.

virtual(8) opens `virtual_mailbox_maps` after dropping to the `postfix` user: a table file
only root can read defers every mailbox delivery ("4.3.5 mail system configuration
error"). The files hold a bind password, so they are root:postfix 0640, the way Postfix's
own packages install such files, and the folder they are in must let group postfix in.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

DEFAULT_GROUP = "postfix"


def group_id(name: str) -> int | None:
    """The group's id on this machine; None when there is no such group."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None


def write_for_postfix(path: Path, text: str, gid: int | None) -> bool:
    """Replace `path` with a file readable by its owner and group `gid` (0640), never
    wider for a moment; owner-only (0600) when there is no such group or it cannot be
    given (False then). A folder it creates is 0750, of the same group."""
    _make_folder(path.parent, gid)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    shared = gid is not None and _give(fd, gid, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)
    return shared


def _make_folder(folder: Path, gid: int | None) -> None:
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for new in reversed(missing):
        new.mkdir(mode=0o700)
        fd = os.open(new, os.O_RDONLY | os.O_DIRECTORY)
        try:
            if gid is not None:
                _give(fd, gid, 0o750)
        finally:
            os.close(fd)


def _give(fd: int, gid: int, mode: int) -> bool:
    """Hand the open file to group `gid` with `mode`; False when that is not allowed."""
    try:
        os.fchown(fd, -1, gid)
    except PermissionError:
        return False
    os.fchmod(fd, mode)
    return True


def closed_folder(path: Path, gid: int) -> Path | None:
    """The first folder on the way to `path` that group `gid` may not enter (None: all
    open). The group's members are Postfix's daemons; the owner is not asked about: no
    folder of a mail server belongs to user postfix."""
    for folder in reversed(path.resolve().parents):
        mode = folder.stat()
        allowed = stat.S_IXGRP if mode.st_gid == gid else stat.S_IXOTH
        if not mode.st_mode & allowed:
            return folder
    return None
