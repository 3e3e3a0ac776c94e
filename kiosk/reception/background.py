"""The terminal's background lanes: the kiosk's `Operations`, plus one lane for the person's
back-office calls, one for the queue's polling (a slow poll never holds up a click) and one for
the call board. Each lane is one thread; results come back on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject

from kiosk.operations import LANES, Operations

OFFICE = "office"  # sign-in, record, status, identity, export, paper import
POLL = "poll"  # the queue, every ~2 s
BOARD = "board"  # the call board window
PRINT = "print"  # reprints (from Operations)
QR = "qr"  # decoding QR images (from Operations)

RECEPTION_LANES = (OFFICE, POLL, BOARD)


class ReceptionOperations(Operations):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent, lanes=(*LANES, *RECEPTION_LANES))
