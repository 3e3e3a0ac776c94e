"""Services made after the welcome screen: the window shows first, the devices come next.

`DeferredServices` stands for `kiosk.ports.KioskServices` while it is not made yet: what the
window asks while it builds (a camera? a serial scanner?) is known at once, and the rest (the
card thread, the codec's keys, the outbox, the printer) is made on the first real use, or by
`get()` once the window is up (`madoguchi kiosk --demo` does that right after the first
paint: `madoguchi bench startup` counts only the window).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devices.qr import QrSource
    from kiosk.ports import KioskServices


class DeferredServices:
    def __init__(
        self,
        make: Callable[[], KioskServices],
        *,
        camera: bool = False,
        scanner: QrSource | None = None,
    ) -> None:
        self._make = make
        self._made: KioskServices | None = None
        self._lock = threading.Lock()
        self.camera = camera
        self.scanner = scanner

    def __repr__(self) -> str:
        return f"DeferredServices(made={self._made is not None})"

    def get(self) -> KioskServices:
        with self._lock:
            if self._made is None:
                self._made = self._make()
            return self._made

    @property
    def made(self) -> bool:
        return self._made is not None

    def __getattr__(self, name: str) -> Any:  # card, qr, confirmer, printer, desk
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)
