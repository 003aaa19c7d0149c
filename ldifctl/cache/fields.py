"""A sealed cache file of marshalled fields, each made, written and let go in turn.

`files.write_marshalled` marshals its data whole first. For the judged state of 100k
entries (judged.py: 25 MB marshalled) that held, beside the data, its marshalled copy and
the larger buffer marshal grew it in (43 MB in all), at the end of a cold run, whose peak
it made. Here each field, a path of names and a value, is marshalled alone, written after
its length, and let go before the next is made: what is held at once is one field's bytes.

Read back, the fields are nested again by their paths ({"index": {"names": ...}}): the
reader sees the data as it was given, and judges its shape as ever (shapes.py). Like every
cache file, only sealed bytes are ever unmarshalled.
"""

from __future__ import annotations

import marshal
import struct
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import Any

from ldifctl.cache import files

Field = tuple[tuple[str, ...], Any]  # where the value goes (a path of names), the value
_LENGTH = struct.Struct("<Q")


def write_fields(
    path: Path, environ: Mapping[str, str], stamp: str, fields: Iterable[Field]
) -> bool:
    """Store the fields under `stamp`: False when nothing is stored (there is no key, or
    a field holds a value marshal cannot: the cache is gone without, and no half file is
    left)."""
    key = files.cache_key(environ)
    if key is None:
        return False
    try:
        files.write_sealed(path, key, chain([files.stamp_line(stamp)], chunks(fields)))
    except ValueError:
        return False
    return True


def chunks(fields: Iterable[Field]) -> Iterator[bytes]:
    """The bytes of each field in turn: its length, then the field marshalled."""
    for field in fields:
        data = marshal.dumps(field)
        yield _LENGTH.pack(len(data))
        yield data


def read_fields(path: Path, environ: Mapping[str, str], stamp: str) -> dict[str, Any]:
    """The fields written under `stamp`, nested by their paths ({} for none: no file yet,
    another stamp, a wrong seal or bytes that are no fields)."""
    sealed = files.read_sealed(path, environ, files.stamp_line(stamp))
    return nested(sealed[1]) if sealed is not None else {}


def nested(payload: bytes) -> dict[str, Any]:
    """The fields of `payload` (see `chunks`) nested by their paths; {} unless it is
    wholly such fields."""
    view, at, data = memoryview(payload), 0, dict[str, Any]()
    while at < len(view):
        if at + _LENGTH.size > len(view):
            return {}
        (size,) = _LENGTH.unpack_from(view, at)
        at += _LENGTH.size
        if size > len(view) - at:
            return {}
        try:
            names, value = marshal.loads(view[at : at + size])
        except (ValueError, EOFError, TypeError):
            return {}
        at += size
        if not _put(data, names, value):
            return {}
    return data


def _put(data: dict[str, Any], names: object, value: object) -> bool:
    if not isinstance(names, tuple) or not names or not all(isinstance(n, str) for n in names):
        return False
    for name in names[:-1]:
        data = data.setdefault(name, {})
        if not isinstance(data, dict):
            return False
    data[names[-1]] = value
    return True
