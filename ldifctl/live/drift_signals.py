"""SIGTERM and SIGHUP while `drift --write --branch` works: an exception, so that its
cleanup runs (the temporary work tree goes, no branch is made).

Python's default answer to either is to end the process on the spot, so no `finally`
runs: a CI job's timeout (SIGTERM) or a closed terminal (SIGHUP) left the temporary work
tree registered in .git/worktrees. SIGINT raises KeyboardInterrupt already. apply answers
signals otherwise (live/signals.py): it finishes what is in flight and reports; here there
is nothing to report, only work to undo.

A Python signal handler runs only between bytecodes of the main thread, and python-ldap's
wait for a server that hangs goes on in C through any signal: so the work runs on a thread
of its own (`waited`), and the main thread, which only waits for it, handles the signal at
once, undoes the work and ends the process, leaving the thread behind.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import TypeVar

T = TypeVar("T")

SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Stopped(BaseException):
    """A signal came. Not an Exception: no `except Exception` on the way may swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process the signal ended."""
        return 128 + self.signum


@dataclass
class Guard:
    armed: bool = True  # a signal now raises Stopped
    raised: bool = False  # it did: the cleanup is under way
    pending: int | None = None  # a signal that came once the work was done

    def disarm(self) -> None:
        """The work is done: a signal from now on is delivered as usual once the block ends
        (raising then would undo finished work, or report it as undone)."""
        self.armed = False

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """A signal waits while the block runs (a cleanup cut half way leaves a tree behind
        and a false word that it is gone), then raises as it would have."""
        armed, self.armed = self.armed, False
        try:
            yield
        finally:
            self.armed = armed
            if armed and self.pending is not None and not self.raised:
                signum, self.pending, self.raised = self.pending, None, True
                raise Stopped(signum)

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.raised:
            return  # a second one must not cut the cleanup short
        if not self.armed:
            self.pending = signum
            return
        self.raised = True
        raise Stopped(signum)


@contextlib.contextmanager
def raised() -> Iterator[Guard]:
    """Within the block, SIGTERM and SIGHUP raise Stopped (once), unless ignored already
    (`nohup` ignores SIGHUP: that choice stands)."""
    guard = Guard()
    if threading.current_thread() is not threading.main_thread():
        yield guard  # only the main thread may set handlers, and only it receives signals
        return
    previous = {
        number: signal.signal(number, guard.on_signal)
        for number in SIGNALS
        if signal.getsignal(number) is not signal.SIG_IGN
    }
    try:
        yield guard
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if guard.pending is not None:
            signal.raise_signal(guard.pending)


def waited(work: Callable[[], T]) -> T:
    """`work()` on a daemon thread, waited for here (a wait a signal interrupts: PEP 475
    retries it only when the handler raises nothing). A signal's Stopped leaves the thread
    running; the process ends once the caller has undone the work."""
    done: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as err:  # handed to the waiting thread, which raises it
            failed.append(err)

    thread = threading.Thread(target=run, name="ldifctl-drift-branch", daemon=True)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return done[0]
