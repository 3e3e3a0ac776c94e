"""Bytes as decimal digits in fixed chunks, so the QR code uses numeric mode.

Every 7 bytes (big-endian) become exactly 17 digits, zero-padded; a final chunk of k < 7 bytes
becomes DIGITS_FOR[k] digits. 17 digits per 7 bytes is 2.43 digits a byte, within 1 % of the
ideal 2.408, and numeric mode packs 3 digits in 10 bits, so this costs about as much QR space
as byte mode while every reader (camera, serial, keyboard wedge on any layout) keeps it intact.
"""

from __future__ import annotations

CHUNK_BYTES = 7
CHUNK_DIGITS = 17
# digits needed for the largest k-byte number: len(str(256**k - 1))
DIGITS_FOR = {k: len(str(256**k - 1)) for k in range(1, CHUNK_BYTES + 1)}
BYTES_FOR = {d: k for k, d in DIGITS_FOR.items()}


class DigitsError(ValueError):
    """Raised by `from_digits`; `kind` is "digits" (a bad character or value) or "length"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def digit_count(byte_count: int) -> int:
    full, rest = divmod(byte_count, CHUNK_BYTES)
    return full * CHUNK_DIGITS + (DIGITS_FOR[rest] if rest else 0)


def byte_count(digit_count_: int) -> int | None:
    """How many bytes a digit string of this length holds, or None if no count maps to it."""
    full, rest = divmod(digit_count_, CHUNK_DIGITS)
    if rest == 0:
        return full * CHUNK_BYTES
    k = BYTES_FOR.get(rest)
    return None if k is None else full * CHUNK_BYTES + k


def is_ascii_digits(text: str) -> bool:
    # str.isdigit alone accepts "²" and "٣": only ASCII 0–9 are ours.
    return text.isascii() and text.isdigit()


def to_digits(data: bytes) -> str:
    out = []
    for start in range(0, len(data), CHUNK_BYTES):
        chunk = data[start : start + CHUNK_BYTES]
        out.append(str(int.from_bytes(chunk, "big")).zfill(DIGITS_FOR[len(chunk)]))
    return "".join(out)


def from_digits(text: str) -> bytes:
    if text and not is_ascii_digits(text):
        raise DigitsError("digits")
    if byte_count(len(text)) is None:
        raise DigitsError("length")
    out = bytearray()
    for start in range(0, len(text), CHUNK_DIGITS):
        chunk = text[start : start + CHUNK_DIGITS]
        size = BYTES_FOR[len(chunk)]
        value = int(chunk)
        if value >= 256**size:
            raise DigitsError("digits")
        out += value.to_bytes(size, "big")
    return bytes(out)
