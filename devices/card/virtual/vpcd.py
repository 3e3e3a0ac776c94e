"""A virtual card served to vsmartcard's vpcd, so pcscd sees it in "Virtual PCD 00 0x".

vpcd's framing: a 2-byte big-endian length, then the payload. A 1-byte payload is a control
code (0 power off, 1 power on, 2 reset, 4 send the ATR); anything longer is a command APDU,
answered with response data + SW. vpcd listens; the card connects (127.0.0.1:35963 is the
first reader). `TCP_QUICKACK` is set before every `recv`: without it delayed ACKs cost ~40 ms
per APDU.

Removing the card is closing the connection; inserting it is connecting again, but never
sooner than `min_absence` after the last disconnect: vpcd accepts a waiting connection at its
very next presence poll, so a card swapped in at once would look to pcscd as if the old card
had never left (its reader state then stays stale until the next real removal). pcscd polls
every 0.4 s; staying away 0.6 s lets it see every removal. Logs name events, never bytes.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time

from devices.card.virtual.card import CardGoneError, VirtualCard

log = logging.getLogger(__name__)

DEFAULT_PORT = 35963
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


def reader_name_for_port(port: int) -> str:
    """vpcd's reader name for a port (35963 → "Virtual PCD 00 00")."""
    return f"Virtual PCD 00 {port - DEFAULT_PORT:02d}"


class VpcdCard:
    """Serve `card` to vpcd on a background thread; `insert`/`remove` swap and pull it."""

    def __init__(
        self,
        card: VirtualCard | None,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        min_absence: float = 0.6,
    ) -> None:
        self.host = host
        self.port = port
        self.min_absence = min_absence
        self._left_at = -min_absence
        self._card = card
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._stopping = False
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        self.sessions = 0  # connections made to vpcd, for tests

    @property
    def reader_name(self) -> str:
        return reader_name_for_port(self.port)

    @property
    def card(self) -> VirtualCard | None:
        return self._card

    def start(self) -> VpcdCard:
        self._thread = threading.Thread(
            target=self._run, name=f"vpcd-card-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def insert(self, card: VirtualCard | None = None) -> None:
        """Put `card` (or the current one again) on the reader."""
        with self._lock:
            if card is not None:
                self._card = card
            self._disconnect_locked()
            self._wake.notify_all()

    def remove(self) -> None:
        with self._lock:
            self._card = None
            self._disconnect_locked()
            self._wake.notify_all()

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._stopping = True
            self._disconnect_locked()
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _disconnect_locked(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._stopping and (self._card is None or self._card.gone):
                    self._wake.wait(0.5)
                while not self._stopping:
                    away = time.monotonic() - self._left_at
                    if away >= self.min_absence:
                        break
                    self._wake.wait(self.min_absence - away)
                if self._stopping:
                    return
                card = self._card
                if card is None or card.gone:
                    continue
            try:
                sock = socket.create_connection((self.host, self.port), timeout=2.0)
            except OSError as exc:
                log.debug(
                    "vpcd on port %d not reachable (%s); retrying", self.port, type(exc).__name__
                )
                with self._lock:
                    self._wake.wait(0.2)
                continue
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._stopping or self._card is not card:
                    sock.close()
                    continue
                self._sock = sock
            self.sessions += 1
            self.connected.set()
            log.debug("virtual card connected to vpcd port %d", self.port)
            try:
                self._serve(sock, card)
            except OSError:
                pass
            finally:
                with self._lock:
                    self._sock = None
                    self._left_at = time.monotonic()
                self.connected.clear()
                sock.close()
                log.debug("virtual card disconnected from vpcd port %d", self.port)

    def _recv_exact(self, sock: socket.socket, size: int) -> bytes | None:
        buffer = bytearray()
        while len(buffer) < size:
            if _QUICKACK is not None:
                sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
            chunk = sock.recv(size - len(buffer))
            if not chunk:
                return None
            buffer.extend(chunk)
        return bytes(buffer)

    def _serve(self, sock: socket.socket, card: VirtualCard) -> None:
        while True:
            header = self._recv_exact(sock, 2)
            if header is None:
                return
            size = int.from_bytes(header, "big")
            payload = self._recv_exact(sock, size) if size else b""
            if payload is None:
                return
            if len(payload) == 1:
                code = payload[0]
                if code == 0:
                    card.power_off()
                elif code == 1:
                    card.power_on()
                elif code == 2:
                    card.reset()
                elif code == 4:
                    sock.sendall(len(card.atr).to_bytes(2, "big") + card.atr)
                continue
            try:
                response = card.process(payload)
            except CardGoneError:
                return  # the card left the field: close the connection
            sock.sendall(len(response).to_bytes(2, "big") + response)
