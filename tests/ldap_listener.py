"""A listener on loopback that poses as an LDAP server with a TLS certificate and records
what a client sends: whether a TLS handshake completed, and every LDAP request that
arrived (in clear or inside TLS). No real server can say whether a bind reached it before
its certificate was checked; this one answers StartTLS, then only listens.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import slapdtest

CERTS = Path(slapdtest.__file__).parent / "certs"
# python-ldap's test CA signs the server certificate (for 127.0.0.1 and localhost).
CA_FILE = CERTS / "ca.pem"
# Signed by that CA too, but no CA itself: as a trust anchor it vouches for no server.
WRONG_CA_FILE = CERTS / "client.pem"
BIND_REQUEST = 0x60
EXTENDED_REQUEST = 0x77
START_TLS = b"1.3.6.1.4.1.1466.20037"


@dataclass
class Heard:
    handshakes: list[str] = field(default_factory=list)  # "ok" or the server-side error
    requests: list[tuple[str, int, bytes]] = field(default_factory=list)  # (layer, op, bytes)

    def binds(self) -> list[bytes]:
        return [data for _, op, data in self.requests if op == BIND_REQUEST]


def _read_message(conn: socket.socket | ssl.SSLSocket) -> bytes | None:
    """One BER-encoded LDAPMessage, or None when the peer closed or sent garbage."""
    head = _read_exactly(conn, 2)
    if head is None or head[0] != 0x30:
        return None
    length = head[1]
    extra = b""
    if length & 0x80:
        extra = _read_exactly(conn, length & 0x7F) or b""
        length = int.from_bytes(extra, "big")
    body = _read_exactly(conn, length)
    return None if body is None else head + extra + body


def _read_exactly(conn: socket.socket | ssl.SSLSocket, count: int) -> bytes | None:
    data = b""
    while len(data) < count:
        try:
            chunk = conn.recv(count - len(data))
        except (OSError, ssl.SSLError):
            return None
        if not chunk:
            return None
        data += chunk
    return data


def _operation(message: bytes) -> tuple[bytes, int]:
    """(messageID TLV, protocolOp tag) of an LDAPMessage with a short length."""
    start = 2 + (message[1] & 0x7F if message[1] & 0x80 else 0)
    id_length = message[start + 1]
    message_id = message[start : start + 2 + id_length]
    return message_id, message[start + 2 + id_length]


def _start_tls_response(message_id: bytes) -> bytes:
    name = b"\x8a" + bytes([len(START_TLS)]) + START_TLS
    result = b"\x0a\x01\x00\x04\x00\x04\x00" + name
    op = b"\x78" + bytes([len(result)]) + result
    body = message_id + op
    return b"\x30" + bytes([len(body)]) + body


def _serve(conn: socket.socket, start_tls: bool, heard: Heard) -> None:
    if start_tls:
        first = _read_message(conn)
        if first is None:
            return
        message_id, op = _operation(first)
        heard.requests.append(("clear", op, first))
        if op != EXTENDED_REQUEST or START_TLS not in first:
            return
        conn.sendall(_start_tls_response(message_id))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(CERTS / "server.pem", CERTS / "server.key")
    try:
        secure = context.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError) as err:
        heard.handshakes.append(type(err).__name__)
        return
    heard.handshakes.append("ok")
    message = _read_message(secure)
    if message is not None:
        heard.requests.append(("tls", _operation(message)[1], message))


@contextlib.contextmanager
def listening(start_tls: bool) -> Iterator[tuple[str, Heard]]:
    """An `ldap://` (StartTLS) or `ldaps://` URI on loopback, and what it heard."""
    heard = Heard()
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(10)
                _serve(conn, start_tls, heard)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    scheme = "ldap" if start_tls else "ldaps"
    try:
        yield f"{scheme}://127.0.0.1:{server.getsockname()[1]}", heard
    finally:
        stop.set()
        thread.join()
        server.close()
