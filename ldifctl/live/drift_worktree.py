"""The temporary work tree that `drift --write --branch` commits in, and the ones a run
that was killed left behind.

The tree is detached (`git worktree add --detach`) and the branch is made only once the
commit exists (live/drift_branch.py): a run stopped half way leaves no branch, and never
one checked out in a leftover tree, where `git branch -D` cannot delete it.

A later run removes only what ldifctl made: `<temporary folder>/ldifctl-drift-*/tree`
(paths resolved), in a folder of this user, whose owner file and its copy in the tree's
.git/worktrees entry agree and name this repository, host, boot and PID namespace (a
container sharing the host name cannot see our processes) and a process that has ended.
An older ldifctl wrote no owner file: its tree goes only when its folder holds nothing
else and git status shows nothing. Trees with changes and locked ones stay. Removal is
`git worktree remove` (no --force), the owner file, then `rmdir`; each tree left in
place is named, with how to remove it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import secrets
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from ldifctl.model.errors import LdifctlError

PREFIX, TREE = "ldifctl-drift-", "tree"
OWNER, MARK = "owner", "ldifctl-drift-owner"  # beside the tree; in its .git/worktrees entry


@dataclasses.dataclass(frozen=True)
class Owner:
    """The run that made a tree. `boot` and `pidns` are '' where /proc cannot tell."""

    host: str
    boot: str  # the kernel's boot id: a pid means nothing across a reboot
    pidns: str  # the PID namespace (a container): a pid means nothing in another one
    pid: int
    started: str  # the process's start time, in clock ticks: a pid reused is another run
    gitdir: str  # the repository's common git dir
    token: str  # random: the owner file and the .git/worktrees copy are one run's


@contextlib.contextmanager
def temporary(
    top: str, commit: str, hold: Callable[[], AbstractContextManager[None]] = nullcontext
) -> Iterator[Path]:
    """A detached work tree at `commit`, removed (tree, owner file, folder) on leaving;
    the removal runs within `hold()` (drift_signals.Guard.held: no signal cuts it short)."""
    record = json.dumps(dataclasses.asdict(_me(top, secrets.token_hex(16))))
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    tree = folder / TREE
    try:
        # Written before the tree exists: a tree without an owner is never taken for ours.
        (folder / OWNER).write_text(record)
        checked(top, "worktree", "add", "--quiet", "--detach", str(tree), commit)
        (_git_dir(str(tree), "--absolute-git-dir") / MARK).write_text(record)
        yield tree
    finally:
        with hold():
            git(top, "worktree", "remove", "--force", str(tree))  # ours: its changes go too
            (folder / OWNER).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                folder.rmdir()


def prune_stale(top: str) -> list[str]:
    """Remove the temporary trees of ldifctl runs that ended without cleaning up; one line
    for each candidate left in place, naming it, why, and how to remove it."""
    me = _me(top, "")
    admins = _admin_dirs(Path(me.gitdir))
    notes = []
    for tree, locked in _temporary_trees(top):
        admin = admins.get(tree.resolve())
        reason = "it is locked" if locked else _why_kept(me, tree, admin)
        note = _remove(top, tree) if reason is None else _note(tree, reason, locked)
        if note:
            notes.append(note)
    return notes


def _temporary_trees(top: str) -> list[tuple[Path, bool]]:
    """The repo's work trees at `<temporary folder>/ldifctl-drift-*/tree`, and whether
    each is locked."""
    listed = git(top, "worktree", "list", "--porcelain").stdout.decode(errors="surrogateescape")
    trees: list[tuple[Path, bool]] = []
    for block in listed.split("\n\n")[1:]:  # the first is the main work tree
        lines = block.splitlines()
        if lines and lines[0].startswith("worktree ") and _at_our_path(Path(lines[0][9:])):
            locked = any(line == "locked" or line.startswith("locked ") for line in lines)
            trees.append((Path(lines[0][9:]), locked))
    return sorted(trees)


def _at_our_path(tree: Path) -> bool:
    folder = tree.parent
    if tree.name != TREE or not folder.name.startswith(PREFIX):
        return False
    if tree.resolve() != Path(tempfile.gettempdir()).resolve() / folder.name / TREE:
        return False  # elsewhere, or through a link
    try:
        return folder.lstat().st_uid == os.getuid()
    except FileNotFoundError:
        return True  # the folder went (a temporary folder emptied at boot)
    except OSError:
        return False


def _why_kept(me: Owner, tree: Path, admin: Path | None) -> str | None:
    """Why `tree` must stay; None: it is a leftover of ldifctl's, to remove."""
    record = _read(admin / MARK) if admin is not None else None
    if not tree.parent.exists():
        if record is None:
            return "its folder is gone and no ldifctl run is named as its owner"
        return _owner_alive(me, record)
    if (tree.parent / OWNER).exists() or record is not None:
        owner = _read(tree.parent / OWNER)
        if owner is None or owner != record:
            return "its owner file is unreadable or does not match .git/worktrees"
        reason = _owner_alive(me, owner)
    elif sorted(os.listdir(tree.parent)) != [TREE]:
        return "it has no owner file and its folder holds other files"
    else:
        reason = None  # an older ldifctl's, which wrote no owner file
    if reason is None and _changed(tree):
        return "it has uncommitted changes (git status)"
    return reason


