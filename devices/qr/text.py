"""Turning a QR code's bytes into the text its maker meant.

With an ECI header the header says the character set (zxing-cpp applies it). Without one,
the QR standard's default is ISO-8859-1, but Japanese codes are written in Shift_JIS or, today,
mostly UTF-8 with no header at all. Valid UTF-8 almost never happens by accident in Shift_JIS
text, so UTF-8 is tried first, then Shift_JIS (Microsoft's cp932, which has the 髙/﨑 extensions
phones use), then ISO-8859-1, which accepts anything.
"""

from __future__ import annotations

from typing import Literal

GUESS_ORDER = ("utf-8", "cp932", "iso-8859-1")


def guess_text(data: bytes) -> str:
    for encoding in GUESS_ORDER:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("iso-8859-1 decodes every byte string")


Encoding = Literal["text", "hex"]


def _looks_like_text(text: str, *, private_use: bool = True) -> bool:
    """No NUL, no C1 control, no U+FFFD (and, unless allowed, no private-use character).

    Other control characters stay: TAB, CR/LF, and the separators GS/RS/FS/US and others that
    real formats (GS1, ISO/IEC 15434, prescriptions) put between fields are part of the text.
    What a text encoder never writes — NUL, C1 controls (ISO-8859-1's reading of stray high
    bytes), U+FFFD — marks bytes that are not text in that character set.
    """
    for char in text:
        point = ord(char)
        if point == 0 or 0x80 <= point <= 0x9F or point == 0xFFFD:
            return False
        if not private_use and 0xE000 <= point <= 0xF8FF:
            return False
    return True


def decode_content(data: bytes, declared: str | None = None) -> tuple[str, Encoding]:
    """The code's content exactly: (text, "text"), or (hex digits, "hex") for binary data.

    `declared` is the text in the character set an ECI header named (zxing-cpp applies it).
    Without one (or if that is not text) the bytes are read as UTF-8, else Shift_JIS (cp932),
    else ISO-8859-1 (the QR default); the first reading that looks like text is the text.
    cp932 reads stray bytes (0xA0, 0xFD–0xFF, its user-defined area) as private-use
    characters, so a cp932 reading with any is refused. Random binary data is shown as hex: a
    32-byte random string still passes as ISO-8859-1 about 1 % of the time.
    """
    if declared is not None and _looks_like_text(declared):
        return declared, "text"
    for encoding in GUESS_ORDER:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text, private_use=encoding != "cp932"):
            return text, "text"
    return data.hex(), "hex"
