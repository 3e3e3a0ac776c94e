"""A small fault-injecting TCP proxy between the kiosk's client and the back office.

Each accepted connection gets one `Fault` from the proxy's policy (a script, or a seeded
random choice). Faults act on the byte stream, so they hit whatever HTTP goes through:

- PASS: forward the request and the response.
- DELAY: wait `delay` seconds before forwarding the request and again before the response.
- CUT: read the request, then close without forwarding it (nothing reaches the server).
- RESET: abort the connection with a TCP RST as soon as it is accepted.
- TRUNCATE: forward the request, then send only the first half of the response and close.
- DROP_RESPONSE: forward the request, read the whole response (the server has committed by
  then), and close without sending any of it: the ambiguous window.
- ERROR_500: answer a canned `500 Internal Server Error` without contacting the server.
- SLOW: forward the request, hold the response for `slow` seconds (past the client's timeout),
  then forward it.

The proxy serves one request per connection (its answers say `Connection: close`), so a
client with keep-alive still meets a fresh fault on every request. Every connection's fault
is counted in `stats`. All threads are daemons and `close()` joins
them with a timeout.

`poison`: a request whose bytes contain it is answered with the canned 500 whatever the
connection's fault (a server that fails on one specific record); counted as `poisoned`.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from enum import StrEnum


class Fault(StrEnum):
    PASS = "pass"
    DELAY = "delay"
    CUT = "cut"
    RESET = "reset"
    TRUNCATE = "truncate"
    DROP_RESPONSE = "drop_response"
    ERROR_500 = "error_500"
    SLOW = "slow"


CANNED_500 = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
    b"Content-Length: 61\r\nConnection: close\r\n\r\n"
    b'{"code":"internal","ja":"\\u969c\\u5bb3","en":"injected fault"}'
)
assert len(CANNED_500.split(b"\r\n\r\n", 1)[1]) == 61

_CHUNK = 65536


def _read_request(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """Read one HTTP request's head and Content-Length body (enough for our clients)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(_CHUNK)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(_CHUNK)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _read_response(sock: socket.socket) -> bytes:
    """Read one HTTP response (Content-Length framed) and mark it `Connection: close`."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(_CHUNK)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = None
    kept = [lines[0]]
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        if name.strip().lower() != b"connection":
            kept.append(line)
    while length is None or len(body) < length:
        chunk = sock.recv(_CHUNK)
        if not chunk:
            break
        body += chunk
    kept.append(b"Connection: close")
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


def _abort(sock: socket.socket) -> None:
    """Close with RST rather than FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    def __init__(
        self,
        upstream: tuple[str, int],
        policy: Callable[[], Fault] | None = None,
        *,
        delay: float = 0.2,
        slow: float = 2.0,
        poison: bytes | None = None,
    ) -> None:
        self.upstream = upstream
        self.poison = poison
        self.poisoned = 0
        self.policy = policy or (lambda: Fault.PASS)
        self.delay = delay
        self.slow = slow
        self.stats: Counter[Fault] = Counter()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._acceptor = threading.Thread(target=self._accept_loop, name="faultproxy", daemon=True)
        self._acceptor.start()

    # --- policies ---------------------------------------------------------------------------

    @staticmethod
    def scripted(*faults: Fault) -> Callable[[], Fault]:
        """These faults for the first connections, then PASS."""
        queue = list(faults)
        lock = threading.Lock()

        def choose() -> Fault:
            with lock:
                return queue.pop(0) if queue else Fault.PASS

        return choose

    @staticmethod
    def random(seed: int, weights: dict[Fault, float]) -> Callable[[], Fault]:
        rng = random.Random(seed)
        lock = threading.Lock()
        kinds, ws = list(weights), list(weights.values())

        def choose() -> Fault:
            with lock:
                return rng.choices(kinds, ws)[0]

        return choose

    # --- running ----------------------------------------------------------------------------

    def close(self) -> None:
        self._closing.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.close()
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            fault = self.policy()
            with self._lock:
                self.stats[fault] += 1
                self._sockets.add(client)
                thread = threading.Thread(
                    target=self._serve,
                    args=(client, fault),
                    name=f"faultproxy-{fault}",
                    daemon=True,
                )
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
            thread.start()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _serve(self, client: socket.socket, fault: Fault) -> None:
        """One request per connection: the answer says `Connection: close`."""
        upstream: socket.socket | None = None
        try:
            if fault == Fault.RESET:
                _abort(client)
                return
            request = _read_request(client)
            if not request:
                return
            if fault == Fault.CUT:
                return
            if self.poison is not None and self.poison in request:
                with self._lock:
                    self.poisoned += 1
                client.sendall(CANNED_500)
                return
            if fault == Fault.ERROR_500:
                client.sendall(CANNED_500)
                return
            if fault == Fault.DELAY:
                time.sleep(self.delay)
            upstream = socket.create_connection(self.upstream, timeout=30)
            self._track(upstream)
            upstream.sendall(request)
            response = _read_response(upstream)  # the server has answered: it has committed
            if fault == Fault.DROP_RESPONSE or not response:
                _abort(client)
                return
            if fault == Fault.TRUNCATE:
                client.sendall(response[: max(1, len(response) // 2)])
                return
            if fault in (Fault.DELAY, Fault.SLOW):
                time.sleep(self.delay if fault == Fault.DELAY else self.slow)
            client.sendall(response)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.close()
                    with self._lock:
                        self._sockets.discard(sock)
