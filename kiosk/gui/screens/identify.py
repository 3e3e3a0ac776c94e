"""Identify: by card, by pre-entry QR, or by typing."""

from __future__ import annotations

from kiosk.flow import Method
from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton


class IdentifyScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "identify.title")
        self.method_buttons: dict[Method, BiButton] = {}
        for method, message_id in (
            (Method.CARD, "identify.card"),
            (Method.QR, "identify.qr"),
            (Method.TYPING, "identify.typing"),
        ):
            button = BiButton(self.i18n.pair(message_id))
            button.clicked.connect(lambda _=False, m=method: self.flow.identify_with(m))
            self.method_buttons[method] = button
            self.layout_.addWidget(button)
        self.layout_.addStretch(1)

    def entered(self) -> None:
        self.method_buttons[Method.CARD].setFocus()
