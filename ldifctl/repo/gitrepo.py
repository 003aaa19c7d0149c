"""Reading a directory tree out of git without a checkout, through git's plumbing.

Everything is a `git` subprocess: blobs come through one `git cat-file --batch` stream
(git_blobs.py), and the repository and revisions are found with `git rev-parse`.
GitPython is not used: its import alone was 44 ms of the 0.5 s a cached `plan` may take,
for four calls git answers directly.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import scan_ahead
from ldifctl.repo.bounds import MAX_ENTRY_FILES


@dataclass(frozen=True)
class GitRepo:
    working_tree_dir: str
    git_dir: str


def open_repo(path: Path) -> GitRepo:
    """The git work tree that holds `path`."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel", "--absolute-git-dir"],
            cwd=path, capture_output=True, check=False,
        )
    except OSError:  # the folder does not exist
        done = None
    lines = os.fsdecode(done.stdout).splitlines() if done and done.returncode == 0 else []
    if len(lines) != 2:
        raise LdifctlError(
            f"{path}: not inside a git repository: run `git init` or pass a folder/LDIF file"
        )
    return GitRepo(lines[0], lines[1])


class AmbiguousRevision(LdifctlError):
    """A name git resolves, but that is more than one ref."""


def resolve(repo: GitRepo, rev: str) -> str:
    """The commit id of `rev`; an unknown revision is a user error, and so is a name that
    is more than one ref. git takes the first of refs/tags/X, refs/heads/X and
    refs/remotes/X: a pull request's tag `origin/main` became the base of CI's
    `plan --base origin/main`, with its own policies and tree."""
    found, ambiguous = _object_id(repo, f"{rev}^{{commit}}")
    if found is None:
        raise LdifctlError(
            f"unknown revision {rev!r}: give a commit, branch or tag that exists "
            "(see `git log --oneline`)"
        )
    if ambiguous:
        raise AmbiguousRevision(
            f"revision {rev!r} names more than one ref (a tag and a branch, say: see "
            f"`git show-ref {rev}`): give the full name, such as refs/remotes/{rev} or "
            f"refs/tags/{rev}"
        )
    return found


def folder_entry(repo: GitRepo, commit: str, prefix: str) -> tuple[str, str] | None:
    """(git mode, object id) of `prefix` in `commit`: `040000` for a folder, `120000` for
    a symbolic link, `160000` for a submodule; None when the commit has no such path."""
    out = run(repo, "ls-tree", "-z", "--full-tree", commit, "--", prefix)
    meta = out.partition(b"\t")[0].split()
    return (meta[0].decode(), meta[2].decode()) if len(meta) == 3 else None


def _object_id(repo: GitRepo, name: str) -> tuple[str | None, bool]:
    """The object id, and whether git found the name ambiguous (its warning, which
    `--quiet` would hide; in English whatever the user's locale, and on whatever the
    user's config says of warning about it)."""
    done = subprocess.run(
        ["git", "-c", "core.warnAmbiguousRefs=true", "rev-parse", "--verify",
         "--end-of-options", name],
        cwd=repo.working_tree_dir, capture_output=True, check=False,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": "C"},
    )
    found = done.stdout.decode().strip() if done.returncode == 0 else None
    return found, b"is ambiguous" in done.stderr


def _start(repo: GitRepo, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*scan_ahead.GIT, *args], cwd=repo.working_tree_dir,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


# What one git command may print: a listing of MAX_ENTRY_FILES files takes about half.
# git compresses a pull request's trees: a million files of one blob are 3 MB to push,
# and a listing of them 110 MB to read.
MAX_OUTPUT = 512 << 20
_CHUNK = 1 << 20


