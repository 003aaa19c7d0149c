"""A file that lives in memory (memfd) and gives back the memory of what was read from it:
what `ldapsearch` prints into for drift (server_dump.py).

A pipe holds 64 kB; this file holds whatever the writer is ahead of the reader, and the
writer never waits. What the reader has taken is punched out (fallocate's PUNCH_HOLE,
which memfds take; the size and every offset stay), so the memory held is what is still
unread, as with a pipe, not the whole dump: 28 MB at 100k entries, 280 MB at a million.
"""

from __future__ import annotations

import ctypes
import mmap
import os
from collections.abc import Callable
from functools import cache

_KEEP_SIZE, _PUNCH_HOLE = 0x01, 0x02  # linux/falloc.h


def create(name: str) -> int:
    return os.memfd_create(name, os.MFD_CLOEXEC)


class Released:
    """How much of one memory file has been given back, from its start."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.upto = 0

    def let_go(self, read: int) -> None:
        """Give back the whole pages of the first `read` bytes not given back yet. A
        failure (a kernel without hole punching) only keeps the memory."""
        end = read - read % mmap.PAGESIZE
        if end <= self.upto:
            return
        if _fallocate()(self.fd, _KEEP_SIZE | _PUNCH_HOLE, self.upto, end - self.upto) == 0:
            self.upto = end


@cache
def _fallocate() -> Callable[[int, int, int, int], int]:
    libc = ctypes.CDLL(None, use_errno=True)
    call = libc.fallocate
    call.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    call.restype = ctypes.c_int
    return call
