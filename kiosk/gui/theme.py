"""Look of the kiosk: large type for a touch screen, a bigger-text mode, high contrast.

Sizes are pixels, not points, so a kiosk screen of any density shows what the norms ask
(`/work/shared/reference/people.md`): body text at least 24 px (32 px in the bigger mode),
touch targets at least 60 px tall, list rows included. The second language's line is 4 px
smaller than the lead, never under those floors. Colours keep every text at 4.5:1 or more
against its background, disabled states included (7:1 in high contrast); the key colours of
public terminals mark the main buttons: green goes on (次へ), red stops (中止), yellow calls
for help (職員を呼ぶ).

Applied to one window (never to the QApplication), so several windows can differ and no
global state is involved. Japanese text needs a font that has it: IPAexGothic
(fonts-ipaexfont) is loaded from its Debian path when Qt's font database lacks a CJK family.

Each language draws in a face made for its script (`LANGUAGE_FAMILIES`): Chinese (simplified)
in Noto Sans CJK SC and Korean in Noto Sans CJK KR (`fonts-noto-cjk`), since a Japanese face
draws Han characters in their Japanese shapes and has no Hangul. The window's font and the
sheet's `QWidget` rule follow the language (`apply_theme(window, theme, language)` on every
switch); what stays Japanese keeps the Japanese face whatever the language: the second line
(`lang="second"`, and the second language's span of an `InlineBiLabel`), the resident's data
and the form's values (`data="true"`, the fields), i.e. what the legal form prints. A label
whose text is in one language of its own (a language's name on the chooser) says which with
its `script` property.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QWidget

BODY_PX = 28
BIGGER_BODY_PX = 36
SECOND_LINE_DROP_PX = 4  # the second language: 28 → 24 px, 36 → 32 px
MIN_BODY_PX = 24
MIN_BIGGER_BODY_PX = 32
TOUCH_PX = 64  # buttons, fields, list rows (≥ 60)
BIGGER_TOUCH_PX = 76
MIN_TOUCH_PX = 60
FONT_FILES = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)
PREFERRED_FAMILIES = ("IPAexGothic", "IPAexゴシック", "Noto Sans CJK JP", "BIZ UDGothic")
NOTO_CJK_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
)
# The languages whose script a Japanese face draws wrongly (Han in Japanese shapes) or not at
# all (Hangul): their own faces, best first. Every other language draws in the Japanese face
# (its Latin has Vietnamese diacritics; Devanagari comes from fontconfig's fallback).
LANGUAGE_FAMILIES: dict[str, tuple[str, ...]] = {
    "zh-Hans": ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC"),
    "ko": ("Noto Sans CJK KR", "Source Han Sans KR", "Noto Sans KR"),
}


@dataclass
class Theme:
    bigger_text: bool = False
    high_contrast: bool = False
    furigana: bool = False  # ruby over the kanji of headings and labels

    @property
    def body_px(self) -> int:
        return BIGGER_BODY_PX if self.bigger_text else BODY_PX

    @property
    def second_px(self) -> int:
        return self.body_px - SECOND_LINE_DROP_PX

    @property
    def touch_px(self) -> int:
        return BIGGER_TOUCH_PX if self.bigger_text else TOUCH_PX

    @property
    def min_text_px(self) -> int:
        return MIN_BIGGER_BODY_PX if self.bigger_text else MIN_BODY_PX

    @property
    def min_contrast(self) -> float:
        return 7.0 if self.high_contrast else 4.5


def second_px_for(lead_px: int) -> int:
    return lead_px - SECOND_LINE_DROP_PX


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


def family_for(language: str) -> str:
    """The family the kiosk draws `language` in: its own face (`LANGUAGE_FAMILIES`), loading
    Noto Sans CJK from its Debian path if Qt's database lacks it; the Japanese face otherwise."""
    wanted = LANGUAGE_FAMILIES.get(language)
    if not wanted:
        return japanese_family()
    for attempt in range(2):
        families = set(QFontDatabase.families())
        for family in wanted:
            if family in families:
                return family
        if attempt == 0:
            for path in NOTO_CJK_FILES:
                if path.exists():
                    QFontDatabase.addApplicationFont(str(path))
    return japanese_family()