def _finish(proc: subprocess.Popen[bytes], args: tuple[str, ...]) -> bytes:
    """git's output, read a chunk at a time (its stderr beside it, on a thread): past
    MAX_OUTPUT git is stopped, and the listing refused, before it is all held."""
    stdout, stderr = proc.stdout, proc.stderr
    assert stdout is not None and stderr is not None
    errors: list[bytes] = []
    drain = threading.Thread(target=lambda: errors.append(stderr.read()))
    drain.start()
    chunks, size = [], 0
    while chunk := stdout.read(_CHUNK):
        size += len(chunk)
        if size > MAX_OUTPUT:
            proc.kill()
            break
        chunks.append(chunk)
    proc.wait()
    drain.join()
    stdout.close()
    stderr.close()
    if size > MAX_OUTPUT:
        raise LdifctlError(
            f"git {' '.join(args)} printed over {MAX_OUTPUT >> 20} MiB: that is more "
            f"files than ldifctl reads in one state (at most {MAX_ENTRY_FILES:,} entry "
            "files): remove files, or split the directory into repos by base_dn"
        )
    if proc.returncode:
        raise LdifctlError(f"git {' '.join(args)} failed: {b''.join(errors).decode().strip()}")
    return b"".join(chunks)


def run(repo: GitRepo, *args: str) -> bytes:
    """The output of one git command (an error naming it when it fails)."""
    return _finish(_start(repo, *args), args)


def submodules(repo: GitRepo, *paths: str) -> set[str]:
    """Those of `paths` (relative to the repo) that git's index holds as submodules."""
    out = run(repo, "ls-files", "--stage", "-z", "--", *paths) if paths else b""
    records = (record.partition(b"\t") for record in out.split(b"\0") if record)
    return {path.decode("utf-8", "surrogateescape") for meta, _, path in records
            if meta.startswith(b"160000 ")}


def changed_paths(repo: GitRepo, base: str, head: str | None, prefix: str) -> set[str]:
    """Paths (relative to `prefix`) that differ between two commits (head None: the
    working tree)."""
    return start_changed_paths(repo, base, head, prefix)()


def start_changed_paths(
    repo: GitRepo, base: str, head: str | None, prefix: str
) -> Callable[[], set[str]]:
    """Start the scans of `changed_paths`; the function returned waits for the answer."""
    diff = start_diff(repo, base, head, prefix)
    # Both scan 100k files; side by side they take the time of one on two cores.
    others = start_others(repo, prefix) if head is None else None
    return lambda: diff() | (others() if others is not None else set())


def start_diff(
    repo: GitRepo,
    base: str,
    head: str | None,
    prefix: str,
    base_side: Callable[[list[bytes]], None] | None = None,
) -> Callable[[], set[str]]:
    """Start listing the tracked paths (relative to `prefix`) that differ between `base`
    and `head` (None: the working tree); the function returned waits for them.
    `base_side` is given git's records, which say what `base` holds at those paths
    (git_trees.base_listing)."""
    args = (*scan_ahead.DIFF, base, *([head] if head else []), "--", prefix)
    ahead = scan_ahead.take(repo.working_tree_dir, args) if head is None else None
    proc = ahead or _start(repo, *args)
    if head is None:
        scan_ahead.note(repo.working_tree_dir, base, prefix)

    def finish() -> set[str]:
        records = _finish(proc, args).split(b"\0")
        if base_side is not None:
            base_side(records)
        return _relative(records[1::2], prefix)

    return finish


def start_others(repo: GitRepo, prefix: str) -> Callable[[], set[str]]:
    """Start listing the files under `prefix` that git does not track: untracked files,
    ignored ones too (the working tree is what is on disk, as `apply` and `diff` read
    it, so `validate` and `plan` judge what `apply` would send)."""
    args = ("ls-files", "--others", "-z", "--", prefix)
    proc = _start(repo, *args)
    return lambda: _relative([p for p in _finish(proc, args).split(b"\0") if p], prefix)


def _relative(paths: list[bytes], prefix: str) -> set[str]:
    cut = len(prefix) + 1 if prefix not in ("", ".") else 0
    # A repository inside the folder is listed as `sub/`: it is the path `sub`.
    return {p.decode("utf-8", "surrogateescape")[cut:].rstrip("/") for p in paths}


def changed_between_trees(repo: GitRepo, old: str, new: str) -> set[str]:
    """Paths (relative to the two trees) whose content differs between two tree ids."""
    args = ("diff-tree", "-r", "-z", "--no-renames", "--name-only", old, new)
    return {p.decode("utf-8", "surrogateescape") for p in run(repo, *args).split(b"\0") if p}
