"""The two small interfaces between the card protocols and whatever carries the bytes.

`Transport` is one connected card: PC/SC through pcscd (`devices.card.pcsc`) or a virtual card
in-process (`devices.card.virtual.inprocess`). `CardBackend` is a family of readers: it lists
them, reports which hold a card, and connects. The protocols in `mynumber` and `licence` see
only a `Transport`, so the same reading code runs against pcscd and the in-process card.
"""

from __future__ import annotations

from typing import Protocol


class Transport(Protocol):
    def transmit(self, apdu: bytes) -> bytes:
        """Send one command APDU; return response data followed by SW1 SW2.

        Raises CardRemovedError, ReaderUnpluggedError or CardIOError.
        """
        ...

    def close(self) -> None:
        """Release the card (resetting it, so no verified state outlives the read)."""
        ...


class CardBackend(Protocol):
    def readers(self) -> list[str]:
        """Reader names; an empty list when there are none. Raises ReaderUnpluggedError only
        when the whole service is gone."""
        ...

    def card_present(self) -> dict[str, bool]:
        """Every current reader and whether a card sits on it."""
        ...

    def connect(self, reader: str) -> Transport:
        """Connect to the card on `reader`: NoReaderError, NoCardError, ReaderUnpluggedError."""
        ...

    def close(self) -> None: ...
