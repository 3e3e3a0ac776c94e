"""The kiosk's background lanes: `devices.lanes.Lanes` delivering onto the Qt GUI thread.

One lane per device family (card, QR, printer, speech) and one for the confirm step's disk work;
results come back through a queued signal, so callbacks always run on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt, Signal

from devices.lanes import Lanes

LANES = ("card", "qr", "print", "confirm", "desk", "speech")


class _Relay(QObject):
    queued = Signal(object)


def _call(callback: Callable[[], None]) -> None:
    callback()


def gui_lanes(parent: QObject | None = None, *, lanes: Iterable[str] = LANES) -> Lanes:
    """Lanes whose outcomes run on the GUI thread (the relay lives there; the lanes emit)."""
    relay = _Relay(parent)
    relay.queued.connect(_call, Qt.ConnectionType.QueuedConnection)

    def deliver(callback: Callable[[], None]) -> None:  # the closure keeps the relay alive
        relay.queued.emit(callback)

    return Lanes(lanes, deliver)
