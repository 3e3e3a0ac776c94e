"""Which characters the shipped fonts can print, so validation refuses the others up front.

`printing` draws a form's values in IPAex明朝 with IPAmj明朝 behind it (Debian
`fonts-ipaexfont`, `fonts-ipamj-mincho`; see `printing.fonts`) and refuses a character that
neither has. `forms` may not import `printing`, so the fonts' coverage ships here as data,
`forms/data/font_coverage.json`: a bitmap of code points, zlib-compressed, base64. It is made
by `scripts/make_font_coverage.py` from the fonts themselves, and a test in tests/printing
checks that it still matches them.

What prints, as `printing.fonts.FontChain.shape` has it: a character the fonts cover that is
not a control character; line breaks and tabs; variation selectors (dropped when drawing, the
base character prints).
"""

from __future__ import annotations

import base64
import functools
import json
import re
import zlib
from importlib import resources
from typing import Any

COVERAGE_FILE = "font_coverage.json"
_WHITESPACE = frozenset("\n\r\t")


def is_variation_selector(ch: str) -> bool:
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def is_control(ch: str) -> bool:
    cp = ord(ch)
    return cp < 0x20 or 0x7F <= cp < 0xA0


def encode_coverage(code_points: set[int], fonts: list[dict[str, Any]]) -> dict[str, Any]:
    """The data file's content for `code_points` (used by the generating script and its test)."""
    bitmap = bytearray((max(code_points, default=0) >> 3) + 1)
    for cp in code_points:
        bitmap[cp >> 3] |= 1 << (cp & 7)
    return {
        "format": 1,
        "fonts": fonts,
        "code_points": len(code_points),
        "bitmap_zlib_base64": base64.b64encode(zlib.compress(bytes(bitmap), 9)).decode("ascii"),
    }


def decode_coverage(data: dict[str, Any]) -> bytes:
    """The bitmap (bit `cp & 7` of byte `cp >> 3`) from the data file's content."""
    if data.get("format") != 1:
        raise ValueError("unknown font coverage format")
    return zlib.decompress(base64.b64decode(data["bitmap_zlib_base64"]))


def covered_code_points(bitmap: bytes) -> set[int]:
    return {
        n * 8 + bit for n, byte in enumerate(bitmap) if byte for bit in range(8) if byte >> bit & 1
    }


@functools.cache
def coverage_data() -> dict[str, Any]:
    text = resources.files("forms").joinpath("data", COVERAGE_FILE).read_text("utf-8")
    return json.loads(text)


@functools.cache
def _bitmap() -> bytes:
    return decode_coverage(coverage_data())


def has_glyph(ch: str) -> bool:
    """Does a shipped font have `ch`?"""
    cp = ord(ch)
    bitmap = _bitmap()
    index = cp >> 3
    return index < len(bitmap) and bool(bitmap[index] >> (cp & 7) & 1)


def prints(ch: str) -> bool:
    """Would `ch` print (or be dropped harmlessly, as a variation selector is)?"""
    if ch in _WHITESPACE or is_variation_selector(ch):
        return True
    return not is_control(ch) and has_glyph(ch)


@functools.cache
def _suspects() -> re.Pattern[str]:
    """Any character that is not a known printable one of the BMP: one C-speed scan finds the
    few characters (𠮷 and the rest outside the BMP, and the unprintable) worth a closer look."""
    bmp = {cp for cp in covered_code_points(_bitmap()) if cp < 0x10000 and not is_control(chr(cp))}
    bmp.update(ord(c) for c in _WHITESPACE)
    bmp.update(range(0xFE00, 0xFE10))  # variation selectors of the BMP
    ranges: list[list[int]] = []
    for cp in sorted(bmp):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    known = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[^{known}]")


def first_unprintable(text: str) -> int | None:
    """The 1-based position of the first character that would not print, or None."""
    if text.isascii() and text.isprintable():
        return None  # the fonts cover printable ASCII (checked by the coverage test)
    suspects = _suspects()
    position = 0
    while (found := suspects.search(text, position)) is not None:
        index = found.start()
        if not prints(text[index]):
            return index + 1
        position = index + 1
    return None
