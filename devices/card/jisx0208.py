"""JIS X 0208 text as the driver's licence stores it: bare byte pairs, no escape sequences.

Pairs are mapped to Unicode the way Japanese Windows (cp932) and the My Number Card do, not
the way Python's `iso2022_jp` does: row 1 cell 61 becomes `－` (U+FF0D, as on the My Number
Card's addresses) rather than `−` (U+2212), `〜` U+FF5E rather than U+301C, and so on. Each
pair is range-checked (0x21..0x7E) and limited to JIS X 0208's rows before decoding, so
neither an escape byte nor a vendor extension gets through.
"""

from __future__ import annotations

from devices.card.errors import InvalidTextError

GETA = b"\x22\x2e"  # 〓: what the licence prints for a character outside JIS X 0208
_LAST_ROW = 0x74  # JIS X 0208 ends at row 84
_NEC_ROW = 0x2D  # row 13: NEC's special characters, not JIS X 0208


def _to_sjis(j1: int, j2: int) -> bytes:
    s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5E else 0xB0)
    odd_row = j1 & 1
    s2 = j2 + (0x1F if j2 <= 0x5F else 0x20) if odd_row else j2 + 0x7E
    return bytes([s1, s2])


def _from_sjis(s1: int, s2: int) -> tuple[int, int]:
    row = (s1 - (0x70 if s1 <= 0x9F else 0xB0)) * 2 - 1
    if s2 >= 0x9F:
        return row + 1, s2 - 0x7E
    return row, s2 - (0x20 if s2 >= 0x80 else 0x1F)


def decode(raw: bytes, field: str) -> str:
    if not raw or len(raw) % 2:
        raise InvalidTextError(field, "JIS X 0208")
    sjis = bytearray()
    for i in range(0, len(raw), 2):
        j1, j2 = raw[i], raw[i + 1]
        if not (0x21 <= j1 <= _LAST_ROW and 0x21 <= j2 <= 0x7E) or j1 == _NEC_ROW:
            raise InvalidTextError(field, "JIS X 0208")
        sjis += _to_sjis(j1, j2)
    try:
        return sjis.decode("cp932")
    except UnicodeDecodeError:
        raise InvalidTextError(field, "JIS X 0208") from None


def _pair(char: str) -> bytes:
    if char == " ":
        char = "\u3000"
    elif "!" <= char <= "~":
        char = chr(ord(char) + 0xFEE0)  # ASCII → full width, as printed on the licence
    try:
        encoded = char.encode("cp932")
    except UnicodeEncodeError:
        return GETA
    if len(encoded) != 2:
        return GETA
    j1, j2 = _from_sjis(*encoded)
    if not (0x21 <= j1 <= _LAST_ROW and 0x21 <= j2 <= 0x7E) or j1 == _NEC_ROW:
        return GETA  # an IBM or NEC extension (髙, 﨑): not in JIS X 0208
    return bytes([j1, j2])


def encode(text: str) -> bytes:
    """Text → JIS X 0208 pairs; characters outside the set become 〓 (for the virtual card)."""
    return b"".join(_pair(c) for c in text)
