"""The caches are keyed by ldifctl's code: any change to it is a new key."""

from __future__ import annotations

import os
from pathlib import Path

from ldifctl.cache.keys import code_digest, source_digest


def _package(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "b.py").write_text("y = 2\n")
    for path in (root / "a.py", root / "sub" / "b.py"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # as a reproducible build's
    return root


def test_the_same_code_has_the_same_digest(tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "c.py").write_text("bytecode's folder, not code")
    (root / "notes.txt").write_text("not a module")
    again = _package(tmp_path / "again")
    assert source_digest(str(root), "1.0") == source_digest(str(again), "1.0")


def test_every_change_to_the_code_changes_the_digest(tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg")
    before = source_digest(str(root), "1.0")
    seen = {before, source_digest(str(root), "1.1")}  # a release, with all else equal
    (root / "a.py").write_text("x = 2\n")  # an edit of the same size: its time changes
    seen.add(source_digest(str(root), "1.0"))
    (root / "a.py").write_text("x = 22\n")
    os.utime(root / "a.py", ns=(1_000_000_000, 1_000_000_000))  # a size alone changes
    seen.add(source_digest(str(root), "1.0"))
    (root / "sub" / "b.py").rename(root / "sub" / "c.py")  # a module renamed
    seen.add(source_digest(str(root), "1.0"))
    (root / "d.py").write_text("")  # a module added
    seen.add(source_digest(str(root), "1.0"))
    assert len(seen) == 6


def test_ldifctl_is_keyed_by_its_own_modules() -> None:
    import ldifctl

    assert code_digest() == source_digest(os.path.dirname(ldifctl.__file__), ldifctl.__version__)
