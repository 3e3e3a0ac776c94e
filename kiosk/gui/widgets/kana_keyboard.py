"""The 50音 (gojūon) keyboard for フリガナ fields: katakana keys in the order of the syllabary.

Keys type into a target QLineEdit. ゛ and ゜ change the last character (カ→ガ, ハ→パ), 小
makes it small (ヤ→ャ, ツ→ッ); small kana stay distinct, as family registers record them.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.gui.widgets.bilingual import BiButton, mark_neutral
from kiosk.gui.widgets.controls import make_button
from kiosk.i18n import Translator

# Columns of the syllabary (ア行 … ワ行), read top to bottom; "" leaves a key out.
COLUMNS = (
    "アイウエオ",
    "カキクケコ",
    "サシスセソ",
    "タチツテト",
    "ナニヌネノ",
    "ハヒフヘホ",
    "マミムメモ",
    "ヤ ユ ヨ",
    "ラリルレロ",
    "ワヰ ヱヲ",
)
EXTRA = "ンー・"
_SMALL = dict(zip("アイウエオツヤユヨワカケ", "ァィゥェォッャュョヮヵヶ", strict=True))
_DAKUTEN = "\u3099"
_HANDAKUTEN = "\u309a"


def with_mark(char: str, mark: str) -> str:
    """カ + ゛ → ガ; a character that takes no such mark is returned unchanged."""
    base = unicodedata.normalize("NFD", char)[0]
    combined = unicodedata.normalize("NFC", base + mark)
    return combined if len(combined) == 1 else char


def small(char: str) -> str:
    reverse = {v: k for k, v in _SMALL.items()}
    return _SMALL.get(char) or reverse.get(char, char)


class KanaKeyboard(QWidget):
    closed = Signal()

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr.both("kana.title"))
        self._target: QLineEdit | None = None
        grid = QGridLayout()
        grid.setSpacing(4)
        # Right to left, as printed 50音 charts read: ア行 on the right; the other keys in two
        # columns on the left (five rows in all, so the page above keeps its room).
        for col, column in enumerate(COLUMNS):
            for row, char in enumerate(column):
                if char == " ":
                    continue
                key = mark_neutral(make_button(char))
                key.setMinimumWidth(56)
                key.clicked.connect(lambda _=False, c=char: self.type_text(c))
                grid.addWidget(key, row, 2 + len(COLUMNS) - 1 - col)
        for row, char in enumerate(EXTRA):
            key = mark_neutral(make_button(char))
            key.clicked.connect(lambda _=False, c=char: self.type_text(c))
            grid.addWidget(key, row, 1)
        actions = (
            ("kana.dakuten", lambda: self._change_last(lambda c: with_mark(c, _DAKUTEN))),
            ("kana.handakuten", lambda: self._change_last(lambda c: with_mark(c, _HANDAKUTEN))),
            ("kana.small", lambda: self._change_last(small)),
            ("kana.space", lambda: self.type_text("\u3000")),
            ("kana.delete", self._delete),
            ("kana.done", self.closed.emit),
        )
        places = ((0, 0), (1, 0), (2, 0), (3, 1), (3, 0), (4, 0))
        for (message_id, action), (row, col) in zip(actions, places, strict=True):
            text = tr.pair(message_id)
            action_key: QPushButton = (
                BiButton(text, role="secondary")
                if text.second
                else mark_neutral(make_button(text.lead, role="secondary"))
            )
            action_key.clicked.connect(action)
            grid.addWidget(action_key, row, col)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(grid)
        for key in self.findChildren(QPushButton):
            key.setProperty("key", "kana")
            # A key types into the field; it never takes the focus from it.
            key.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_target(self, target: QLineEdit | None) -> None:
        self._target = target

    def type_text(self, text: str) -> None:
        if self._target is not None:
            self._target.insert(text)

    def _delete(self) -> None:
        if self._target is not None:
            self._target.backspace()

    def _change_last(self, change) -> None:
        target = self._target
        if target is None or not target.text():
            return
        pos = target.cursorPosition() or len(target.text())
        text = target.text()
        target.setText(text[: pos - 1] + change(text[pos - 1]) + text[pos:])
        target.setCursorPosition(pos)
