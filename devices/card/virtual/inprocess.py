"""Virtual cards without pcscd: a `Transport` and a `CardBackend` in the same process.

The fast path of the tests and the baseline of the benchmark. Readers can be plugged,
unplugged, and cards inserted and removed, from any thread.
"""

from __future__ import annotations

import threading

from devices.card.errors import (
    CardRemovedError,
    NoCardError,
    NoReaderError,
    ReaderUnpluggedError,
)
from devices.card.virtual.card import CardGoneError, VirtualCard

DEFAULT_READER = "Madoguchi Virtual Reader 0"


class InProcessTransport:
    def __init__(
        self, card: VirtualCard, backend: VirtualBackend | None = None, reader: str = DEFAULT_READER
    ) -> None:
        self._card: VirtualCard | None = card
        self._backend = backend
        self._reader = reader
        card.power_on()

    def transmit(self, apdu: bytes) -> bytes:
        card = self._card
        if card is None:
            raise CardRemovedError()
        if self._backend is not None:
            self._backend.check(self._reader, card)
        try:
            return card.process(apdu)
        except CardGoneError:
            self._card = None
            raise CardRemovedError() from None

    def close(self) -> None:
        if self._card is not None:
            self._card.reset()
        self._card = None


class VirtualBackend:
    """Readers holding virtual cards; `readers`/`card_present`/`connect` like PC/SC."""

    def __init__(self, readers: dict[str, VirtualCard | None] | None = None) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, VirtualCard | None] = (
            dict(readers) if readers is not None else {DEFAULT_READER: None}
        )

    def plug(self, reader: str) -> None:
        with self._lock:
            self._slots.setdefault(reader, None)

    def unplug(self, reader: str) -> None:
        with self._lock:
            self._slots.pop(reader, None)

    def insert(self, card: VirtualCard, reader: str = DEFAULT_READER) -> None:
        with self._lock:
            if reader not in self._slots:
                raise NoReaderError(reader)
            self._slots[reader] = card

    def remove(self, reader: str = DEFAULT_READER) -> None:
        with self._lock:
            if reader in self._slots:
                self._slots[reader] = None

    def check(self, reader: str, card: VirtualCard) -> None:
        """Raise what a real reader would if `card` is no longer on `reader`."""
        with self._lock:
            if reader not in self._slots:
                raise ReaderUnpluggedError()
            if self._slots[reader] is not card:
                raise CardRemovedError()

    def readers(self) -> list[str]:
        with self._lock:
            return list(self._slots)

    def card_present(self) -> dict[str, bool]:
        with self._lock:
            return {r: c is not None and not c.gone for r, c in self._slots.items()}

    def connect(self, reader: str) -> InProcessTransport:
        with self._lock:
            if reader not in self._slots:
                raise NoReaderError(reader)
            card = self._slots[reader]
            if card is None or card.gone:
                raise NoCardError()
        return InProcessTransport(card, self, reader)

    def close(self) -> None:
        pass
