"""A sealed file of fields (ldifctl/cache/fields.py) reads back as the data it was given,
is written one field at a time, and turns down whatever is not wholly its own fields."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ldifctl.cache import fields, files
from ldifctl.repo.settings.secrets import KEY_VAR

ENVIRON = {KEY_VAR: "k" * 40}
INDEX = {"names": ["a.yaml", "b.yaml"], "owned": ("x", b"\0\1"), "local": True}
FINDINGS = [["a.yaml:1", "rule", "error", "cn=a", "text"]]
DATA = {"base": "tree", "findings": FINDINGS, "index": INDEX}


def flat() -> list[fields.Field]:
    return [
        (("base",), "tree"),
        (("findings",), FINDINGS),
        *((("index", name), part) for name, part in INDEX.items()),
    ]


def test_the_fields_read_back_nested_as_given(tmp_path: Path) -> None:
    path = tmp_path / "judged-validate.marshal"
    assert fields.write_fields(path, ENVIRON, "stamp", flat())
    assert fields.read_fields(path, ENVIRON, "stamp") == DATA
    assert fields.read_fields(path, ENVIRON, "another stamp") == {}
    assert fields.read_fields(path, {KEY_VAR: "o" * 40}, "stamp") == {}  # another key


def test_each_field_is_written_before_the_next_is_made(tmp_path: Path) -> None:
    """What is held at once is one field: the file already holds the first when the
    second is asked for."""
    path = tmp_path / "judged-validate.marshal"
    sizes: list[int] = []

    def made() -> Iterator[fields.Field]:
        yield ("first",), "x" * 100_000
        (temporary,) = tmp_path.glob(".judged-validate.marshal.*")
        sizes.append(temporary.stat().st_size)
        yield ("second",), "y"

    fields.write_fields(path, ENVIRON, "stamp", made())
    assert sizes and sizes[0] > 100_000
    assert fields.read_fields(path, ENVIRON, "stamp") == {"first": "x" * 100_000, "second": "y"}


def test_a_value_marshal_cannot_hold_stores_nothing(tmp_path: Path) -> None:
    """Found after other fields were written: no file, and no half file beside it."""
    path = tmp_path / "judged-validate.marshal"
    odd = [(("base",), "tree"), (("odd",), object())]
    assert not fields.write_fields(path, ENVIRON, "stamp", odd)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "payload",
    [
        b"\x05",  # shorter than a length
        (100).to_bytes(8, "little") + b"short",  # a length past the end
        (3).to_bytes(8, "little") + b"\xff\xff\xff",  # no marshal
        b"".join(fields.chunks([(("a",), 1)])) + b"\0",  # trailing bytes
    ],
    ids=["no-length", "length-past-end", "not-marshal", "trailing"],
)
def test_bytes_that_are_not_wholly_fields_read_as_nothing(payload: bytes) -> None:
    assert fields.nested(payload) == {}


@pytest.mark.parametrize(
    "field",
    [(), ("a", "b", "c"), ("ab", 1), ((), 1), ((1,), 1), (("a", 2), 1)],
    ids=["empty", "three", "a-text-for-a-path", "no-names", "a-number-for-a-name",
         "a-number-in-the-path"],
)
def test_a_field_of_the_wrong_shape_reads_as_nothing(field: tuple[Any, ...]) -> None:
    data = marshal.dumps(field)
    assert fields.nested(len(data).to_bytes(8, "little") + data) == {}


def test_a_path_through_a_value_reads_as_nothing() -> None:
    """("a",) holds a number: ("a", "b") cannot go inside it."""
    payload = b"".join(fields.chunks([(("a",), 1), (("a", "b"), 2)]))
    assert fields.nested(payload) == {}


def test_without_a_key_nothing_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "judged-validate.marshal"
    empty_home = {"HOME": str(tmp_path / "no-home"), "XDG_STATE_HOME": "/proc/no-state"}
    assert not fields.write_fields(path, empty_home, "stamp", flat())
    assert not path.exists()


def test_sealed_as_any_cache_file(tmp_path: Path) -> None:
    """The seal and the stamp are those of files.py: its reader takes the file whole."""
    path = tmp_path / "judged-validate.marshal"
    fields.write_fields(path, ENVIRON, "stamp", flat())
    content = files.read(path, ENVIRON)
    assert content is not None and content.startswith(b"stamp\n")
    assert fields.nested(content[len(b"stamp\n") :]) == DATA
