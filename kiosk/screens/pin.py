"""Card PIN: tries left shown (asked without spending one), an on-screen pad, and an explicit
confirmation before the last try. Wrong PINs stay here with the new count."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.screens.base import Controller, Screen
from kiosk.widgets.controls import make_button, make_label
from kiosk.widgets.pin_pad import PinPad


class PinScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "pin.title")
        tr = self.tr
        self.status = make_label(tr("pin.checking"))
        self.tries = make_label("", role="tries")
        self.error = make_label("", role="error")
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.tries)
        self.layout_.addWidget(self.error)

        self.last_try = QWidget()
        row = QHBoxLayout(self.last_try)
        self.last_try_text = make_label(tr("pin.last_try"), role="flag")
        self.last_try_yes = make_button(tr("pin.last_try_yes"))
        self.last_try_no = make_button(tr("pin.last_try_no"), role="secondary")
        self.last_try_yes.clicked.connect(self.flow.confirm_last_try)
        self.last_try_no.clicked.connect(self.flow.back)
        row.addWidget(self.last_try_text, 1)
        row.addWidget(self.last_try_yes)
        row.addWidget(self.last_try_no)
        self.layout_.addWidget(self.last_try)

        self.pad = PinPad(tr)
        self.pad.entry.textChanged.connect(lambda _: self._update_buttons())
        self.pad.submitted.connect(self._read)
        self.layout_.addWidget(self.pad)
        self.read_button = make_button(tr("pin.ok"))
        self.read_button.clicked.connect(self._read)
        self.layout_.addWidget(self.read_button)
        self.layout_.addStretch(1)
        self._reading = False

    def entered(self) -> None:
        self._reading = False
        self.pad.clear()
        self.c.query_card_tries()
        self.refresh()

    def refresh(self) -> None:
        flow, tr = self.flow, self.tr
        checking = flow.tries_left is None
        self.status.setText(
            tr("pin.reading") if self._reading else tr("pin.checking") if checking else ""
        )
        self.status.setVisible(self._reading or checking)
        self.tries.setText("" if checking else tr("pin.tries", tries=flow.tries_left))
        self.error.setText(tr.error(flow.pin_error) if flow.pin_error else "")
        self.error.setVisible(flow.pin_error is not None)
        self.last_try.setVisible(flow.needs_last_try_confirmation)
        if flow.pin_error is not None:
            self._reading = False
        self._update_buttons()
        if flow.needs_last_try_confirmation:
            self.last_try_yes.setFocus()
        elif not self._reading:
            self.pad.entry.setFocus()

    def _update_buttons(self) -> None:
        flow = self.flow
        ready = flow.tries_left is not None and not flow.needs_last_try_confirmation
        self.pad.setEnabled(ready and not self._reading)
        self.read_button.setEnabled(ready and not self._reading and self.pad.is_full())

    def _read(self) -> None:
        if not self.read_button.isEnabled():
            return
        self._reading = True
        self.flow.pin_error = None
        pin = self.pad.take_pin()
        self.refresh()
        self.c.read_card(pin)
