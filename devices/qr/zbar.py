"""zbar through pyzbar's ctypes wrapper, with the raw (binary) mode pyzbar does not expose.

Without ZBAR_CFG_BINARY zbar guesses the character set of byte-mode QR codes (Shift_JIS
first) and garbles UTF-8 Japanese; with it, the symbol's data is the raw bytes (zbar ≥ 0.23.1).
"""

from __future__ import annotations

import ctypes
from types import TracebackType

import numpy as np
from pyzbar import wrapper
from pyzbar.pyzbar import ZBarSymbol

ZBAR_CFG_ENABLE = 0
ZBAR_CFG_BINARY = 4  # zbar.h: enum zbar_config_e; absent from pyzbar 0.1.9's ZBarConfig
ZBAR_NONE = 0
_Y800 = int.from_bytes(b"Y800", "little")


class ZbarQrReader:
    """A reusable zbar scanner for QR codes only, in binary mode. Not thread-safe: one per thread."""

    def __init__(self) -> None:
        self._scanner = wrapper.zbar_image_scanner_create()
        wrapper.zbar_image_scanner_set_config(self._scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        wrapper.zbar_image_scanner_set_config(self._scanner, ZBarSymbol.QRCODE, ZBAR_CFG_ENABLE, 1)
        wrapper.zbar_image_scanner_set_config(self._scanner, ZBarSymbol.QRCODE, ZBAR_CFG_BINARY, 1)

    def read(self, gray: np.ndarray) -> list[bytes]:
        """Raw bytes of every QR code in an 8-bit grayscale image (H×W)."""
        if self._scanner is None:
            raise RuntimeError("reader closed")
        pixels = np.ascontiguousarray(gray, dtype=np.uint8)
        height, width = pixels.shape
        image = wrapper.zbar_image_create()
        try:
            wrapper.zbar_image_set_format(image, _Y800)
            wrapper.zbar_image_set_size(image, width, height)
            buffer = pixels.tobytes()
            wrapper.zbar_image_set_data(
                image,
                ctypes.cast(buffer, ctypes.c_void_p),  # type: ignore[arg-type]  # ctypes takes bytes; typeshed leaves it out
                len(buffer),
                None,
            )
            try:
                found = wrapper.zbar_scan_image(self._scanner, image)
            except ValueError:  # pyzbar issue #139: an orientation value its enum lacks
                return []
            if found <= 0:
                return []
            out = []
            symbol = wrapper.zbar_image_first_symbol(image)
            while symbol:
                length = wrapper.zbar_symbol_get_data_length(symbol)
                out.append(ctypes.string_at(wrapper.zbar_symbol_get_data(symbol), length))
                symbol = wrapper.zbar_symbol_next(symbol)
            return out
        finally:
            wrapper.zbar_image_destroy(image)

    def close(self) -> None:
        if self._scanner is not None:
            wrapper.zbar_image_scanner_destroy(self._scanner)
            self._scanner = None

    def __enter__(self) -> ZbarQrReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()
