"""On-screen PIN pad: ten digit keys in a fixed layout, delete, clear.

The entry is masked and limited to `length` digits; a hardware keyboard works too. `take_pin`
hands the digits over as a `bytearray` and clears the field, so the widget keeps no copy.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.gui.widgets.bilingual import BiButton, mark_neutral
from kiosk.gui.widgets.controls import make_button
from kiosk.i18n import Translator


class PinPad(QWidget):
    submitted = Signal()

    def __init__(self, tr: Translator, *, length: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._length = length
        self.entry = QLineEdit()
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setMaxLength(length)
        self.entry.setValidator(
            QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{length}}}"), self.entry)
        )
        self.entry.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.entry.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no copy
        self.entry.setAccessibleName(tr.both("pin.field"))
        self.entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.entry.returnPressed.connect(self._submit_if_full)

        grid = QGridLayout()
        grid.setSpacing(4)  # four rows of keys in 800 px in every language, bigger text too
        self.digit_buttons = []
        for n, digit in enumerate("123456789"):
            button = make_button(digit, accessible=tr.both("pin.digit", digit=digit))
            mark_neutral(button)
            button.clicked.connect(lambda _=False, d=digit: self.press(d))
            grid.addWidget(button, n // 3, n % 3)
            self.digit_buttons.append(button)
        self.clear_button = BiButton(tr.pair("pin.clear"), role="secondary")
        self.clear_button.clicked.connect(self.clear)
        zero = mark_neutral(make_button("0", accessible=tr.both("pin.digit", digit="0")))
        zero.clicked.connect(lambda: self.press("0"))
        self.digit_buttons.append(zero)
        self.delete_button = BiButton(tr.pair("pin.delete"), role="secondary")
        self.delete_button.clicked.connect(self.entry.backspace)
        grid.addWidget(self.clear_button, 3, 0)
        grid.addWidget(zero, 3, 1)
        grid.addWidget(self.delete_button, 3, 2)

        for key in (*self.digit_buttons, self.clear_button, self.delete_button):
            key.setProperty("key", True)  # keys of a pad: a little lower than other buttons
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the screen's margins are enough
        layout.addWidget(self.entry)
        layout.addLayout(grid)

    def press(self, digit: str) -> None:
        if len(self.entry.text()) < self._length:
            self.entry.setText(self.entry.text() + digit)

    def is_full(self) -> bool:
        return len(self.entry.text()) == self._length

    def clear(self) -> None:
        self.entry.clear()

    def take_pin(self) -> bytearray:
        pin = bytearray(self.entry.text().encode("ascii"))
        self.entry.clear()
        return pin

    def _submit_if_full(self) -> None:
        if self.is_full():
            self.submitted.emit()
