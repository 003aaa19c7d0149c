"""What proves that no file has appeared in a folder tree since git last listed it, so
that `git ls-files --others` (a read of every folder: ~0.1 s of CPU at 100k files) need
not run again.

A file cannot appear, vanish or be renamed without changing the folder that names it,
and the kernel then stamps that folder with a new change time (`st_ctime`, which no
user call can set back) and modification time. So if every folder under the prefix has
the very status it had when git listed it, each holds the names it held, and the folders
below are the same folders: the listing stands, as long as git would compare it with
the same index (the index file's status is kept with the folders') and config. This is
what git's own untracked cache relies on (`git update-index --untracked-cache`).

Two details make it sound:

- Each folder's status is taken before the folder is read (by this walk, which finds
  every folder, empty ones too, and before `ls-files` starts), so a change during the
  listing shows as a change afterwards.
- Timestamps have a granularity: a change within the same tick as the status taken
  leaves the same stamp. `since_ns` is the stamp of a file ldifctl wrote just before
  the walk, on the same filesystem: a folder (or the index) stamped at or after it may
  change again unseen, and then nothing is proven. A folder on another device than
  that file (another clock, another granularity) proves nothing either.

A folder whose status changed may still hold the same names: an editor saves a file by
writing a new one and renaming it over the old, which changes the folder and not its
names. With the index and config as they were, git would then list the same untracked
files, so the listing also stands when each folder read again holds the very names it
held when git listed it. Those are recorded only when the folder's status after the
listing is the one taken before its names were read: git saw the same names.

Git variables that point it at another index or repository (`GIT_INDEX_FILE`, which git
sets for its hooks, `GIT_DIR`, ...) make git list against other data: nothing is proven.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

# (device, inode, mode, links, size, mtime ns, ctime ns)
Status = tuple[int, int, int, int, int, int, int]
# Git variables that change nothing `ls-files --others` lists (any other: no proof).
_HARMLESS_GIT_VARIABLES = (
    "GIT_TRACE", "GIT_SSL_", "GIT_HTTP_", "GIT_CURL_", "GIT_SSH", "GIT_PROXY_",
    "GIT_AUTHOR_", "GIT_COMMITTER_", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_PAGER",
    "GIT_TERMINAL_PROMPT", "GIT_ASKPASS", "GIT_PROTOCOL", "GIT_REDACT",
)


def status(path: str) -> Status | None:
    """The status of `path` itself (a link is not followed); None when it is not there."""
    try:
        s = os.lstat(path)
    except OSError:
        return None
    return (s.st_dev, s.st_ino, s.st_mode, s.st_nlink, s.st_size, s.st_mtime_ns, s.st_ctime_ns)


def git_files(git_dir: str) -> list[str]:
    """The files besides the folders whose status the listing depends on: the index and
    the config (of the main repository too, for a linked worktree)."""
    found = [os.path.join(git_dir, "index"), os.path.join(git_dir, "config")]
    try:
        common = Path(git_dir, "commondir").read_text().strip()
    except OSError:
        return found
    return [*found, os.path.join(git_dir, common, "config")]


def plain_git(environ: Mapping[str, str]) -> bool:
    """No variable points git at another index, repository or config."""
    return not any(
        name.startswith("GIT_") and not name.startswith(_HARMLESS_GIT_VARIABLES)
        for name in environ
    )


def folder_statuses(
    root: str, prefix: str, since_ns: int, device: int, known: Mapping[str, Status]
) -> dict[str, Status] | None:
    """The status of every folder under `prefix` (relative to `root`, itself included),
    each taken before it is read; None when one proves nothing (see the module's doc).
    A folder with the status `known` gives it holds the folders it held then: it is
    not read again (after `git add`, say, no folder is)."""
    walked = walk_folders(root, prefix, since_ns, device, known)
    return None if walked is None else walked[0]


def walk_folders(
    root: str, prefix: str, since_ns: int, device: int, known: Mapping[str, Status]
) -> tuple[dict[str, Status], dict[str, str]] | None:
    """`folder_statuses`, and the names each folder it read held: sorted, a subfolder's
    marked with a `/` (a file replaced by a folder of its name is a change), joined by
    NUL."""
    found: dict[str, Status] = {}
    names: dict[str, str] = {}
    below = _subfolders(known)
    todo = [prefix if prefix not in ("", ".") else "."]
    while todo:
        relative = todo.pop()
        path = os.path.join(root, relative)
        now = status(path)
        if now is None or not stat.S_ISDIR(now[2]) or not _settled(now, since_ns, device):
            return None
        found[relative] = now
        if known.get(relative) == now:
            todo += below.get(relative, [])
            continue
        try:
            with os.scandir(path) as entries:
                marked = [e.name + "/" if e.is_dir(follow_symlinks=False) else e.name
                          for e in entries]
        except OSError:
            return None
        names[relative] = "\0".join(sorted(marked))
        todo += [os.path.join(relative, n[:-1]) for n in marked if n[-1] == "/" and n != ".git/"]
    return found, names


def _subfolders(folders: Iterable[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for folder in folders:
        found.setdefault(os.path.dirname(folder), []).append(folder)
    return found


def settled_files(paths: list[str], since_ns: int, device: int) -> dict[str, Status | None]:
    """The status of each of `paths` (None: absent); {} when one is too fresh to prove
    anything."""
    found = {p: status(p) for p in paths}
    fresh = any(s is not None and not _settled(s, since_ns, device) for s in found.values())
    return {} if fresh else found


def unchanged(root: str, folders: Mapping[str, Status], files: Mapping[str, Status | None]) -> bool:
    """Does every folder and file still have the status recorded?"""
    same_files = all(status(p) == s for p, s in files.items())
    return same_files and same_statuses(root, folders)


def same_statuses(root: str, folders: Mapping[str, Status]) -> bool:
    """Do these folders still have these statuses?"""
    return all(status(os.path.join(root, p)) == s for p, s in folders.items())


def _settled(now: Status, since_ns: int, device: int) -> bool:
    return now[0] == device and max(now[5], now[6]) < since_ns
