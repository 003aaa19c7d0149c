"""Work over a whole tree (100k entries): the garbage collector held off, two cores used.

How work runs, not what it computes: any package may use it (repo/ parses a big tree on
two cores, policy/ judges with the collector held off); it imports nothing of ldifctl.
"""

from __future__ import annotations

import gc
import marshal
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")
A = TypeVar("A")
B = TypeVar("B")

# Below this a fork and the pickling of results cost more than the second core saves
# (benchmarks/bench_core.py: even at 10k entry files the split wins).
MIN_SPLIT = 4000


@contextmanager
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
    since the parent waits for it. If the child dies for any reason `there()` is simply
    run here afterwards, so the result never depends on the fork working.
    """
    if size < MIN_SPLIT or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return here(), there()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running any cleanup
        os.close(read_end)
        status = 1
        try:
            with os.fdopen(write_end, "wb") as out:
                result = there()
                if plain:
                    out.write(marshal.dumps(cast(Any, result)))
                else:
                    pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        mine = here()
    finally:
        theirs = _collect(read_end, pid, plain)
    return mine, (there() if theirs is None else theirs[0])


def _collect(read_end: int, pid: int, plain: bool) -> tuple[Any] | None:
    """The child's result (boxed: None itself is a result), or None when it failed."""
    with os.fdopen(read_end, "rb") as pipe:
        try:
            result = (marshal.loads(pipe.read()) if plain else pickle.load(pipe),)
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
            result = None
    _, status = os.waitpid(pid, 0)
    return result if status == 0 else None
