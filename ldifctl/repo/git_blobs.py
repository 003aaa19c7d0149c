"""Blobs: git's content ids of bytes, and blobs read out of git without a checkout, through
one `git cat-file --batch` stream (reading 100k blobs one by one through GitPython took
~10x longer)."""

from __future__ import annotations

import contextlib
import hashlib
import subprocess
import threading
from collections import Counter
from collections.abc import Iterable
from typing import IO

from ldifctl.repo.bounds import MAX_FILE_BYTES, StateBytes, TooBig, TooMuch
from ldifctl.repo.gitrepo import GitRepo


def blob_id(data: bytes, sha256: bool = False) -> str:
    """The id git gives these bytes as a blob (in a SHA-256 repo, with `sha256`)."""
    digest = hashlib.sha256 if sha256 else hashlib.sha1  # git's content id, no secret
    hashed = digest(b"blob %d\0" % len(data), usedforsecurity=False)
    hashed.update(data)  # not joined to the header first: that copies the bytes
    return hashed.hexdigest()


def is_blob(data: bytes, blob: str) -> bool:
    """Are these bytes the blob of this id? In a repo of either object format (SHA-1's
    ids are 40 hex digits, SHA-256's 64)."""
    return blob_id(data, sha256=len(blob) != 40) == blob


def read_blobs(
    repo: GitRepo, blob_ids: Iterable[str], budget: StateBytes | None = None
) -> dict[str, bytes]:
    """Blob id -> content, through one `git cat-file --batch` process. Each blob's size is
    taken from `budget` before it is read, once for each time it is asked for: a blob at
    several paths is read once and parsed at each."""
    asked = Counter(blob_ids)
    ids = list(asked)
    if not ids:
        return {}  # no process started for nothing (a changed file alone, say)
    proc = subprocess.Popen(
        ["git", "cat-file", "--batch"],
        cwd=repo.working_tree_dir,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, ids), daemon=True)
    feeder.start()
    blobs, too_big = {}, None
    for blob_id in ids:
        header = proc.stdout.readline().split()
        size = int(header[2])
        if size > MAX_FILE_BYTES:  # skipped, never held: its path is the caller's to name
            too_big = too_big or TooBig(f"blob {blob_id}", size, blob=blob_id)
            _skip(proc.stdout, size + 1)
            continue
        if budget is not None:
            try:
                budget.take(size * asked[blob_id])
            except TooMuch:
                proc.kill()
                feeder.join()
                proc.wait()
                raise
        blobs[blob_id] = proc.stdout.read(size)
        proc.stdout.read(1)
    feeder.join()
    proc.wait()
    if too_big is not None:
        raise too_big
    return blobs


def _skip(stream: IO[bytes], size: int) -> None:
    """Read past `size` bytes without holding them."""
    while size > 0 and (part := stream.read(min(size, 1 << 20))):
        size -= len(part)


def _feed(stdin: IO[bytes], ids: list[str]) -> None:
    try:
        stdin.write("".join(f"{i}\n" for i in ids).encode())
        stdin.close()
    except BrokenPipeError:  # git was stopped: the reader has its reason
        with contextlib.suppress(OSError):
            stdin.close()  # its pipe closed all the same
