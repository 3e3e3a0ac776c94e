"""Staff unlock: the staff PIN on the same pad (not a flow step: an overlay of the window)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.pin_pad import PinPad
from kiosk.i18n import Pair


class StaffUnlockScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "staff.title")
        self.pad = PinPad(self.i18n, length=8)
        self.pad.entry.returnPressed.connect(self._unlock)
        self.layout_.addWidget(self.pad)
        self.error = BiLabel(role="error")
        self.layout_.addWidget(self.error)
        self.unlock_button = BiButton(self.i18n.pair("staff.unlock"))
        self.unlock_button.clicked.connect(self._unlock)
        self.close_button = BiButton(self.i18n.pair("common.back"), role="secondary")
        self.close_button.clicked.connect(controller.close_staff_unlock)
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.close_button)
        row.addWidget(self.unlock_button)
        self.layout_.addLayout(row)

    def _unlock(self) -> None:
        pin = self.pad.take_pin().decode("ascii")
        problem = self.c.unlock_staff(pin)
        self.error.set_pair(problem or Pair(""))

    def entered(self) -> None:
        self.pad.clear()
        self.error.clear()
        self.pad.entry.setFocus()
