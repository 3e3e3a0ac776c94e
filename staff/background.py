"""The staff desktop's background lanes (`devices.lanes.Lanes`), delivered on the GUI thread.

The reception terminal has one lane for the person's back-office calls, one for the queue's
polling (a slow poll never holds up a click), one for the call board, one for reprints and one
for decoding QR images; the template editor has one for the back office and one for renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt, Signal

from devices.lanes import Lanes

OFFICE = "office"  # sign-in, record, status, identity, export, paper import, publishing
POLL = "poll"  # the queue, every ~2 s
BOARD = "board"  # the call board window
PRINT = "print"  # reprints
QR = "qr"  # decoding QR images
RENDER = "render"  # the editor's preview

RECEPTION_LANES = (OFFICE, POLL, BOARD, PRINT, QR)
EDITOR_LANES = (OFFICE, RENDER)


class _Delivery(QObject):
    """Created on the GUI thread; a lane emits `ready`, Qt runs the callback on the GUI thread."""

    ready = Signal(object)


def staff_lanes(lanes: Iterable[str], parent: QObject | None = None) -> Lanes:
    delivery = _Delivery(parent)
    delivery.ready.connect(_run, Qt.ConnectionType.QueuedConnection)
    return Lanes(lanes, lambda callback: _emit(delivery, callback))


def _run(callback: Callable[[], None]) -> None:
    callback()


def _emit(delivery: _Delivery, callback: Callable[[], None]) -> None:
    delivery.ready.emit(callback)
