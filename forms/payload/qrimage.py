"""Payload digits as a numeric-mode QR code (PNG or SVG), and the version it needs."""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
import qrcode.exceptions
import qrcode.image.svg
import qrcode.util

from forms.payload.digits import is_ascii_digits
from forms.payload.errors import PayloadTooLong

ECC_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
MAX_NUMERIC_DIGITS_M = 5596  # version 40 at ECC M


def _build(digits: str, ecc: str, box_size: int = 10, border: int = 4) -> qrcode.QRCode:
    if not is_ascii_digits(digits):
        raise ValueError("a payload QR code holds decimal digits only")
    if ecc not in ECC_LEVELS:
        raise ValueError(f"ecc must be one of {', '.join(ECC_LEVELS)}")
    code = qrcode.QRCode(error_correction=ECC_LEVELS[ecc], box_size=box_size, border=border)
    numeric = qrcode.util.QRData(digits, mode=qrcode.util.MODE_NUMBER)  # type: ignore[call-overload]  # types-qrcode: MODE_NUMBER is an int, not Literal[1]
    code.add_data(numeric)
    try:
        code.make(fit=True)
    except qrcode.exceptions.DataOverflowError:
        raise PayloadTooLong(len(digits), MAX_NUMERIC_DIGITS_M) from None
    return code


def qr_version(digits: str, ecc: str = "M") -> int:
    """The smallest QR version holding `digits` in numeric mode at this error correction."""
    return int(_build(digits, ecc).version)


def qr_image(digits: str, *, svg: bool = False, ecc: str = "M", box_size: int = 10) -> bytes:
    """PNG bytes (or SVG text as UTF-8 bytes) of the payload's QR code, 4-module quiet zone."""
    code = _build(digits, ecc, box_size)
    out = io.BytesIO()
    if svg:
        code.make_image(image_factory=qrcode.image.svg.SvgPathImage).save(out)
    else:
        code.make_image(fill_color="black", back_color="white").save(out)
    return out.getvalue()
