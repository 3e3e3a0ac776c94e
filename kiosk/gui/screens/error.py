"""Errors: what went wrong (from the typed error) and what to do, with try again / cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel

# error code (or code prefix) → advice message id
ADVICE = (
    ("card_no_reader", "error.card_no_reader"),
    ("card_reader_unplugged", "error.card_no_reader"),
    ("card_absent", "error.card_absent"),
    ("card_pin_blocked", "error.card_pin_blocked"),
    ("card_removed", "error.card_removed"),
    ("printer", "error.printer"),
    ("print", "error.printer"),
    ("spool", "error.printer"),
    ("payload", "error.qr"),
    ("qr_scanner", "error.qr_scanner"),
    ("qr", "error.qr"),
)


def advice_for(code: str) -> str:
    return next((m for prefix, m in ADVICE if code.startswith(prefix)), "error.generic")


class ErrorScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "error.title")
        tr = self.tr
        self.message = BiLabel(role="error")
        self.advice = BiLabel()
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.advice)
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        self.retry_button = BiButton(tr.pair("common.retry"))
        self.retry_button.clicked.connect(self.flow.retry)
        row.addWidget(self.retry_button)
        self.layout_.addLayout(row)

    def refresh(self) -> None:
        state = self.flow.error
        if state is None:
            return
        self.message.set_pair(self.tr.error_pair(state.error))
        self.advice.set_pair(self.tr.pair(advice_for(state.error.code)))
        self.retry_button.setVisible(state.retry_step is not None)

    def entered(self) -> None:
        self.refresh()
        if self.retry_button.isVisible():
            self.retry_button.setFocus()
