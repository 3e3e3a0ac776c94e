"""Card PIN: tries left shown (asked without spending one), an on-screen pad, and an explicit
confirmation before the last try. Wrong PINs stay here with the new count. The two columns are
`kiosk.gui.widgets.pin_panel.PinPanel`, shared with the licence's 本籍 step."""

from __future__ import annotations

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.pin_panel import PinPanel


class PinScreen(Screen):
    reads_focus = False  # read-aloud reads the instruction only: never a digit or a key

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "pin.title")
        tr = self.i18n
        self.panel = PinPanel(tr, ok=tr.pair("pin.ok"), text=self.text)
        panel = self.panel
        self.status, self.tries, self.error = panel.status, panel.tries, panel.error
        self.last_try, self.last_try_text = panel.last_try, panel.last_try_text
        self.last_try_yes, self.last_try_no = panel.last_try_yes, panel.last_try_no
        self.pad, self.read_button = panel.pad, panel.ok_button
        self.last_try_yes.clicked.connect(self.flow.confirm_last_try)
        self.last_try_no.clicked.connect(self.flow.back)
        self.pad.entry.textChanged.connect(lambda _: self._update_buttons())
        self.pad.submitted.connect(self._read)
        self.read_button.clicked.connect(self._read)
        self.layout_.addWidget(panel, 1)
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
        status = "pin.reading" if self._reading else "pin.checking" if checking else None
        self.panel.show_state(
            status=tr.pair(status) if status else None,
            tries=None if checking else tr.pair("pin.tries", tries=flow.tries_left),
            error=tr.error_pair(flow.pin_error) if flow.pin_error else None,
            last_try=flow.needs_last_try_confirmation,
        )
        self._update_buttons()
        self.panel.focus(last_try=flow.needs_last_try_confirmation, reading=self._reading)

    def _update_buttons(self) -> None:
        flow = self.flow
        ready = flow.tries_left is not None and not flow.needs_last_try_confirmation
        self.panel.enable(ready and not self._reading)

    def _read(self) -> None:
        if not self.read_button.isEnabled():
            return
        self._reading = True
        self.flow.pin_error = None
        pin = self.pad.take_pin()
        self.refresh()
        self.c.read_card(pin)