LIGHT = """
QWidget { background: #FAFAF7; color: #1A1A1A; }
QPushButton, QToolButton { background: #1F5FAD; color: #FFFFFF; border: 2px solid #1F5FAD; border-radius: 10px; }
QPushButton:focus, QToolButton:focus { border: 4px solid #F0A500; }
QPushButton:disabled { background: #D3D9E1; border: 2px dashed #3B4450; }
QPushButton[role="secondary"] { background: #E4E8EE; color: #1A1A1A; border: 2px solid #7A8794; }
QPushButton[role="secondary"]:disabled { color: #3B4450; }
QPushButton[role="go"] { background: #1B6B2E; border-color: #1B6B2E; }
QPushButton[role="stop"] { background: #B3261E; border-color: #B3261E; }
QPushButton[role="help"] { background: #FFE08A; border: 3px solid #7A4F00; }
QPushButton[role="choice"], QPushButton[role="option"] { background: #FFFFFF; border: 2px solid #7A8794; }
QPushButton:checked, QPushButton[role="option"]:checked, QPushButton[role="choice"]:checked { background: #0B3C75; border: 2px solid #0B3C75; }
QPushButton[role="corner"], QPushButton[role="corner"]:focus { background: transparent; border: none; }
QLineEdit, QComboBox, QListWidget { background: #FFFFFF; border: 2px solid #5F6B76; border-radius: 6px; placeholder-text-color: #5F6B76; }
QLineEdit:focus, QListWidget:focus { border: 4px solid #1F5FAD; }
QLineEdit[invalid="true"] { border: 4px solid #B3261E; }
QListWidget::item { color: #1A1A1A; border-bottom: 1px solid #C9D0D8; }
QListWidget::item:selected { background: #0B3C75; color: #FFFFFF; }
QLabel[role="error"] { color: #B3261E; }
QLabel[role="flag"] { color: #7A4F00; }
QLabel[role="countdown"] { background: #FFF3C4; color: #5A3D00; }
QLabel[role="hint"], QLabel[role="progress"] { color: #4A5560; }
QLabel[role="explain"] { background: #EEF3FA; color: #1A1A1A; }
QLabel[role="source"] { background: #E8F0E0; color: #1A1A1A; }
QLabel[role="notice"] { background: #FFF3C4; color: #3D2B00; }
QWidget[role="section"] { background: #FFFFFF; }
QWidget[role="section"] QLabel { background: #FFFFFF; }
QPushButton QLabel { background: transparent; color: #FFFFFF; }
QPushButton[role="secondary"] QLabel, QPushButton[role="choice"] QLabel, QPushButton[role="option"] QLabel { color: #1A1A1A; }
QPushButton[role="help"] QLabel { color: #3D2B00; }
QPushButton[checked="true"] QLabel { color: #FFFFFF; }
QPushButton QLabel:disabled, QPushButton[role="secondary"] QLabel:disabled { color: #3B4450; }
QPushButton[role="go"]:disabled, QPushButton[role="stop"]:disabled, QPushButton[role="help"]:disabled, QPushButton[role="secondary"]:disabled, QPushButton[role="option"]:disabled, QPushButton[role="choice"]:disabled { background: #D3D9E1; border: 2px dashed #3B4450; }
QPushButton[role="go"] QLabel:disabled, QPushButton[role="stop"] QLabel:disabled, QPushButton[role="help"] QLabel:disabled { color: #3B4450; }
QCheckBox { background: transparent; }
"""

