"""Work over a whole tree (100k entries): the garbage collector held off, two cores used.

How work runs, not what it computes: any package may use it (repo/ parses a big tree on
two cores, policy/ judges with the collector held off); it imports nothing of ldifctl.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import mmap
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")
A = TypeVar("A")
B = TypeVar("B")

# Below this a fork and the pickling of results cost more than the second core saves
# (benchmarks/bench_core.py: even at 10k entry files the split wins).
MIN_SPLIT = 4000


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Build many long-lived objects without the collector rescanning them all the time.

    Parsing 100k entries makes millions of objects and no reference cycles; each full
    collection walks all of them again (2.3 s of a 100k `validate`). Afterwards they are
    frozen: later collections skip them, and reference counting still frees them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def splits(size: int) -> bool:
    """Is work of about `size` entries or files split between two processes (`side_by_side`)?"""
    return size >= MIN_SPLIT and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork")


def split_map(work: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> list[R]:
    """`work(items)`, with the second half done by a forked child on another core."""
    half = len(items) // 2
    first, second = side_by_side(
        lambda: work(items[:half]), lambda: work(items[half:]), size=len(items)
    )
    return first + second


def side_by_side(
    here: Callable[[], A], there: Callable[[], B], size: int, plain: bool = False
) -> tuple[A, B]:
    """`here()` in this process while a forked child computes `there()`, when the work
    is about `size` entries or files (below MIN_SPLIT both simply run here).

    Of the child's doings only its result and what it writes to disk survive. The result
    is pickled, or marshalled when `plain` (it holds only tuples, lists, dicts, strings,
    bytes, numbers and None): three times as fast for 50k parsed entries, which matters
    since the parent waits for it. If the child dies for any reason, or none can be
    forked, `there()` is simply run here afterwards, so the result never depends on the
    fork working.
    """
    if not splits(size):
        return here(), there()

    def send(frame: Callable[[bytes], None]) -> None:
        result = cast(Any, there())
        frame(marshal.dumps(result) if plain else pickle.dumps(result, _PICKLE))

    started = _child(send)
    if started is None:
        return here(), there()
    pid, read_end = started
    # Read as it comes, beside `here()`: a child that ends first would otherwise block on
    # the full pipe, holding every page it made until `here()` ends (at 100k entries
    # parsed, 150 MB for 0.8 s: a cold validate's peak).
    received = _Received(read_end)
    try:
        mine = here()
    finally:
        theirs = received.result(pid, plain)
    return mine, (there() if theirs is None else theirs[0])


def side_by_side_parts(
    here: Callable[[], A], there: Callable[[], Iterable[B]], size: int
) -> tuple[A, Iterator[B]]:
    """`side_by_side` for a `there()` that yields its result in parts, each plain data
    (as `plain`). The child sends each part as it is made and lets it go: it holds one
    part at a time, not the whole result (50k entries read from an LDIF file, ~70 MB,
    beside as many made here), and nothing waits for the last part to send the first.

    The parts are read as they come, beside `here()`, and unmarshalled one at a time as
    the iterator is consumed. If the child dies for any reason, what it sent is dropped
    and `there()` runs here: the result never depends on the fork working."""
    if not splits(size):
        return here(), iter(there())

    def send(frame: Callable[[bytes], None]) -> None:
        for part in there():
            frame(marshal.dumps(cast(Any, part)))
            del part  # before the next part is made

    started = _child(send)
    if started is None:
        return here(), iter(there())
    pid, read_end = started
    received = _ReceivedParts(read_end)
    try:
        mine = here()
    finally:
        parts = received.parts(pid)
    return mine, (iter(there()) if parts is None else _unmarshalled(parts))


def _child(send: Callable[[Callable[[bytes], None]], None]) -> tuple[int, int] | None:
    """A forked child that runs `send`, given a writer of frames (each after its length)
    to a pipe, then leaves without running any cleanup: its pid and the pipe's read end.
    None when none could be made (no descriptor or process left: EMFILE, EAGAIN, ENOMEM):
    the work is then done here."""
    try:
        read_end, write_end = _pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:
        os.close(read_end)
        status = 1
        try:
            with os.fdopen(write_end, "wb") as out:

                def frame(sent: bytes) -> None:
                    out.write(len(sent).to_bytes(8, "little"))
                    out.write(sent)

                send(frame)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _unmarshalled(parts: list[mmap.mmap]) -> Iterator[Any]:
    parts.reverse()
    while parts:
        with parts.pop() as data:
            yield marshal.loads(data)


_PICKLE = pickle.HIGHEST_PROTOCOL
_PIPE_SIZE = 1 << 20  # Linux's default /proc/sys/fs/pipe-max-size


def _pipe() -> tuple[int, int]:
    """A pipe as wide as Linux lets it be: the reading thread waits for the GIL after
    each read, up to 5 ms while `here()` computes, and 20 MB came 64 KB at a time."""
    read_end, write_end = os.pipe()
    with contextlib.suppress(OSError, AttributeError):
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    return read_end, write_end


class _Received(threading.Thread):
    """A child's result, read from its pipe on a thread of its own (a read waits for the
    child without holding the GIL). It comes after its length, into a mapping of its own
    that is unmapped once read: had it grown in the heap while the entries are made, its
    20 MB would stay as holes among them for the rest of the run."""

    def __init__(self, read_end: int) -> None:
        super().__init__(daemon=True)
        self.read_end = read_end
        self.data: mmap.mmap | None = None
        self.start()

    def run(self) -> None:
        with contextlib.suppress(OSError, ValueError), os.fdopen(self.read_end, "rb") as pipe:
            size = int.from_bytes(pipe.read(8), "little")
            data = mmap.mmap(-1, size)  # none (ValueError) when the child sent nothing
            if pipe.readinto(data) == size:
                self.data = data

    def result(self, pid: int, plain: bool) -> tuple[Any] | None:
        """The child's result (boxed: None itself is a result), or None when it failed."""
        self.join()
        _, status = os.waitpid(pid, 0)
        if status != 0 or self.data is None:
            return None
        with self.data as data:
            try:
                return (marshal.loads(data) if plain else pickle.loads(data),)
            except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
                return None


class _ReceivedParts(threading.Thread):
    """A child's parts, each after its length, read from its pipe on a thread of its own,
    each into a mapping of its own (as _Received, and for the same reason)."""

    def __init__(self, read_end: int) -> None:
        super().__init__(daemon=True)
        self.read_end = read_end
        self.received: list[mmap.mmap] = []
        self.whole = False  # every part came whole, up to the end of the pipe
        self.start()

    def run(self) -> None:
        with contextlib.suppress(OSError, ValueError), os.fdopen(self.read_end, "rb") as pipe:
            while head := pipe.read(8):
                size = int.from_bytes(head, "little")
                data = mmap.mmap(-1, size)  # none (ValueError) for a cut length
                if pipe.readinto(data) != size:
                    return
                self.received.append(data)
            self.whole = True

    def parts(self, pid: int) -> list[mmap.mmap] | None:
        """The parts the child sent, or None when it failed."""
        self.join()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not self.whole:
            for data in self.received:
                data.close()
            return None
        return self.received
