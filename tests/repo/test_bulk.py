"""Whole-tree work on two cores: the forked half comes back intact, or is redone here."""

from __future__ import annotations

import errno
import gc
import marshal
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest
from repo_kit import DirectoryRepo, base_entries

from ldifctl import bulk
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry
from ldifctl.repo import readers, tree
from ldifctl.repo.readers import revision, worktree
from ldifctl.repo.workspace import open_workspace


@pytest.fixture
def split_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split from a handful of items, so a test does not need thousands of files."""
    monkeypatch.setattr(bulk, "MIN_SPLIT", 4)


def pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i, os.getpid()) for i in items]


@pytest.mark.usefixtures("split_small")
def test_the_second_half_is_computed_by_another_process() -> None:
    result = bulk.split_map(pids, list(range(10)))  # two halves of 5
    assert [i for i, _ in result] == list(range(10))
    assert {pid for _, pid in result[:5]} == {os.getpid()}
    (child,) = {pid for _, pid in result[5:]}
    assert child != os.getpid()


@pytest.mark.usefixtures("split_small")
def test_a_child_that_dies_has_its_half_done_here() -> None:
    parent = os.getpid()

    def die_in_child(items: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            os._exit(3)
        return [i * 2 for i in items]

    assert bulk.split_map(die_in_child, list(range(10))) == [i * 2 for i in range(10)]


@pytest.mark.usefixtures("split_small")
@pytest.mark.parametrize("short_of", ["process", "descriptor"])
def test_where_no_child_can_be_made_both_halves_are_done_here(
    monkeypatch: pytest.MonkeyPatch, short_of: str
) -> None:
    """fork or pipe failing (EAGAIN: no process left; EMFILE: no descriptor): the work is
    done here, with no descriptor left open."""

    def refused(*args: object) -> object:
        raise OSError(errno.EAGAIN if short_of == "process" else errno.EMFILE, "refused")

    monkeypatch.setattr(os, "fork" if short_of == "process" else "pipe", refused)
    open_before = len(os.listdir("/proc/self/fd"))
    assert bulk.split_map(pids, list(range(10))) == pids(range(10))
    _, parts = bulk.side_by_side_parts(os.getpid, lambda: iter([1, 2]), 10)
    assert list(parts) == [1, 2]
    assert len(os.listdir("/proc/self/fd")) == open_before


@pytest.mark.usefixtures("split_small")
def test_a_child_that_raises_has_its_half_done_here() -> None:
    parent = os.getpid()

    def raise_in_child(items: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("lost in the child")
        return list(items)

    assert bulk.split_map(raise_in_child, list(range(8))) == list(range(8))


@pytest.mark.usefixtures("split_small")
def test_a_plain_result_comes_back_marshalled() -> None:
    mine, theirs = bulk.side_by_side(
        lambda: os.getpid(), lambda: (os.getpid(), [b"v", None, 1.5], {"k": ("t",)}), 10, True
    )
    assert mine == os.getpid() and theirs[0] != os.getpid()
    assert theirs[1:] == ([b"v", None, 1.5], {"k": ("t",)})


@pytest.mark.usefixtures("split_small")
def test_a_result_marshal_cannot_hold_is_made_here() -> None:
    """A plain result that is not (an object): the child fails, its work is redone here."""
    made = bulk.side_by_side(lambda: 1, lambda: (os.getpid(), Path("x")), 10, plain=True)
    assert made == (1, (os.getpid(), Path("x")))


@pytest.mark.usefixtures("split_small")
@pytest.mark.parametrize("plain", [True, False])
def test_a_child_done_first_is_gone_before_this_half_ends(plain: bool) -> None:
    """Its result, 8 times what the pipe holds, is read as it comes: the child does not
    wait, holding all it made, for this half to end; and the result comes back whole."""
    big = [os.urandom(1 << 20) for _ in range(8)]

    def here() -> bool:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # a child that has exited, not yet reaped
            if os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
            time.sleep(0.01)
        return False

    gone, theirs = bulk.side_by_side(here, lambda: (os.getpid(), big), 10, plain)
    assert gone
    assert theirs[0] != os.getpid() and theirs[1] == big


class _CutShort(bytes):
    """A result whose sender dies before its end: it says it is longer than it is."""

    def __len__(self) -> int:
        return super().__len__() + 1000


@pytest.mark.usefixtures("split_small")
def test_a_result_cut_short_is_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its length said, less of it sent: the work is redone here."""
    cut = SimpleNamespace(dumps=lambda r: _CutShort(marshal.dumps(r)), loads=marshal.loads)
    monkeypatch.setattr(bulk, "marshal", cut)
    made = bulk.side_by_side(lambda: 1, lambda: (os.getpid(), b"v" * 5000), 10, plain=True)
    assert made == (1, (os.getpid(), b"v" * 5000))