def _owner_alive(me: Owner, owner: Owner) -> str | None:
    """Why the run that made the tree may still be going; None: it has ended."""
    if owner.gitdir != me.gitdir:
        return f"it was made by a run in another repository ({owner.gitdir})"
    if owner.host != me.host:
        return f"it was made on host {owner.host}, whose processes cannot be seen from here"
    if not (me.boot and me.pidns) or (owner.boot, owner.pidns) != (me.boot, me.pidns):
        return "it was made in another container or boot, whose processes cannot be seen"
    if _alive(owner.pid, owner.started):
        return f"the ldifctl run that made it is still going (pid {owner.pid})"
    return None


def _remove(top: str, tree: Path) -> str | None:
    """Tree (never with --force), owner file, folder (only if empty then): None, or a
    note on what stays."""
    done = git(top, "worktree", "remove", str(tree))
    if done.returncode:
        refusal = done.stderr.decode(errors="replace").strip().replace("\n", " ")
        return _note(tree, f"git worktree remove refused ({refusal})", locked=False)
    (tree.parent / OWNER).unlink(missing_ok=True)
    try:
        tree.parent.rmdir()
    except FileNotFoundError:
        pass
    except OSError:
        return f"note: removed the stale work tree {tree}; its folder holds other files: left"
    return None


def _note(tree: Path, reason: str, locked: bool) -> str:
    how = f"git worktree remove --force {tree}"
    if locked:
        how = f"git worktree unlock {tree} && {how}"
    return f"note: left the work tree {tree} in place: {reason}; once nothing needs it: {how}"


def _me(top: str, token: str) -> Owner:
    gitdir = str(_git_dir(top, "--git-common-dir"))
    pid = os.getpid()
    return Owner(socket.gethostname(), _proc("sys/kernel/random/boot_id"),
                 _proc("self/ns/pid", os.readlink), pid, _started(pid), gitdir, token)


def _read(path: Path) -> Owner | None:
    """The owner a file names; None unless it is a regular file that ldifctl wrote."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        owner = Owner(**json.loads(path.read_text()[:4096]))
    except (OSError, ValueError, TypeError):
        return None
    typed = all(isinstance(getattr(owner, field.name), int if field.name == "pid" else str)
                for field in dataclasses.fields(Owner))
    return owner if typed else None


def _alive(pid: int, started: str) -> bool:
    if pid <= 0:
        return False  # kill(0) would signal our own process group, not ask about a pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process
    now = _started(pid)
    return not (started and now and now != started)  # another process now has that pid


def _started(pid: int) -> str:
    stat = _proc(f"{pid}/stat")
    fields = stat.rpartition(")")[2].split()  # the name in parentheses may hold spaces
    return fields[19] if len(fields) > 19 else ""


def _proc(name: str, read: Callable[[Path], str] = Path.read_text) -> str:
    """What /proc says ('' where there is no /proc)."""
    try:
        return read(Path("/proc", name)).strip()
    except OSError:
        return ""


def _changed(tree: Path) -> bool:
    """Anything git status shows, ignored files too; or git cannot tell."""
    done = git(str(tree), "status", "--porcelain", "--ignored", "--untracked-files=all")
    return bool(done.returncode or done.stdout)


def _admin_dirs(common: Path) -> dict[Path, Path]:
    """Each linked work tree (resolved) -> its entry in .git/worktrees."""
    found: dict[Path, Path] = {}
    for admin in sorted((common / "worktrees").glob("*")):
        with contextlib.suppress(OSError):
            found[(admin / (admin / "gitdir").read_text().strip()).parent.resolve()] = admin
    return found


def _git_dir(cwd: str, which: str) -> Path:
    done = git(cwd, "rev-parse", which)
    if done.returncode:
        raise LdifctlError(f"git rev-parse failed: {done.stderr.decode(errors='replace').strip()}")
    return (Path(cwd) / os.fsdecode(done.stdout.rstrip(b"\n"))).resolve()


def git(cwd: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def checked(cwd: str, *args: str) -> None:
    done = git(cwd, *args)
    if done.returncode:
        raise LdifctlError(f"git {args[0]} failed: {done.stderr.decode(errors='replace').strip()}")
