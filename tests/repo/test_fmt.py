"""`ldifctl fmt`: canonical files stay, others are rewritten (or reported with --check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import build_schema
from ldifctl.repo.fmt import format_files

SCHEMA = build_schema()
CANONICAL = """\
dn: cn=a,ou=people,dc=example,dc=net
objectClass:
  - inetOrgPerson
  - top
cn: a
mail: a@example.net
sn: 'no'
"""
MESSY = """\
# Alice
dn: cn=a,ou=people,dc=example,dc=net
Mail: a@example.net   # primary
sn: no
cn: "a"
objectclass: [top, inetOrgPerson]  # 389 adds the rest
# end
"""
MESSY_FORMATTED = """\
# Alice
dn: cn=a,ou=people,dc=example,dc=net
objectClass: # 389 adds the rest
  - inetOrgPerson
  - top
cn: a
mail: a@example.net # primary
sn: 'no'
# end
"""


def _write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_canonical_files_are_left_alone(tmp_path: Path) -> None:
    path = _write(tmp_path, "directory/dc=net/dc=example/ou=people/cn=a.yaml", CANONICAL)
    assert format_files([path], tmp_path, SCHEMA, check=False) == []
    assert path.read_text() == CANONICAL


def test_other_files_are_rewritten_with_their_comments(tmp_path: Path) -> None:
    path = _write(tmp_path, "directory/dc=net/dc=example/ou=people/cn=a.yaml", MESSY)
    assert format_files([path], tmp_path, SCHEMA, check=False) == [path]
    assert path.read_text() == MESSY_FORMATTED
    assert format_files([path], tmp_path, SCHEMA, check=False) == []


def test_check_reports_without_writing(tmp_path: Path) -> None:
    messy = _write(tmp_path, "directory/messy.yaml", MESSY)
    tidy = _write(tmp_path, "directory/tidy.yaml", CANONICAL)
    assert format_files([messy, tidy], tmp_path, SCHEMA, check=True) == [messy]
    assert messy.read_text() == MESSY


def test_crlf_and_a_missing_final_newline_are_not_canonical(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(CANONICAL.replace("\n", "\r\n").encode())
    assert format_files([path], tmp_path, SCHEMA, check=False) == [path]
    assert path.read_bytes() == CANONICAL.encode()
    path.write_bytes(CANONICAL.rstrip("\n").encode())
    assert format_files([path], tmp_path, SCHEMA, check=True) == [path]


def test_a_bom_goes_and_the_comment_after_it_stays(tmp_path: Path) -> None:
    """A Windows editor's BOM before `# Alice`: the comment was taken for text and lost."""
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY.encode())
    assert format_files([path], tmp_path, SCHEMA, check=False) == [path]
    assert path.read_text(encoding="utf-8") == MESSY_FORMATTED


def test_an_invalid_file_is_an_error_naming_it_relative_to_the_repo(tmp_path: Path) -> None:
    path = _write(tmp_path, "directory/dc=net/bad.yaml", "dn: dc=net\nmail: []\n")
    with pytest.raises(LdifctlError) as caught:
        format_files([path], tmp_path, SCHEMA, check=True)
    assert str(caught.value) == (
        "directory/dc=net/bad.yaml:2: attribute 'mail' has an empty list: "
        "give it a value or remove the line"
    )
