"""The files of the cache under `.git/ldifctl/`, each sealed with an HMAC.

A cache answers "valid" for a state it has judged, so whoever can write it could change a
verdict: a CI cache is often restored from an earlier run, perhaps a pull request's. Each
file therefore carries an HMAC-SHA256 of its name and content, under a key that never
lives beside it:

- `LDIFCTL_CACHE_KEY` (at least 32 characters), for CI: a secret given only to the jobs
  whose cache later runs trust;
- otherwise a random key of this user on this machine, created on first use at
  `$XDG_STATE_HOME/ldifctl/cache-key` (`~/.local/state/ldifctl/cache-key`), mode 0600.

A file without a valid seal (truncated, edited, written under another key) is ignored and
rebuilt; its bytes are never unmarshalled or parsed. Without any key there is no cache.
Sealing costs one SHA-256 pass over the file, a few ms for the entries of 10k files.
"""

from __future__ import annotations

import contextlib
import hmac
import marshal
import os
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from ldifctl.model.errors import LdifctlError
from ldifctl.repo.settings.secrets import KEY_VAR

MIN_KEY_CHARACTERS = 32
_MAGIC = b"ldifctl-cache-1\n"
_TAG_SIZE = 32  # SHA-256


def read(path: Path, environ: Mapping[str, str]) -> bytes | None:
    """The content of a sealed cache file; None when it is absent or its seal is wrong."""
    found = read_sealed(path, environ, b"")
    return None if found is None else found[1]


def read_sealed(
    path: Path, environ: Mapping[str, str], starts: bytes
) -> tuple[bytes, bytes] | None:
    """(`starts`, the rest) of a sealed file's content; None when it is absent, its seal
    is wrong, or its content does not begin with `starts`: a stale file (another stamp)
    is turned down from its first bytes, before 20 MB are read and sealed again."""
    key = cache_key(environ)
    if key is None:
        return None
    start = len(_MAGIC) + _TAG_SIZE
    try:
        with path.open("rb") as file:
            head = file.read(start + len(starts))
            if not head.startswith(_MAGIC) or head[start:] != starts:
                return None
            rest = file.read()
    except OSError:
        return None
    if not hmac.compare_digest(head[len(_MAGIC) : start], _tag(key, path.name, starts, rest)):
        return None
    return starts, rest


def write(path: Path, payload: bytes, environ: Mapping[str, str], *more: bytes) -> None:
    """Seal and store `payload` and `more` after it, as one content (whole or not at all);
    without a key, nothing is stored."""
    key = cache_key(environ)
    if key is not None:
        write_sealed(path, key, (payload, *more))


def write_sealed(path: Path, key: bytes, parts: Iterable[bytes]) -> None:
    """Store `parts` one after the other under a seal of them all, each written as it
    comes: the seal takes its place at the head of the file last, so parts made one at a
    time (fields.py) are never all held at once."""
    mac = hmac.new(key, path.name.encode() + b"\0", "sha256")
    with _replacing(path) as file:
        file.write(_MAGIC + bytes(_TAG_SIZE))
        for part in parts:
            mac.update(part)
            file.write(part)
        file.seek(len(_MAGIC))
        file.write(mac.digest())


def read_marshalled(path: Path, environ: Mapping[str, str], stamp: str) -> dict[str, Any]:
    """A sealed file of marshalled data written under `stamp` ({} otherwise: none yet,
    tampered with, or written by another version of ldifctl, ldifctl.yaml or Python)."""
    sealed = read_sealed(path, environ, stamp_line(stamp))
    try:  # marshal is not safe against crafted bytes: only sealed ones ever reach it
        data = marshal.loads(sealed[1]) if sealed is not None else None
    except (ValueError, EOFError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def write_marshalled(
    path: Path, environ: Mapping[str, str], stamp: str, data: dict[str, Any]
) -> None:
    try:
        payload = marshal.dumps(data)
    except ValueError:
        return  # a value marshal cannot hold: go without the cache rather than fail
    write(path, stamp_line(stamp), environ, payload)


def stamp_line(stamp: str) -> bytes:
    """What a marshalled file begins with: the stamp it was written under, on a line."""
    return stamp.encode("utf-8", "surrogateescape") + b"\n"


def _tag(key: bytes, name: str, *content: bytes) -> bytes:
    # The name is sealed too: a file's content is valid only under its own name.
    mac = hmac.new(key, name.encode() + b"\0", "sha256")
    for part in content:  # not joined first: that would copy megabytes
        mac.update(part)
    return mac.digest()


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A new file that takes the place of `path` once written whole, so two runs at once
    never leave half a file; on any failure (a full disk, a value that cannot be written)
    no half file is left behind. Parts are written one by one, never joined first: a join
    copies the 28 MB of a 100k state's entries while the last copy is still held."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with temporary.open("wb") as file:
            yield file
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def cache_key(environ: Mapping[str, str]) -> bytes | None:
    """The key that seals the cache: CI's secret, else this user's own (None: none can
    be had, so nothing is cached)."""
    given = environ.get(KEY_VAR)
    if given:
        if len(given) < MIN_KEY_CHARACTERS:
            raise LdifctlError(
                f"{KEY_VAR} is too short ({len(given)} characters): use at least "
                f"{MIN_KEY_CHARACTERS} random ones, e.g. from `openssl rand -hex 32`"
            )
        return given.encode()
    return _user_key(str(_state_home(environ) / "ldifctl" / "cache-key"))


def _state_home(environ: Mapping[str, str]) -> Path:
    state = environ.get("XDG_STATE_HOME")
    if state and os.path.isabs(state):
        return Path(state)
    return Path(environ.get("HOME") or Path.home()) / ".local" / "state"


@lru_cache(maxsize=4)
def _user_key(path: str) -> bytes | None:
    """The key stored at `path`, made on first use; None when it cannot be had."""
    with contextlib.suppress(OSError):
        return _existing_key(path) or _new_key(path)
    return None


def _existing_key(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            key = f.read()
    except FileNotFoundError:
        return None
    return key if len(key) == _TAG_SIZE else None


def _new_key(path: str) -> bytes | None:
    """A fresh random key, published at `path` in one step (link fails if another run
    made one first, and then that one is used)."""
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    key = os.urandom(_TAG_SIZE)
    temporary = f"{path}.{os.getpid()}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "wb") as f:
        f.write(key)
    try:
        os.link(temporary, path)
    except FileExistsError:
        if (existing := _existing_key(path)) is not None:
            return existing
        os.replace(temporary, path)  # a damaged key: this one takes its place
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return key
