"""How much of the repository one run reads: files, nodes and states are bounded where a
pull request could make CI's work grow past any push's size.

git compresses what it is pushed, a thousandfold for repetitive text and further across
files alike: 200 MB of one letter is 200 kB to push, a million files of one blob 3 MB.
Each bound here is checked before the work it guards, and each refusal names where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ldifctl.model.errors import LdifctlError

# An entry, settings or policy file holds at most this much: 200 MB of one letter took
# `plan` 14 s and 1.3 GB to judge. No server takes an entry near this size by default
# (OpenLDAP's sockbuf_max_incoming_auth is 4 MiB, 389-DS's nsslapd-maxbersize 2 MiB).
MAX_FILE_BYTES = 16 << 20
# A state holds at most this many entry files: a million files of one blob took `plan`
# 38 s and 1.4 GB.
MAX_ENTRY_FILES = 2_000_000
# What one process reads of one state's entry files. Entries are held in memory whole:
# 200 files of one 15 MiB blob, ~15 kB to push, took `plan` 43 s, and as many valid
# entries would be held.
MAX_STATE_BYTES = 2 << 30


class TooBig(LdifctlError):
    """A file over MAX_FILE_BYTES, refused before it is parsed."""

    def __init__(self, where: str, size: int, what: str = "an entry file", blob: str = "") -> None:
        super().__init__(
            f"{where}: {size:,} bytes, over the {MAX_FILE_BYTES:,} (16 MiB) that {what} may "
            "hold; no LDAP server takes an entry near that size by default (OpenLDAP 4 MiB, "
            "389-DS 2 MiB): keep large data out of the directory, or remove the file"
        )
        self.size, self.blob = size, blob  # `blob`: the git object, its path not yet known

    def at(self, where: str, what: str) -> TooBig:
        """The same refusal, naming the file (a blob is read before its path is known)."""
        return TooBig(where, self.size, what)


class TooMuch(LdifctlError):
    """Files read together hold more than one process reads of them (StateBytes)."""


STATE_ADVICE = (
    "more than ldifctl reads of one state (each entry is held in memory): keep large values "
    "out of the directory (`ignore_attributes` for photos), or split the directory into "
    "repos by base_dn"
)


@dataclass
class StateBytes:
    """What this process has read of files read together: a state's entry files (a forked
    child has its own count of its own share), or the policy files."""

    where: str  # their folder, as messages name it
    limit: int = field(default_factory=lambda: MAX_STATE_BYTES)
    what: str = "entry files"
    advice: str = STATE_ADVICE
    taken: int = 0

    def take(self, size: int) -> None:
        self.taken += size
        if self.taken > self.limit:
            raise TooMuch(f"{self.where}: over {self.limit:,} bytes of {self.what}, {self.advice}")

    def give_back(self, size: int) -> None:
        """Bytes read only to be read again (and counted then)."""
        self.taken -= size


def refuse_too_many(count: int, where: str, what: str) -> None:
    """A state holds at most MAX_ENTRY_FILES files; `what` are the `count` things of the
    state at `where` counted (its files, the files a change names)."""
    if count > MAX_ENTRY_FILES:
        raise LdifctlError(
            f"{where}: {count:,} {what}, over the {MAX_ENTRY_FILES:,} entry files ldifctl "
            "reads in one state (each takes ~1.5 kB and ~40 µs to judge): remove files, or "
            "split the directory into repos by base_dn"
        )
