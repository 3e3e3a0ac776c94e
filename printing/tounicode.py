"""Patch for reportlab's ToUnicode CMap: code points outside the BMP as UTF-16 surrogate pairs.

reportlab (5.1 and earlier) writes each subset entry of a TrueType font's ToUnicode map as
`<%02X> <%04X>`, so 𠮷 (U+20BB7) becomes `<20BB7>`. The PDF spec wants the destination as
UTF-16BE, i.e. the surrogate pair `<D842DFB7>`; readers take `<20BB7>` as U+20BB plus junk, and
`pdftotext` returns the wrong character. The glyph itself prints correctly: only copy, search
and our own text checks are affected.

We wrap reportlab's `makeToUnicodeCMap` (looked up as a module global when a font subset is
written), let it build the map, then rewrite just the lines of non-BMP entries. Applied once,
at import of `printing.fonts`; idempotent; a no-op if reportlab ever fixes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from reportlab.pdfbase import ttfonts

_MARK = "_madoguchi_non_bmp_fix"


def utf16_hex(code_point: int) -> str:
    """`0x20BB7` → `D842DFB7`; BMP code points stay four hex digits."""
    return chr(code_point).encode("utf-16-be").hex().upper()


class ToUnicodeCMap(Protocol):
    """reportlab's `ttfonts.makeToUnicodeCMap`, as it calls it."""

    def __call__(self, fontname: str, subset: Sequence[int]) -> str: ...


def _fixed(original: ToUnicodeCMap) -> ToUnicodeCMap:
    def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
        cmap = original(fontname, subset)
        if all(v <= 0xFFFF for v in subset):
            return cmap
        lines = cmap.split("\n")
        for index, value in enumerate(subset):
            if value > 0xFFFF:
                wrong = f"<{index:02X}> <{value:04X}>"
                right = f"<{index:02X}> <{utf16_hex(value)}>"
                lines = [right if line == wrong else line for line in lines]
        return "\n".join(lines)

    setattr(make_to_unicode_cmap, _MARK, True)
    return make_to_unicode_cmap


def apply() -> None:
    """Install the fix (idempotent)."""
    current = ttfonts.makeToUnicodeCMap
    if not getattr(current, _MARK, False):
        ttfonts.makeToUnicodeCMap = _fixed(current)