def test_small_inputs_stay_in_this_process() -> None:
    assert {pid for _, pid in bulk.split_map(pids, list(range(10)))} == {os.getpid()}


def test_the_collector_is_paused_then_restored() -> None:
    assert gc.isenabled()
    with bulk.paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.paused_gc():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


@pytest.mark.usefixtures("split_small")
def test_a_split_load_reports_broken_files_from_both_halves(tmp_path: Path) -> None:
    base = tmp_path / "dc=net" / "dc=example"
    (base / "ou=people").mkdir(parents=True)
    (tmp_path / "dc=net.yaml").write_text("dn: dc=net\nobjectClass: domain\ndc: net\n")
    (tmp_path / "dc=net" / "dc=example.yaml").write_text(
        "dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n"
    )
    (base / "ou=people.yaml").write_text(
        "dn: ou=people,dc=example,dc=net\nobjectClass: organizationalUnit\nou: people\n"
    )
    for i in range(12):
        dn = f"cn=p{i},ou=people,dc=example,dc=net"
        text = f"dn: {dn}\nobjectClass: person\ncn: p{i}\nsn: P\n"
        if i in (0, 11):  # one in each half of the sorted paths
            text += "sn: again\n"
        (base / "ou=people" / f"cn=p{i}.yaml").write_text(text)
    reader = readers.FolderReader(tmp_path, "directory")
    with pytest.raises(LdifctlError) as caught:
        tree.load(reader, build_schema())
    lines = str(caught.value).splitlines()
    assert [line for line in lines if "duplicate key 'sn'" in line] == [
        "directory/dc=net/dc=example/ou=people/cn=p0.yaml:5: duplicate key 'sn' "
        "(first at line 4): merge the values into one list",
        "directory/dc=net/dc=example/ou=people/cn=p11.yaml:5: duplicate key 'sn' "
        "(first at line 4): merge the values into one list",
    ]


@pytest.mark.usefixtures("split_small")
def test_a_split_load_equals_a_serial_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dc=net").mkdir()
    (tmp_path / "dc=net.yaml").write_text("dn: dc=net\nobjectClass: domain\ndc: net\n")
    for i in range(20):
        (tmp_path / "dc=net" / f"cn=p{i}.yaml").write_text(
            f"dn: cn=p{i},dc=net\nobjectClass: person\ncn: p{i}\nsn:\n  - P\n  - Q{i}\n"
        )
    reader = readers.FolderReader(tmp_path, "directory")
    split = tree.load(reader, build_schema())
    monkeypatch.setattr(bulk, "MIN_SPLIT", 10**9)
    serial = tree.load(reader, build_schema())
    assert [(e.dn, dict(e.attrs), e.origin) for e in split] == [
        (e.dn, dict(e.attrs), e.origin) for e in serial
    ]
    assert len(list(split)) == 21


