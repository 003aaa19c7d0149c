"""What a running Postfix says about probed addresses: its delivery status reports (in an
mbox), the maillog lines of messages cleanup refused, and the sender of a queue file."""

from __future__ import annotations

import email
import itertools
import re
from collections.abc import Iterator
from email.message import Message
from typing import NamedTuple

EXTERNAL = "left-for-the-outside"  # the recording transport's next hop: its report line

_FROM_LINE = re.compile(rb"^From ", re.MULTILINE)
_BOUNDARY = re.compile(rb'boundary="([^"]+)"')
_PICKED_UP = re.compile(r"postfix/pickup\[\d+\]: (\w+): uid=\d+ from=<([^>]*)>")
# cleanup refuses the whole message: a loop (nesting), too many addresses, a result too
# long to be an address (which the log does not attribute), a table that failed.
_REFUSED = re.compile(
    r"postfix/cleanup\[\d+\]: warning: (\w+): (?:unreasonable virtual_alias_maps "
    r"(map nesting|map expansion size|result)|virtual_alias_maps map (lookup problem))"
    r"(?: for (\S+))?.* -- message not accepted"
)


class Routing(NamedTuple):
    """Where mail to one address went, in the words of `ldifctl resolve --format json`:
    the status and the final recipients with their kind (sorted: Postfix reports them
    grouped by transport, not in expansion order)."""

    status: str  # delivered, undeliverable, loop, deferred
    destinations: tuple[tuple[str, str], ...]  # (address as written, kind)


class Refusal(NamedTuple):
    sender: str  # which probe message
    address: str | None  # the address that made cleanup refuse it, when the log says
    status: str  # loop or deferred


def complete_messages(data: bytes) -> Iterator[bytes]:
    """The whole messages at the start of an mbox; one still being written (its closing
    MIME boundary not there yet) ends the list."""
    starts = [m.start() for m in _FROM_LINE.finditer(data)] + [len(data)]
    for start, end in itertools.pairwise(starts):
        message = data[start:end]
        boundary = _BOUNDARY.search(message)
        if boundary is None or b"--" + boundary[1] + b"--" not in message:
            return
        yield message


def routings(message: bytes) -> dict[str, Routing]:
    """A delivery status report: each original recipient's final recipients and status."""
    by_original: dict[str, list[tuple[str, str]]] = {}
    for fields in _blocks(message)[1:]:  # the first block is about the message
        original = _address(fields["Original-Recipient"] or fields["Final-Recipient"])
        final = (_address(fields["Final-Recipient"]), _kind(fields))
        by_original.setdefault(original, []).append(final)
    return {a: _routing(finals) for a, finals in by_original.items()}


def _blocks(message: bytes) -> list[Message]:
    """The field blocks of the report's delivery-status part. A report about a UTF-8
    address has a message/global-delivery-status part (RFC 6533) in 8-bit UTF-8, which
    the email package neither splits into blocks nor decodes: read from the bytes."""
    start = message.find(b"Content-Type: message/global-delivery-status")
    if start < 0:
        for part in email.message_from_bytes(message).walk():
            if part.get_content_type() == "message/delivery-status":
                payload = part.get_payload()
                assert isinstance(payload, list)
                return [m for m in payload if isinstance(m, Message)]
        return []
    body = message.index(b"\n\n", start) + 2
    text = message[body : message.index(b"\n--", body)].decode("utf-8")
    return [email.message_from_string(b) for b in re.split(r"\n[ \t]*\n", text.strip())]


def _address(field: str) -> str:
    """`rfc822; a@b` -> `a@b`."""
    return field.split(";", 1)[1].strip()


def _kind(fields: Message) -> str:
    status, action = fields["Status"], fields["Action"]
    diagnostic = " ".join(fields["Diagnostic-Code"].split())
    if status.startswith("4."):
        return "deferred"
    if action == "undeliverable":
        return "undeliverable"
    if "delivery via virtual: delivers to" in diagnostic:
        return "mailbox"
    if diagnostic == f"X-Postfix; {EXTERNAL}":
        return "external"
    return diagnostic  # anything else shows in a failed comparison as it is


def _routing(finals: list[tuple[str, str]]) -> Routing:
    kinds = {kind for _, kind in finals}
    if "deferred" in kinds:
        return Routing("deferred", ())
    status = "undeliverable" if "undeliverable" in kinds else "delivered"
    return Routing(status, tuple(sorted(finals)))


class LogReader:
    """The maillog as it grows: which sender each queue id has, and refusals."""

    def __init__(self) -> None:
        self.senders: dict[str, str] = {}

    def refusals(self, lines: str) -> list[Refusal]:
        self.senders.update(_PICKED_UP.findall(lines))
        found = []
        for queue_id, limit, _, address in _REFUSED.findall(lines):
            status = "loop" if limit == "map nesting" else "deferred"
            found.append(Refusal(self.senders.get(queue_id, ""), address or None, status))
        return found


def queue_file_sender(data: bytes) -> str | None:
    """The sender of a queue file: records of a type byte, a length (7 bits a byte, low
    bits first) and the data; `S` is the sender."""
    i = 0
    while i < len(data):
        kind, length, shift = data[i], 0, 0
        i += 1
        while i < len(data):
            length |= (data[i] & 0x7F) << shift
            shift += 7
            i += 1
            if not data[i - 1] & 0x80:
                break
        if kind == ord("S"):
            return data[i : i + length].decode("utf-8", "replace")
        i += length
    return None
