"""The repository's own files, read and written where they stand, never through a link.

A pull request can commit a symbolic link (`cn=x.yaml -> /etc/shadow`), a link to a
folder outside the repo, or a git submodule. None of them is an entry file, a setting or
a policy: each is an error that names the path and never shows what lies behind it, in
every command, whether the tree is read from disk or from a git revision. Writes (fmt,
import, drift --write, apply's reports) never follow a link either: a dangling link
would create its target wherever it points.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ldifctl.model.errors import LdifctlError
from ldifctl.repo.bounds import MAX_FILE_BYTES, StateBytes, TooBig

LINK = "a symbolic link"
SUBMODULE = "a git submodule"  # a gitlink in a revision, a folder holding `.git` on disk
SPECIAL = "not a regular file"  # a FIFO, a socket, a device
# git's modes for what is neither a file nor a folder.
GIT_KINDS = {"120000": LINK, "160000": SUBMODULE}


def is_utf8(path: str) -> bool:
    """Was the name UTF-8 on disk or in git? Other bytes are read as surrogates
    (`surrogateescape`), which nothing can encode as UTF-8."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def git_kind(mode: str) -> str:
    """What a listed path of this git mode is, when it is no regular file."""
    return GIT_KINDS.get(mode, SPECIAL)


class NotRegularError(LdifctlError):
    """A link or a submodule where a file or folder of the repository should be: `kind`
    (LINK, ...) where `what` should be ("" when several are reported at once)."""

    def __init__(self, message: str, kind: str = "", what: str = "") -> None:
        super().__init__(message)
        self.kind, self.what = kind, what


def refusal(where: str, kind: str, what: str = "an entry file") -> NotRegularError:
    return NotRegularError(f"{where}: {refused_because(kind, what)}", kind, what)


def refused_because(kind: str, what: str = "an entry file") -> str:
    # "an LDIF file or a folder of entry files": either, as the name does not say which.
    noun = " or ".join(n for n in ("file", "folder") if n in what.split())
    return (
        f"{kind}, not {what}: ldifctl never follows a link nor reads another repository's "
        f"files; put the real {noun} here, or remove it"
    )


def disk_kind(path: str) -> str | None:
    """What stands at `path` when it is neither a regular file nor a plain folder (None:
    it is one of them, or nothing is there)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    return _kind(path, mode)


def _kind(path: str, mode: int) -> str | None:
    """`disk_kind` of what `lstat` found at `path`."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return SUBMODULE if holds_git(path) else None
    return LINK if stat.S_ISLNK(mode) else SPECIAL


def check_inside(root: Path, path: Path, what: str) -> None:
    """Every step from `root` down to `path` is a plain folder (the last may be a regular
    file, or not there yet); else an error naming the first step that is not."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        kind = disk_kind(str(current))
        if kind is not None:
            shown = current.relative_to(root).as_posix()
            raise refusal(shown, kind, what if current == path else "a folder")


def inside(root: Path, path: Path, what: str) -> Path | None:
    """`path` with its `..` taken as written (so the path checked is the one used: through
    a link, `a/link/..` is not `a`) when it is inside the repository at `root`, where a pull
    request may have put a link: it and each folder on the way must be no link
    (`check_inside`: refused, naming it, never followed; a link to a file or folder of the
    CI runner would have its text or names quoted in errors, or take what is written).
    None for a path elsewhere: the caller's own, used as named."""
    full = Path(os.path.abspath(path))
    if not full.is_relative_to(root):
        return None
    check_inside(root, full, what)
    return Path(os.path.normpath(path))


class RepoWriter:
    """Writes files below the repository root where they stand: each folder on the way is
    checked once and created step by step (a `mkdir -p` through a linked folder would
    create folders wherever the link points)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ready: set[Path] = {root}
        self._missing: set[Path] = set()  # found absent by a read that makes none

    def write(self, path: Path, text: str) -> None:
        self._folder(path.parent)
        write_regular(path, text, path.relative_to(self.root).as_posix())

    def read(self, path: Path, make: bool = True) -> bytes | None:
        """The bytes of the regular file at `path`; None when nothing is there (one
        `lstat` says so: an import looks at 100k places where nothing is yet). Its
        folders are made as they are checked, unless not `make` (see `prepare`)."""
        if not self._folder(path.parent, make):
            return None
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        where = path.relative_to(self.root).as_posix()
        if (kind := _kind(str(path), mode)) is not None:
            raise refusal(where, kind)
        return read_regular(str(path), where)

    def prepare(self, path: Path) -> None:
        """Make the folders `path` is written in, here: forked children that then write
        side by side never make one."""
        self._folder(path.parent)

    def _folder(self, folder: Path, make: bool = True) -> bool:
        """Whether `folder` is there, made if `make`; a link on the way is refused."""
        if folder in self._ready:
            return True
        if not make and folder in self._missing:  # 100k new files in 50 new folders
            return False
        if not self._folder(folder.parent, make):
            self._missing.add(folder)
            return False
        kind = disk_kind(str(folder))
        if kind is not None:
            raise refusal(folder.relative_to(self.root).as_posix(), kind, "a folder")
        if not os.path.lexists(folder):
            if not make:
                self._missing.add(folder)
                return False
            os.mkdir(folder)
        self._ready.add(folder)
        return True


def read_regular(
    path: str,
    where: str,
    what: str = "an entry file",
    limit: int | None = MAX_FILE_BYTES,
    budget: StateBytes | None = None,
) -> bytes:
    """The bytes of a regular file; a link there is refused, never followed, and so is a
    file over `limit` bytes (None: any size, for an LDIF dump); each part read is taken
    from `budget`, the state's.

    Read by descriptor, not through `open()`: its file and buffer objects, and the
    `fstat` each makes, were half the time of reading 100k small entry files."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise refusal(where, LINK, what) from None
        raise
    try:
        parts, size = [], 0
        while part := os.read(fd, _READ_SIZE):
            parts.append(part)
            size += len(part)
            if limit is not None and size > limit:
                raise TooBig(where, os.fstat(fd).st_size, what)
            if budget is not None:
                budget.take(len(part))
        return b"".join(parts)
    finally:
        os.close(fd)


# Not blocking: a FIFO put where a file was (after it was listed) reads as empty, where
# an open for reading would wait for a writer forever. A regular file reads the same.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
_READ_SIZE = 1 << 16  # nearly every entry file in one read, the next one finds the end


def write_regular(path: Path, text: str, where: str) -> None:
    """Create or overwrite the regular file at `path` (UTF-8, `\\n` line ends); a link
    there is refused, and so is a FIFO (opened without waiting for a reader). The
    folders above it must have been checked.

    Written by descriptor, as `read_regular` reads: a text file object made five more
    system calls per file (two `ioctl`, two `lseek`, an `fstat`) and took 2.5-4.7x the
    time of writing a new entry file. The text is encoded before the file is opened: a
    text that cannot be leaves the file as it was."""
    data = text.encode("utf-8")
    try:
        fd = os.open(path, _WRITE_FLAGS, 0o666)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise refusal(where, LINK) from None
        if err.errno == errno.ENXIO:  # a FIFO no one reads, a socket
            raise refusal(where, SPECIAL) from None
        raise
    try:
        rest = memoryview(data)
        while rest:  # a regular file takes it all in one write
            rest = rest[os.write(fd, rest) :]
    finally:
        os.close(fd)


# Created as open() creates (0o666 less the umask); never through a link, never blocking.
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK


def holds_git(folder: str) -> bool:
    return os.path.lexists(os.path.join(folder, ".git"))