@pytest.mark.usefixtures("split_small")
def test_the_second_half_sent_in_parts_is_what_one_process_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child sends its half ROWS_PER_PART files at a time, each entry as a row made
    an Entry again here: every field of it (its lines, a comment's shift, a value in
    quotes) and every error, in order, as a parse in one process gives them."""
    (tmp_path / "dc=net").mkdir()
    (tmp_path / "dc=net.yaml").write_text("dn: dc=net\nobjectClass: domain\ndc: net\n")
    for i in range(23):
        text = f"dn: cn=p{i},dc=net\nobjectClass: person\ncn: p{i}\nsn: 'Q: {i}'\n"
        if i % 4 == 1:
            text = f"# note {i}\n" + text + "description:\n  - a\n  - b\n"
        if i in (8, 20):  # broken, in the child's half (sorted paths: p20 after p2)
            text += "cn: again\n"
        (tmp_path / "dc=net" / f"cn=p{i}.yaml").write_text(text)
    reader = readers.FolderReader(tmp_path, "directory")
    paths = sorted(reader.files())
    real, parsed_here = tree.parse_chunk, []

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        parsed_here.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(tree, "ROWS_PER_PART", 3)
    monkeypatch.setattr(tree, "parse_chunk", watched)
    split = tree.parse_files(reader, build_schema(), paths)
    assert parsed_here == [tree._as_parsed]  # the child's four parts were parsed there
    serial = real(reader, build_schema(), paths, tree._as_parsed)  # no row made

    def seen(found: Entry | str) -> object:
        return found if isinstance(found, str) else (found.dn, found.attrs, found.origin)

    assert [(p, seen(f)) for p, f in split] == [(p, seen(f)) for p, f in serial]
    assert [p for p, f in split if isinstance(f, str)] == [
        "dc=net/cn=p20.yaml",
        "dc=net/cn=p8.yaml",
    ]
    assert len(split) == 24


@pytest.mark.usefixtures("split_small")
def test_a_split_load_of_a_git_revision_equals_the_working_tree(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path)
    repo.populate(base_entries())
    for i in range(12):
        dn = f"cn=p{i},ou=people,dc=example,dc=net"
        repo.write(dn, f"dn: {dn}\nobjectClass: person\ncn: p{i}\nsn: P{i}\n")
    repo.commit()
    ws = open_workspace(tmp_path)
    committed = tree.load(revision(ws, "HEAD"), ws.schema)
    on_disk = tree.load(worktree(ws), ws.schema)
    assert sorted((e.dn, dict(e.attrs)) for e in committed) == sorted(
        (e.dn, dict(e.attrs)) for e in on_disk
    )
    assert len(list(committed)) == 14


@pytest.mark.usefixtures("split_small")
def test_parts_come_in_order_from_another_process() -> None:
    def there() -> Iterator[tuple[int, int]]:
        for i in range(5):
            yield i, os.getpid()

    mine, parts = bulk.side_by_side_parts(os.getpid, there, 10)
    got = list(parts)
    assert mine == os.getpid()
    assert [i for i, _ in got] == list(range(5))
    (child,) = {pid for _, pid in got}
    assert child != os.getpid()


@pytest.mark.usefixtures("split_small")
@pytest.mark.parametrize("how", ["exit", "raise", "unmarshallable"])
def test_a_child_that_fails_after_sending_parts_has_every_part_made_here(how: str) -> None:
    """Two parts sent, then the child dies: what it sent is dropped, not taken with the
    rest made here (no part twice, none lost)."""
    parent = os.getpid()

    def there() -> Iterator[tuple[int, object]]:
        for i in range(4):
            if i == 2 and os.getpid() != parent:
                if how == "exit":
                    os._exit(3)
                if how == "raise":
                    raise RuntimeError("lost in the child")
                yield i, Path("x")  # marshal cannot send it
            yield i, os.getpid()

    mine, parts = bulk.side_by_side_parts(lambda: "mine", there, 10)
    assert (mine, list(parts)) == ("mine", [(i, parent) for i in range(4)])


@pytest.mark.usefixtures("split_small")
def test_parts_bigger_than_the_pipe_come_back_whole() -> None:
    big = [os.urandom(3 << 20) for _ in range(3)]
    _, parts = bulk.side_by_side_parts(lambda: None, lambda: iter(big), 10)
    assert list(parts) == big


def test_few_items_make_their_parts_here() -> None:
    def there() -> Iterator[int]:
        yield os.getpid()
        yield os.getpid()

    mine, parts = bulk.side_by_side_parts(lambda: 1, there, 10)
    assert (mine, list(parts)) == (1, [os.getpid(), os.getpid()])
