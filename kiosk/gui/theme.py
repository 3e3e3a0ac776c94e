"""Look of the kiosk: large type for a touch screen, a bigger-text toggle, high contrast.

Applied to one window (never to the QApplication), so several windows can differ and no
global state is involved. Japanese text needs a font that has it: IPAexGothic
(fonts-ipaexfont) is loaded from its Debian path when Qt's font database lacks a CJK family.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QWidget

BASE_POINT_SIZE = 18
BIGGER_POINT_SIZE = 24
SECOND_LINE_SCALE = 0.72  # the second language's line: 18 pt → 13 pt, 24 pt → 17 pt
FONT_FILES = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)
PREFERRED_FAMILIES = ("IPAexGothic", "IPAexゴシック", "Noto Sans CJK JP", "BIZ UDGothic")


@dataclass
class Theme:
    bigger_text: bool = False
    high_contrast: bool = False

    @property
    def point_size(self) -> int:
        return BIGGER_POINT_SIZE if self.bigger_text else BASE_POINT_SIZE


def japanese_family() -> str:
    """A family that can draw Japanese, loading IPAexGothic from disk if needed."""
    families = set(QFontDatabase.families())
    for family in PREFERRED_FAMILIES:
        if family in families:
            return family
    for path in FONT_FILES:
        if path.exists():
            font_id = QFontDatabase.addApplicationFont(str(path))
            loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if loaded:
                return loaded[0]
    return QFont().family()


def stylesheet(theme: Theme, family: str = "") -> str:
    size = theme.point_size
    # The family is in the sheet too: widgets that match a styled rule would otherwise fall
    # back to the platform's default family (a Mincho under X11) instead of the window font.
    family_rule = f'font-family: "{family}";' if family else ""
    if theme.high_contrast:
        colors = """
        QWidget { background: #000000; color: #FFFFFF; }
        QPushButton, QToolButton { background: #000000; color: #FFFF00; border: 3px solid #FFFF00; }
        QPushButton:focus, QToolButton:focus, QLineEdit:focus { border: 4px solid #00FFFF; }
        QPushButton:checked { background: #FFFF00; color: #000000; }
        QLineEdit, QComboBox, QTextEdit { background: #000000; color: #FFFFFF; border: 2px solid #FFFFFF; }
        QLabel[role="error"] { color: #FF8080; }
        QLabel[role="flag"] { color: #FFFF00; }
        QLabel[role="countdown"] { background: #FFFF00; color: #000000; }
        QPushButton QLabel { background: transparent; color: #FFFF00; }
        QPushButton[checked="true"] QLabel { color: #000000; }
        QPushButton QLabel:disabled { color: #9A9A50; }
        """
    else:
        colors = """
        QWidget { background: #FAFAF7; color: #1A1A1A; }
        QPushButton, QToolButton { background: #1F5FAD; color: #FFFFFF; border-radius: 10px; }
        QPushButton:disabled { background: #9DB3CF; }
        QPushButton:focus, QToolButton:focus { border: 4px solid #F0A500; }
        QPushButton[role="secondary"] { background: #E4E8EE; color: #1A1A1A; }
        QPushButton:checked { background: #0B3C75; }
        QLineEdit, QComboBox { background: #FFFFFF; border: 2px solid #7A8794; border-radius: 6px; }
        QLineEdit:focus { border: 3px solid #1F5FAD; }
        QLineEdit[invalid="true"] { border: 3px solid #C62828; }
        QLabel[role="error"] { color: #C62828; }
        QLabel[role="flag"] { color: #8A5A00; }
        QLabel[role="countdown"] { background: #FFF3C4; color: #5A3D00; }
        QLabel[role="hint"] { color: #4A5560; }
        QPushButton QLabel { background: transparent; color: #FFFFFF; }
        QPushButton[role="secondary"] QLabel { color: #1A1A1A; }
        QPushButton[role="secondary"] QLabel:disabled { color: #8A929C; }
        QPushButton[checked="true"] QLabel { color: #FFFFFF; }
        """
    second = round(size * SECOND_LINE_SCALE)
    return (
        colors
        + f"""
        QWidget {{ font-size: {size}pt; {family_rule} }}
        QLabel[role="title"] {{ font-size: {size + 8}pt; font-weight: bold; }}
        QLabel[role="number"] {{ font-size: {size + 30}pt; font-weight: bold; }}
        QPushButton, QToolButton {{ min-height: {size * 3}px; padding: 6px 18px; }}
        QLineEdit, QComboBox {{ min-height: {size * 2 + 8}px; padding: 2px 8px; }}
        QCheckBox::indicator {{ width: {size * 2}px; height: {size * 2}px; }}
        QLabel[role="hint"] {{ font-size: {size - 2}pt; }}
        QLabel[lang="second"] {{ font-size: {second}pt; }}
        QLabel[role="title"][lang="second"] {{ font-size: {size}pt; font-weight: normal; }}
        QPushButton[role="choice"] {{ min-height: {size * 2 + 12}px; padding: 2px 12px; }}
        QPushButton[key="true"] {{ min-height: {size * 2 + 16}px; padding: 2px 6px; }}
        QPushButton[key="kana"] {{ min-height: {max(44, size * 2)}px; padding: 0px 4px; }}
        """
    )


def apply_theme(window: QWidget, theme: Theme) -> None:
    family = japanese_family()
    font = QFont(family)
    font.setPointSize(theme.point_size)
    window.setFont(font)
    window.setStyleSheet(stylesheet(theme, family))
