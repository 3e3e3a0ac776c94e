"""Staff unlock: the staff PIN on the same pad (not a flow step: an overlay of the window)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, InlineBiLabel
from kiosk.gui.widgets.pin_pad import PinPad
from kiosk.i18n import Pair


class StaffUnlockScreen(Screen):
    reads_focus = False  # read-aloud reads the instruction only: never a key of the PIN

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "staff.title")
        self.pad = PinPad(self.tr, length=8)
        self.pad.setProperty("secret", True)
        self.pad.entry.returnPressed.connect(self._unlock)
        self.error = InlineBiLabel(role="error")
        self.unlock_button = BiButton(self.tr.pair("staff.unlock"))
        self.unlock_button.clicked.connect(self._unlock)
        self.close_button = BiButton(self.tr.pair("common.back"), role="secondary")
        self.close_button.clicked.connect(controller.close_staff_unlock)
        # Two columns, as on the card's PIN screen: the pad fits 800 px with bigger text.
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.error)
        left.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.close_button)
        row.addWidget(self.unlock_button)
        left.addLayout(row)
        columns.addLayout(left, 1)
        columns.addWidget(self.pad, 1)
        self.layout_.addLayout(columns, 1)

    def _unlock(self) -> None:
        pin = self.pad.take_pin().decode("ascii")
        problem = self.c.unlock_staff(pin)
        self.error.set_pair(problem or Pair(""))

    def entered(self) -> None:
        self.pad.clear()
        self.error.clear()
        self.pad.entry.setFocus()
