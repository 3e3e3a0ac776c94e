"""Errors: what went wrong and what to do.

A problem the resident can fix (the card, the PIN, a pre-entry code) says what to do, with
"try again". A machine's problem (printer, reader, network, disk) says only that the machine
has a problem and to call staff, with the 職員を呼ぶ button right here; the technical detail
shows in staff mode, and goes to the reception with the alert (`kiosk.trouble`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel, mark_data
from kiosk.gui.widgets.controls import make_label
from kiosk.trouble import technical_detail, trouble_of
from sync.protocol import Mode


class ErrorScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "error.title")
        tr = self.i18n
        self.message = BiLabel(role="error")
        self.advice = BiLabel()
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.advice)
        self.detail = mark_data(make_label(role="hint"))
        self.detail.hide()
        self.layout_.addWidget(self.detail)
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        self.call_button = BiButton(tr.pair("common.call_staff"), role="help")
        self.call_button.clicked.connect(controller.call_staff)
        self.retry_button = BiButton(tr.pair("common.retry"), role="go")
        self.retry_button.clicked.connect(self.flow.retry)
        row.addWidget(self.call_button, 1)
        row.addWidget(self.retry_button, 1)
        self.layout_.addLayout(row)

    def refresh(self) -> None:
        state = self.flow.error
        if state is None:
            return
        trouble = trouble_of(state.error)
        if trouble.technical:
            self.message.set_pair(self.i18n.pair("error.machine_title"))
        else:
            self.message.set_pair(self.i18n.error_pair(state.error))
        self.advice.set_pair(self.i18n.pair(trouble.advice))
        self.call_button.setVisible(trouble.calls_staff)
        self.retry_button.setVisible(state.retry_step is not None)
        self.retry_button.setProperty("role", "secondary" if trouble.calls_staff else "go")
        self.retry_button.restyle()
        staff = self.flow.mode is Mode.STAFF
        self.detail.setText(technical_detail(state.error) if staff else "")
        self.detail.setVisible(staff)

    def entered(self) -> None:
        self.refresh()
        if self.call_button.isVisible():
            self.call_button.setFocus()
        elif self.retry_button.isVisible():
            self.retry_button.setFocus()
