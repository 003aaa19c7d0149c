"""A TCP proxy in front of an LDAP server that can hold what one client sends.

It stands for a network that goes quiet one way while the server keeps running: the
first connection through it (apply's) has its client-to-server bytes held from `hold()`
on, ldifctl's end of it included, while the server's answers and every later connection
(the fresh one that reads the entries again, ldapmodify, a second ldifctl) pass. After
`release()` the server gets what was held, in order, and `drained()` waits until the
server has closed that connection: it has then finished every request it read on it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace

import servers

CHUNK = 65536


class HeldProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.holding = False
        self.held: list[bytes] = []  # b"" at the end: the client closed its side
        self.target: socket.socket | None = None  # the held connection's server side
        self.client_ended = threading.Event()  # the held connection's client closed its side
        self.closed_by_server = threading.Event()
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def hold(self) -> None:
        with self.lock:
            self.holding = True

    def release(self) -> None:
        """Send what was held, then the client's end if it had closed."""
        with self.lock:
            self.holding = False
            for data in self.held:
                self._forward(data)
            self.held.clear()

    def drained(self, timeout: float = 30) -> bool:
        return self.closed_by_server.wait(timeout)

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(self.upstream)
            first, self.accepted = self.accepted == 0, self.accepted + 1
            if first:
                self.target = server
            up = self._pump_held if first else _pump
            threading.Thread(target=up, args=(client, server), daemon=True).start()
            threading.Thread(
                target=self._pump_back, args=(server, client, first), daemon=True
            ).start()

    def _pump_held(self, client: socket.socket, server: socket.socket) -> None:
        while True:
            data = _recv(client)
            with self.lock:
                if self.holding:
                    self.held.append(data)
                else:
                    self._forward(data)
            if not data:
                self.client_ended.set()
                return

    def _forward(self, data: bytes) -> None:
        assert self.target is not None
        with contextlib.suppress(OSError):
            if data:
                self.target.sendall(data)
            else:
                self.target.shutdown(socket.SHUT_WR)

    def _pump_back(self, server: socket.socket, client: socket.socket, first: bool) -> None:
        _pump(server, client)
        if first:
            self.closed_by_server.set()


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(CHUNK)
    except OSError:
        return b""


def _pump(src: socket.socket, dst: socket.socket) -> None:
    """Copy until `src` ends; a `dst` gone away only drops what is copied."""
    while data := _recv(src):
        with contextlib.suppress(OSError):
            dst.sendall(data)
    with contextlib.suppress(OSError):
        dst.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def held_proxy(server: servers.LdapServer) -> Iterator[tuple[HeldProxy, servers.LdapServer]]:
    """The proxy, and `server` as reached through it."""
    host, port = server.uri.removeprefix("ldap://").rsplit(":", 1)
    proxy = HeldProxy((host, int(port)))
    try:
        yield proxy, replace(server, uri=f"ldap://127.0.0.1:{proxy.port}")
    finally:
        proxy.close()
