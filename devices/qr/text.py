"""Turning a QR code's bytes into the text its maker meant.

With an ECI header the header says the character set (zxing-cpp applies it). Without one,
the QR standard's default is ISO-8859-1, but Japanese codes are written in Shift_JIS or, today,
mostly UTF-8 with no header at all. Valid UTF-8 almost never happens by accident in Shift_JIS
text, so UTF-8 is tried first, then Shift_JIS (Microsoft's cp932, which has the 髙/﨑 extensions
phones use), then ISO-8859-1, which accepts anything.
"""

from __future__ import annotations

GUESS_ORDER = ("utf-8", "cp932", "iso-8859-1")


def guess_text(data: bytes) -> str:
    for encoding in GUESS_ORDER:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("iso-8859-1 decodes every byte string")
