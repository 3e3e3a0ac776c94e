"""Staff unlock: the staff PIN on the same pad (not a flow step: an overlay of the window)."""

from __future__ import annotations

from kiosk.screens.base import Controller, Screen
from kiosk.widgets.controls import make_button, make_label
from kiosk.widgets.pin_pad import PinPad


class StaffUnlockScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "staff.title")
        self.pad = PinPad(self.tr, length=8)
        self.pad.entry.returnPressed.connect(self._unlock)
        self.layout_.addWidget(self.pad)
        self.error = make_label("", role="error")
        self.layout_.addWidget(self.error)
        self.unlock_button = make_button(self.tr("staff.unlock"))
        self.unlock_button.clicked.connect(self._unlock)
        self.close_button = make_button(self.tr("common.back"), role="secondary")
        self.close_button.clicked.connect(controller.close_staff_unlock)
        self.layout_.addWidget(self.unlock_button)
        self.layout_.addWidget(self.close_button)
        self.layout_.addStretch(1)

    def _unlock(self) -> None:
        pin = self.pad.take_pin().decode("ascii")
        problem = self.c.unlock_staff(pin)
        self.error.setText(problem or "")

    def entered(self) -> None:
        self.pad.clear()
        self.error.setText("")
        self.pad.entry.setFocus()
