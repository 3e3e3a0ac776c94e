"""The code points the required value fonts cover: the source of `forms/data/font_coverage.json`.

`forms.printable` refuses, at validation, a character no shipped font has; it reads the
coverage from its data file because `forms` may not import `printing`. This module computes
that coverage from the fonts `printing.fonts` embeds for values (IPAex明朝 and IPAmj明朝: the
required ones; the optional HanaMin fonts are left out, since an office may not have them).
`scripts/make_font_coverage.py` writes the file; tests/printing checks it still matches.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

from printing.errors import FontNotFound
from printing.fonts import IPAMJ, MINCHO, FontFile, find_font_file

COVERAGE_FONTS: tuple[FontFile, ...] = (MINCHO, IPAMJ)


def font_coverage() -> tuple[set[int], list[dict[str, Any]]]:
    """(code points any of the fonts maps, a description of each font for the data file)."""
    code_points: set[int] = set()
    described = []
    for spec in COVERAGE_FONTS:
        path = find_font_file(spec.file_name)
        if path is None:
            raise FontNotFound(spec.file_name, spec.package)
        face = TTFont(f"{spec.name}-coverage", str(path)).face
        mapped = set(face.charToGlyph)
        code_points |= mapped
        described.append(
            {"file": spec.file_name, "package": spec.package, "code_points": len(mapped)}
        )
    return code_points, described
