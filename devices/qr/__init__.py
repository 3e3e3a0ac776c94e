"""QR code sources behind one interface: camera frames, serial scanners, keyboard wedges.

Each source is a `QrSource`: its producing side is fed (frames, serial bytes on its own
thread, key events) and every code read comes out of `read(timeout)` as the same `CodeRead`
event, de-duplicated within a window. No Qt here: the kiosk's camera and key filter feed
these plain-Python objects.
"""

from __future__ import annotations

from devices.qr.events import CodeRead, Deduplicator, QrSource
from devices.qr.frames import CASCADE, CameraSource, FoundCode, FrameReader
from devices.qr.serial_source import ScannerUnavailable, SerialScanner
from devices.qr.wedge import WedgeDetector, WedgeResult

__all__ = [
    "CASCADE",
    "CameraSource",
    "CodeRead",
    "Deduplicator",
    "FoundCode",
    "FrameReader",
    "QrSource",
    "ScannerUnavailable",
    "SerialScanner",
    "WedgeDetector",
    "WedgeResult",
]
