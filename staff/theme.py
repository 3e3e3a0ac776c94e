"""The staff desktop's font: a family that draws Japanese, on any office PC.

Qt's font database is asked first; without a CJK family, IPAexGothic is registered from the
file that printing already knows how to find (`printing.fonts`), so what staff see on screen
and what prints are the same Japanese glyphs.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from printing.fonts import GOTHIC, find_font_file

DESKTOP_FAMILIES = ("Noto Sans CJK JP", "IPAexGothic", "IPAexゴシック", "BIZ UDGothic")
DESKTOP_POINT_SIZE = 11


def desktop_font() -> QFont:
    installed = set(QFontDatabase.families())
    family = next((f for f in DESKTOP_FAMILIES if f in installed), "")
    path = None if family else find_font_file(GOTHIC.file_name)
    if path is not None:
        registered = QFontDatabase.applicationFontFamilies(
            QFontDatabase.addApplicationFont(str(path))
        )
        family = registered[0] if registered else ""
    return QFont(family or QFont().family(), DESKTOP_POINT_SIZE)
