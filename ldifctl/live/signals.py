"""Ctrl-C, SIGTERM and SIGHUP while apply writes: stop sending, never stop reporting
(issue 10).

Python's default answers (KeyboardInterrupt anywhere; death by SIGTERM, or by SIGHUP
when the administrator's SSH session drops) would leave no report of what was applied.
While the writes run, a signal only asks the pipeline to stop sending; it awaits the
answers of what is in flight, and the report, remaining.ldif and undo.ldif are written
as for a failed write. The exit code is 128 + the signal's number (130 for SIGINT, 143
for SIGTERM, 129 for SIGHUP), as a shell reports a process the signal ended.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class Interrupts:
    received: list[int] = field(default_factory=list)

    def first(self) -> str | None:
        """The name of the first signal that came (SIGINT, SIGTERM, SIGHUP), if any did."""
        return signal.Signals(self.received[0]).name if self.received else None

    def exit_code(self) -> int:
        return 128 + self.received[0]


@contextlib.contextmanager
def caught() -> Iterator[Interrupts]:
    """Within the block, SIGINT, SIGTERM and SIGHUP are noted instead of ending the process."""
    interrupts = Interrupts()

    def note(signum: int, frame: FrameType | None) -> None:
        interrupts.received.append(signum)

    previous = {number: signal.signal(number, note) for number in SIGNALS}
    try:
        yield interrupts
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
