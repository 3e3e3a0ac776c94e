"""Noto Sans CJK for reportlab: Debian ships it as CFF (PostScript) outlines in a `.ttc`,
and reportlab embeds TrueType outlines only ("postscript outlines are not supported").

For each document we cut the face down to the characters the page uses (fontTools'
subsetter, keeping the OpenType layout tables) and convert those few glyphs' cubic outlines
to quadratic TrueType ones (`cu2qu`, within 1 font unit). For a summary page that is well
under a second, and the PDF still embeds (a subset of) Noto Sans CJK under its own name.
"""

from __future__ import annotations

import io
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERROR = 1.0  # font units: invisible at any print size


def truetype_subset(path: Path, font_number: int, text: str) -> bytes:
    """TrueType-outlined bytes of face `font_number` of `path`, holding `text`'s glyphs."""
    font = TTFont(str(path), fontNumber=font_number, lazy=True)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + " ")
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_glyf(font: TTFont) -> None:
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"
