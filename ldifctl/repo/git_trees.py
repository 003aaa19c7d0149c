"""What a commit holds under a folder, read with `git ls-tree` (or from a diff's old
side) without a checkout: regular files by blob id, and what is no regular file (links,
submodules), by path relative to the repo."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ldifctl.repo import gitrepo

# Past this many files wanted from one folder, listing the folder is cheaper than naming
# them (`list_named`).
NAMED_PER_FOLDER = 8


@dataclass(frozen=True)
class Listing:
    """What `git ls-tree -r` lists: regular files, and the rest (links, submodules)."""

    files: dict[str, str]  # path (relative to the repo) -> blob id
    others: dict[str, tuple[str, str]]  # path -> (git mode, object id)


# A folder's listing (relative to the repo) -> its records, each by its path (list_named).
Folders = dict[str, dict[bytes, bytes]]


def list_tree(repo: gitrepo.GitRepo, commit: str, *prefixes: str) -> Listing:
    """Everything under `prefixes` at `commit`, by path relative to the repo."""
    out = gitrepo.run(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *prefixes)
    return _listing(out.split(b"\0"))


def list_named(
    repo: gitrepo.GitRepo, commit: str, paths: Iterable[str], folders: Folders | None = None
) -> Listing:
    """What `list_tree` lists of these file paths (relative to the repo) at `commit`.

    git matches every entry of a folder against every path named (150 paths in a folder
    of 50k files: 0.1 s of CPU), so the files wanted from one folder are named only when
    they are few; otherwise the folder is listed (one pass, ~10 ms at 50k) and they are
    picked from it. A folder's listing shows its subfolders too: one of those is no
    file, as when it is named. `folders` keeps the folders listed (by path, each record
    by its path) for the next call about the same commit: one edit's run asks of the
    same 60k-file folder three times.
    """
    listed_before = {} if folders is None else folders
    by_folder: dict[str, list[str]] = {}
    for path in paths:
        by_folder.setdefault(path.rpartition("/")[0], []).append(path)
    named: list[str] = []
    listed: list[str] = []
    for folder, wanted in by_folder.items():
        whole = bool(folder) and (folder in listed_before or len(wanted) > NAMED_PER_FOLDER)
        (listed if whole else named).append(folder)
    records = gitrepo.run(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *(
        p for f in named for p in by_folder[f]
    )).split(b"\0") if named else []
    unlisted = [f for f in listed if f not in listed_before]
    if unlisted:
        folders_named = (f"{f}/" for f in unlisted)
        out = gitrepo.run(repo, "ls-tree", "-z", "--full-tree", commit, "--", *folders_named)
        # One table for the folders listed together (it is keyed by whole paths).
        by_path = {record.partition(b"\t")[2]: record for record in out.split(b"\0")}
        listed_before.update((f, by_path) for f in unlisted)
    for folder in listed:
        held = listed_before[folder]
        wanted_paths = (p.encode("utf-8", "surrogateescape") for p in by_folder[folder])
        records += [found for raw in wanted_paths if (found := held.get(raw))]
    return _listing(records)


def _listing(records: Iterable[bytes]) -> Listing:
    files, others = {}, {}
    for record in records:
        if record:
            meta, _, raw_path = record.partition(b"\t")
            mode, _, object_id = meta.split()
            if mode == b"040000":  # a folder (listed, not named): no file
                continue
            path = raw_path.decode("utf-8", "surrogateescape")
            if mode.startswith(b"100"):  # 100644, 100755: a regular file
                files[path] = object_id.decode()
            else:
                others[path] = (mode.decode(), object_id.decode())
    return Listing(files, others)


def base_listing(records: list[bytes]) -> tuple[Listing, set[str]]:
    """What `git diff --raw -z` says the old side holds at each path it names (paths
    relative to the repo), as `list_tree` would list it; and the paths it lacks. A
    change's own files need no listing of their folder to be read from the base."""
    lines: list[bytes] = []
    absent = set()
    for meta, raw_path in zip(records[0:-1:2], records[1::2], strict=True):
        fields = meta[1:].split(b" ")  # ":old-mode new-mode old-id new-id status"
        mode, object_id = fields[0], fields[2]
        if mode == b"000000":  # added: the base has no such path
            absent.add(raw_path.decode("utf-8", "surrogateescape"))
        else:
            lines.append(mode + b" blob " + object_id + b"\t" + raw_path)
    return _listing(lines), absent
