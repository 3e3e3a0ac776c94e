"""Card PIN: tries left shown (asked without spending one), an on-screen pad, and an explicit
confirmation before the last try. Wrong PINs stay here with the new count."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.pin_pad import PinPad
from kiosk.i18n import Pair


class PinScreen(Screen):
    reads_focus = False  # read-aloud reads the instruction only: never a digit or a key

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "pin.title")
        tr = self.i18n
        # Two columns, so the pad fits a landscape screen: what is happening on the left,
        # the pad on the right.
        columns = QHBoxLayout()
        info = QVBoxLayout()
        self.status = BiLabel(tr.pair("pin.checking"))
        self.tries = BiLabel(role="tries")
        self.error = BiLabel(role="error")
        info.addWidget(self.status)
        info.addWidget(self.tries)
        info.addWidget(self.error)

        self.last_try = QWidget()
        last_try = QVBoxLayout(self.last_try)
        last_try.setContentsMargins(0, 0, 0, 0)
        self.last_try_text = self.text(tr.pair("pin.last_try"), role="flag")
        self.last_try_yes = BiButton(tr.pair("pin.last_try_yes"))
        self.last_try_no = BiButton(tr.pair("pin.last_try_no"), role="secondary")
        self.last_try_yes.clicked.connect(self.flow.confirm_last_try)
        self.last_try_no.clicked.connect(self.flow.back)
        answers = QHBoxLayout()
        answers.addWidget(self.last_try_yes)
        answers.addWidget(self.last_try_no)
        last_try.addWidget(self.last_try_text)
        last_try.addLayout(answers)
        info.addWidget(self.last_try)
        info.addStretch(1)
        columns.addLayout(info, 1)

        keys = QVBoxLayout()
        self.pad = PinPad(tr)
        self.pad.setProperty("secret", True)
        self.pad.entry.textChanged.connect(lambda _: self._update_buttons())
        self.pad.submitted.connect(self._read)
        self.read_button = BiButton(tr.pair("pin.ok"))
        self.read_button.clicked.connect(self._read)
        keys.addWidget(self.pad)
        keys.addWidget(self.read_button)
        keys.addStretch(1)
        columns.addLayout(keys, 1)
        self.layout_.addLayout(columns, 1)
        self._reading = False

    def entered(self) -> None:
        self._reading = False
        self.pad.clear()
        self.c.query_card_tries()
        self.refresh()

    def refresh(self) -> None:
        flow, tr = self.flow, self.i18n
        if flow.pin_error is not None:
            self._reading = False  # the read ended (a wrong PIN): not "reading…" any more
        checking = flow.tries_left is None
        self.status.set_pair(
            tr.pair("pin.reading")
            if self._reading
            else tr.pair("pin.checking")
            if checking
            else Pair("")
        )
        self.status.setVisible(self._reading or checking)
        self.tries.set_pair(Pair("") if checking else tr.pair("pin.tries", tries=flow.tries_left))
        self.error.set_pair(tr.error_pair(flow.pin_error) if flow.pin_error else Pair(""))
        self.error.setVisible(flow.pin_error is not None)
        self.last_try.setVisible(flow.needs_last_try_confirmation)
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
