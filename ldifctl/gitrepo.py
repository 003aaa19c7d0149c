"""Reading a directory tree out of git without a checkout.

GitPython resolves revisions; blobs are read through one `git cat-file --batch` stream,
because reading 100k blobs one by one through GitPython takes ~10x longer.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import git

from ldifctl.errors import LdifctlError


def open_repo(path: Path) -> git.Repo:
    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise LdifctlError(
            f"{path}: not inside a git repository: run `git init` or pass a folder/LDIF file"
        ) from None


def resolve(repo: git.Repo, rev: str) -> str:
    """The commit id of `rev`; an unknown revision is a user error."""
    try:
        return str(repo.commit(rev).hexsha)
    except (git.BadName, ValueError, git.BadObject):
        raise LdifctlError(
            f"unknown revision {rev!r}: give a commit, branch or tag that exists "
            "(see `git log --oneline`)"
        ) from None


def _run(repo: git.Repo, *args: str) -> bytes:
    # File names may hold `[` or `*`: pathspecs must never be read as globs.
    command = ["git", "--literal-pathspecs", *args]
    proc = subprocess.run(command, cwd=repo.working_tree_dir, capture_output=True)
    if proc.returncode:
        raise LdifctlError(f"git {' '.join(args)} failed: {proc.stderr.decode().strip()}")
    return proc.stdout


def list_tree(repo: git.Repo, commit: str, *prefixes: str) -> dict[str, str]:
    """Path (relative to the repo) -> blob id for every file under `prefixes` at `commit`."""
    out = _run(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *prefixes)
    files = {}
    for record in out.split(b"\0"):
        if record:
            meta, _, path = record.partition(b"\t")
            files[path.decode("utf-8", "surrogateescape")] = meta.split()[2].decode()
    return files


def changed_paths(repo: git.Repo, base: str, head: str | None, prefix: str) -> set[str]:
    """Paths under `prefix` that differ between two commits (head None: the working tree)."""
    args = ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", base]
    out = _run(repo, *args, *([head] if head else []), "--", prefix)
    paths = {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0")[1::2]}
    if head is None:
        paths |= untracked(repo, prefix)
    return paths


def untracked(repo: git.Repo, prefix: str) -> set[str]:
    out = _run(repo, "ls-files", "--others", "--exclude-standard", "-z", "--", prefix)
    return {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p}


def read_blobs(repo: git.Repo, blob_ids: Iterable[str]) -> dict[str, bytes]:
    """Blob id -> content, through one `git cat-file --batch` process."""
    ids = list(dict.fromkeys(blob_ids))
    proc = subprocess.Popen(
        ["git", "cat-file", "--batch"],
        cwd=repo.working_tree_dir,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, ids), daemon=True)
    feeder.start()
    blobs = {}
    for blob_id in ids:
        header = proc.stdout.readline().split()
        size = int(header[2])
        blobs[blob_id] = proc.stdout.read(size)
        proc.stdout.read(1)
    feeder.join()
    proc.wait()
    return blobs


def _feed(stdin: IO[bytes], ids: list[str]) -> None:
    stdin.write("".join(f"{i}\n" for i in ids).encode())
    stdin.close()
