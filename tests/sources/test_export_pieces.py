"""`export` gives its LDIF out a piece at a time (sources/export.py): the same text as made
whole, and a reader that stops early (`| head`) ends it quietly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from repo_kit import DirectoryRepo, base_entries, committed_repo, run

from ldifctl.repo import tree
from ldifctl.repo.readers import worktree
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources import export

PEOPLE = "ou=people,dc=example,dc=net"


def many(root: Path, count: int) -> DirectoryRepo:
    repo = committed_repo(root, base_entries())
    for i in range(count):
        dn = f"cn=p{i},{PEOPLE}"
        repo.write(dn, f"dn: {dn}\nobjectClass: person\ncn: p{i}\nsn: Name of p{i}\n")
    return repo


def test_the_pieces_are_the_text_made_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = many(tmp_path / "repo", 7)
    ws = open_workspace(repo.root)
    whole = export.export_ldif(tree.load(worktree(ws), ws.schema))
    monkeypatch.setattr(export, "RECORDS_PER_PIECE", 2)
    code, out, err = run(repo, "export")
    assert (code, err) == (0, "")
    assert out == whole
    assert out.count("dn: ") == 9  # the suffix, ou=people, seven people
    pieces = list(export.export_pieces(tree.load(worktree(ws), ws.schema)))
    assert [p.count("dn: ") for p in pieces] == [2, 2, 2, 2, 1]


def test_a_reader_that_stops_early_ends_the_export_quietly(tmp_path: Path) -> None:
    """More than a pipe holds (64 KB), so the export is still writing when the reader
    goes; it stops without an error, as it did when the text was written at once."""
    repo = many(tmp_path / "repo", 1500)
    reader = subprocess.Popen(
        [sys.executable, "-m", "ldifctl", "export"],
        cwd=repo.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.read(20) == b"dn: dc=example,dc=ne"
    reader.stdout.close()
    err = reader.stderr.read()
    assert (reader.wait(timeout=60), err) == (0, b"")
