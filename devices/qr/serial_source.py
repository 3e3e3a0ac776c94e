"""USB-COM (serial) QR scanners through pyserial: one code per line (CR, LF or CR LF).

A reader thread owns the port; `read(timeout)` hands out the codes. Scanners deliver raw bytes,
so a line is decoded like a QR code's bytes (UTF-8, else Shift_JIS, else ISO-8859-1).
"""

from __future__ import annotations

import threading
import time

import serial

from devices.qr.events import QrSource
from devices.qr.text import guess_text
from forms.errors import MadoguchiError

MAX_LINE_BYTES = 16 * 1024  # a version-40 code holds 7,089 digits; anything longer is noise


class ScannerUnavailable(MadoguchiError):
    code = "qr_scanner_unavailable"
    exit_code = 2

    def __init__(self, port: str) -> None:
        super().__init__(
            f"QR コードスキャナー（{port}）を開けません", f"cannot open the QR scanner at {port}"
        )
        self.port = port


class SerialScanner(QrSource):
    kind = "serial"

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        dedupe_window: float = 3.0,
        poll_interval: float = 0.1,
    ) -> None:
        super().__init__(dedupe_window)
        self.port = port
        try:
            self._serial = serial.Serial(port, baudrate=baudrate, timeout=poll_interval)
        except (serial.SerialException, OSError):
            raise ScannerUnavailable(port) from None
        self.failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"qr-serial {port}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pending = bytearray()
        try:
            while not self.closed:
                chunk = self._serial.read(max(1, self._serial.in_waiting))
                if not chunk:
                    continue
                pending += chunk
                while True:
                    cut = min(
                        (i for i in (pending.find(b"\r"), pending.find(b"\n")) if i >= 0),
                        default=-1,
                    )
                    if cut < 0:
                        break
                    line, pending = bytes(pending[:cut]), pending[cut + 1 :]
                    if line:
                        self._emit(guess_text(line), time.monotonic())
                if len(pending) > MAX_LINE_BYTES:
                    pending.clear()  # no terminator in sight: a misconfigured scanner
        except (serial.SerialException, OSError) as exc:  # unplugged
            if not self.closed:
                self.failed = exc
                self.close()

    def close(self, timeout: float = 2.0) -> None:
        super().close()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        self._serial.close()
