"""A marshalled cache file answers only under the stamp it was written under (which it
begins with, so that a stale one is turned down from its first bytes), sealed as a whole."""

from __future__ import annotations

from pathlib import Path

from ldifctl.cache import files as cache_files
from ldifctl.repo.settings.secrets import KEY_VAR

ENVIRON = {KEY_VAR: "k" * 40}


def test_a_file_answers_under_its_own_stamp_only(tmp_path: Path) -> None:
    path = tmp_path / "judged-validate.marshal"
    cache_files.write_marshalled(path, ENVIRON, "a" * 64, {"index": [1, 2]})
    assert cache_files.read_marshalled(path, ENVIRON, "a" * 64) == {"index": [1, 2]}
    assert cache_files.read_marshalled(path, ENVIRON, "b" * 64) == {}
    assert cache_files.read_marshalled(path, ENVIRON, "a" * 63) == {}


def test_what_follows_the_stamp_is_sealed_too(tmp_path: Path) -> None:
    path = tmp_path / "entries.marshal"
    cache_files.write_marshalled(path, ENVIRON, "a" * 64, {"entries": {}})
    sealed = path.read_bytes()
    head = len(b"ldifctl-cache-1\n") + 32 + 65  # the magic, the seal, the stamp's line
    path.write_bytes(sealed[:head] + b"\xff" * 20)  # what follows the stamp: not even marshal
    assert cache_files.read_marshalled(path, ENVIRON, "b" * 64) == {}
    assert cache_files.read_marshalled(path, ENVIRON, "a" * 64) == {}
    assert cache_files.read(path, ENVIRON) is None


def test_a_tampered_stamp_breaks_the_seal(tmp_path: Path) -> None:
    path = tmp_path / "untracked.marshal"
    cache_files.write_marshalled(path, ENVIRON, "a" * 64, {"listed": []})
    sealed = path.read_bytes()
    path.write_bytes(sealed.replace(b"a" * 64, b"b" * 64))
    assert cache_files.read_marshalled(path, ENVIRON, "b" * 64) == {}
