"""Entry files written and looked at by descriptor (repo/files.py: `write_regular`,
`RepoWriter`): the bytes exactly, the mode `open()` gives, and no link followed nor FIFO
waited on."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from ldifctl.repo.files import (
    LINK,
    SPECIAL,
    NotRegularError,
    RepoWriter,
    refused_because,
    write_regular,
)


def finished(work: Callable[[], object], seconds: float = 20) -> list[object]:
    """What `work` returned or raised, from a thread that must end within `seconds`."""
    out: list[object] = []

    def run() -> None:
        try:
            out.append(work())
        except Exception as err:  # handed to the test to judge
            out.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    assert not thread.is_alive(), "it waited"
    return out


def test_a_file_holds_the_text_as_utf8_with_its_line_ends_and_nothing_of_before(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a longer text that was here before\n" * 40)
    write_regular(path, "cn: Zoë Ågren\nsn: \u4e2d\n", "a.yaml")
    assert path.read_bytes() == "cn: Zoë Ågren\nsn: \u4e2d\n".encode()


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        write_regular(tmp_path / "a.yaml", "cn: a\n", "a.yaml")
        (tmp_path / "b.yaml").write_text("cn: b\n")
    finally:
        os.umask(umask)
    modes = {stat.S_IMODE((tmp_path / name).stat().st_mode) for name in ("a.yaml", "b.yaml")}
    assert modes == {0o640}


def test_a_text_that_cannot_be_encoded_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("cn: a\n")
    with pytest.raises(UnicodeEncodeError):
        write_regular(path, "cn: \udcff\n", "a.yaml")
    assert path.read_text() == "cn: a\n"


def test_a_link_is_refused_and_what_it_points_to_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("not ours\n")
    (tmp_path / "a.yaml").symlink_to(target)
    with pytest.raises(NotRegularError) as refused:
        write_regular(tmp_path / "a.yaml", "cn: a\n", "directory/a.yaml")
    assert str(refused.value) == f"directory/a.yaml: {refused_because(LINK)}"
    assert target.read_text() == "not ours\n"


def test_a_fifo_is_refused_without_waiting_for_a_reader(tmp_path: Path) -> None:
    """A FIFO put where a file goes: opened to write the usual way, the open waits for a
    reader that never comes."""
    os.mkfifo(tmp_path / "a.yaml")
    [refused] = finished(lambda: write_regular(tmp_path / "a.yaml", "cn: a\n", "d/a.yaml"))
    assert isinstance(refused, NotRegularError)
    assert str(refused) == f"d/a.yaml: {refused_because(SPECIAL)}"


def test_the_writer_reads_what_is_there_and_nothing_where_nothing_is(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.yaml").write_bytes(b"cn: a\n")
    writer = RepoWriter(tmp_path)
    assert writer.read(tmp_path / "d" / "a.yaml") == b"cn: a\n"
    assert writer.read(tmp_path / "d" / "b.yaml") is None
    assert writer.read(tmp_path / "new" / "c.yaml") is None
    assert (tmp_path / "new").is_dir()  # its folder is made as its place is looked at


@pytest.mark.parametrize("kind", [LINK, SPECIAL])
def test_the_writer_refuses_what_is_not_a_file_where_one_goes(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "d" / "a.yaml"
    path.parent.mkdir()
    if kind == LINK:
        (tmp_path / "elsewhere").write_text("cn: x\n")
        path.symlink_to(tmp_path / "elsewhere")
    else:
        os.mkfifo(path)
    [refused] = finished(lambda: RepoWriter(tmp_path).read(path))
    assert isinstance(refused, NotRegularError)
    assert str(refused) == f"d/a.yaml: {refused_because(kind)}"