HIGH_CONTRAST = """
QWidget { background: #000000; color: #FFFFFF; }
QPushButton, QToolButton { background: #000000; color: #FFFF00; border: 3px solid #FFFF00; border-radius: 10px; }
QPushButton:focus, QToolButton:focus, QLineEdit:focus, QListWidget:focus { border: 5px solid #00FFFF; }
QPushButton:disabled { border: 3px dashed #C0C0C0; }
QPushButton[role="go"] { background: #7CFC7C; border-color: #7CFC7C; }
QPushButton[role="stop"] { background: #FF9E9E; border-color: #FF9E9E; }
QPushButton[role="help"] { background: #FFD54F; border-color: #FFD54F; }
QPushButton:checked { background: #FFFF00; }
QPushButton[role="corner"], QPushButton[role="corner"]:focus { background: transparent; border: none; }
QLineEdit, QComboBox, QTextEdit, QListWidget { background: #000000; color: #FFFFFF; border: 2px solid #FFFFFF; placeholder-text-color: #D0D0D0; }
QLineEdit[invalid="true"] { border: 5px solid #FF9E9E; }
QListWidget::item { color: #FFFFFF; border-bottom: 1px solid #808080; }
QListWidget::item:selected { background: #FFFF00; color: #000000; }
QLabel[role="error"] { color: #FF9E9E; }
QLabel[role="flag"] { color: #FFFF00; }
QLabel[role="countdown"] { background: #FFFF00; color: #000000; }
QLabel[role="explain"], QLabel[role="source"], QLabel[role="notice"] { background: #000000; color: #FFFFFF; }
QWidget[role="section"] { background: #000000; }
QPushButton QLabel { background: transparent; color: #FFFF00; }
QPushButton[role="go"] QLabel, QPushButton[role="stop"] QLabel, QPushButton[role="help"] QLabel { color: #000000; }
QPushButton[checked="true"] QLabel { color: #000000; }
QPushButton QLabel:disabled { color: #C0C0C0; }
QPushButton[role="go"]:disabled, QPushButton[role="stop"]:disabled, QPushButton[role="help"]:disabled { background: #000000; border: 3px dashed #C0C0C0; }
QPushButton[role="go"] QLabel:disabled, QPushButton[role="stop"] QLabel:disabled, QPushButton[role="help"] QLabel:disabled { color: #C0C0C0; }
QCheckBox { background: transparent; }
"""


def _script_rules(japanese: str) -> str:
    """`QLabel[script="<code>"]`: a label in one language of its own, in that language's face
    (a language's name on the chooser, whatever the kiosk's language)."""
    rules = []
    for code in LANGUAGE_FAMILIES:
        own = family_for(code)
        if own:
            rules.append(f'QLabel[script="{code}"] {{ font-family: "{own}"; }}')
    if japanese:
        rules.append(
            f'QLabel[script="ja"], QLabel[script="ja-easy"] {{ font-family: "{japanese}"; }}'
        )
    return "\n".join(rules)


def stylesheet(theme: Theme, family: str = "", japanese: str = "") -> str:
    """The window's sheet: `family` draws the kiosk's language, `japanese` (when it differs)
    what stays Japanese: the second line, the resident's data, the form's values."""
    body, second, touch = theme.body_px, theme.second_px, theme.touch_px
    # The family is in the sheet too: widgets that match a styled rule would otherwise fall
    # back to the platform's default family (a Mincho under X11) instead of the window font.
    family_rule = f'font-family: "{family}";' if family else ""
    japanese_rule = (
        f"""QLabel[lang="second"], QLabel[data="true"], QLineEdit, QTextEdit {{
            font-family: "{japanese}"; }}"""
        if japanese and japanese != family
        else ""
    )
    colors = HIGH_CONTRAST if theme.high_contrast else LIGHT
    return (
        colors
        + f"""
        QWidget {{ font-size: {body}px; {family_rule} }}
        QLabel[lang="second"] {{ font-size: {second}px; }}
        QLabel[role="title"] {{ font-size: {body + 10}px; font-weight: bold; }}
        QLabel[role="title"][lang="second"] {{ font-size: {body}px; font-weight: normal; }}
        QLabel[role="number"] {{ font-size: {body * 3 + 12}px; font-weight: bold; }}
        QLabel[role="field-label"] {{ font-weight: bold; }}
        QPushButton, QToolButton {{ min-height: {touch}px; padding: 4px 16px; }}
        QPushButton[role="corner"] {{ min-height: {touch}px; min-width: {touch}px; padding: 0px; }}
        QLineEdit, QComboBox {{ min-height: {touch}px; padding: 2px 10px; }}
        QCheckBox {{ min-height: {touch}px; spacing: 16px; }}
        QCheckBox::indicator {{ width: {touch - 20}px; height: {touch - 20}px; }}
        QListWidget::item {{ min-height: {touch}px; padding: 4px 12px; }}
        QScrollBar:vertical {{ width: 28px; }}
        QPushButton[key="true"] {{ min-height: {touch}px; padding: 2px 6px; }}
        QPushButton[key="kana"] {{ min-height: {max(touch - 4, 60)}px; padding: 0px 4px; }}
        {japanese_rule}
        """
        + _script_rules(japanese or family)
    )


def apply_theme(window: QWidget, theme: Theme, language: str = "ja") -> None:
    """The theme on `window`, its type in `language`'s face (called again on a switch)."""
    family, japanese = family_for(language), japanese_family()
    font = QFont(family)
    font.setPixelSize(theme.body_px)
    window.setFont(font)
    window.setStyleSheet(stylesheet(theme, family, japanese))
