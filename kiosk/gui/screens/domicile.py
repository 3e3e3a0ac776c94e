"""本籍 from the driver's licence: offered only when a chosen form declares the need.

The offer first (read the licence, or type 本籍 on the review), then PIN 1 and PIN 2 on the
same pad, each with its tries read beforehand (spending none) and an explicit confirmation
before a last try. PIN 1 waits in this screen's buffer while PIN 2 is typed and both go to the
card thread together, which wipes them once the read is done; a language switch, back or a
failure wipes the held PIN 1. The PIN columns are the card PIN screen's
(`kiosk.gui.widgets.pin_panel.PinPanel`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flow import DomicileStage
from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.pin_panel import PinPanel
from kiosk.i18n import Pair


class DomicileScreen(Screen):
    reads_focus = False  # as on the PIN screen: never a digit or a key

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "domicile.title")
        self._pin1: bytearray | None = None
        self._reading = False
        self._stage: DomicileStage | None = None
        self._build_offer()
        self._build_pins()
        self.pins.hide()  # one part at a time from the start: the window sizes to this page

    def _build_offer(self) -> None:
        tr = self.i18n
        self.offer = QWidget()
        offer = QVBoxLayout(self.offer)
        offer.setContentsMargins(0, 0, 0, 0)
        self.why = BiLabel(tr.pair("domicile.why"))
        self.offer_error = BiLabel(role="error")
        self.read_button = BiButton(tr.pair("domicile.read"))
        self.type_button = BiButton(tr.pair("domicile.type"), role="secondary")
        self.read_button.clicked.connect(lambda: self.flow.domicile_choose(read=True))
        self.type_button.clicked.connect(lambda: self.flow.domicile_choose(read=False))
        offer.addWidget(self.why)
        offer.addWidget(self.offer_error)
        offer.addWidget(self.read_button)
        offer.addWidget(self.type_button)
        offer.addStretch(1)
        self.layout_.addWidget(self.offer, 1)

    def _build_pins(self) -> None:
        """The PIN panel (the card PIN screen's), for PIN 1 and then PIN 2."""
        tr = self.i18n
        self.pins = PinPanel(tr, ok=tr.pair("common.next"), which=True)
        pins = self.pins
        self.which, self.status, self.tries, self.error = (
            pins.which,
            pins.status,
            pins.tries,
            pins.error,
        )
        self.last_try, self.last_try_text = pins.last_try, pins.last_try_text
        self.last_try_yes, self.last_try_no = pins.last_try_yes, pins.last_try_no
        self.pad, self.ok_button = pins.pad, pins.ok_button
        self.last_try_yes.clicked.connect(self.flow.confirm_domicile_last_try)
        self.last_try_no.clicked.connect(self._back_to_offer)
        self.pad.entry.textChanged.connect(lambda _: self._update_buttons())
        self.pad.submitted.connect(self._ok)
        self.ok_button.clicked.connect(self._ok)
        self.layout_.addWidget(self.pins, 1)

    def instruction(self) -> Pair:
        pin = self.flow.domicile_pin
        if pin is None:
            return self.i18n.pair("domicile.why")
        return self.i18n.pair(f"domicile.pin{pin}")

    def entered(self) -> None:
        self._stage = None
        self.refresh()

    def _wipe_pin1(self) -> None:
        if self._pin1 is not None:
            self._pin1[:] = bytes(len(self._pin1))
            self._pin1 = None

    def _back_to_offer(self) -> None:
        self._wipe_pin1()
        self.pad.clear()
        self.flow.back()

    def refresh(self) -> None:
        flow, tr = self.flow, self.i18n
        stage = flow.domicile_stage
        if stage is not self._stage:  # a new stage: a clean pad, and its tries first
            self._stage = stage
            self._reading = False
            self.pad.clear()
            if stage is DomicileStage.PIN1:
                self._wipe_pin1()
                if flow.domicile_tries is None:
                    self.c.query_licence_tries()
            elif stage is DomicileStage.OFFER:
                self._wipe_pin1()
        on_offer = stage is DomicileStage.OFFER
        if self.offer.isHidden() == on_offer:  # the part changes: the window re-measures
            self.offer.setVisible(on_offer)
            self.pins.setVisible(not on_offer)
            self.updateGeometry()
        error = tr.error_pair(flow.domicile_error) if flow.domicile_error else Pair("")
        self.offer_error.set_pair(error if on_offer else Pair(""))
        self.offer_error.setVisible(on_offer and flow.domicile_error is not None)
        if on_offer:
            self.read_button.setFocus()
            return
        pin = flow.domicile_pin or 1
        self.which.set_pair(tr.pair(f"domicile.pin{pin}"))
        self.ok_button.set_pair(tr.pair("pin.ok" if pin == 2 else "common.next"))
        checking = flow.domicile_tries is None
        status = "pin.reading" if self._reading else "pin.checking" if checking else None
        tries = None if checking else flow.domicile_tries[pin - 1]  # type: ignore[index]
        show_error = flow.domicile_error is not None and not self._reading
        self.pins.show_state(
            status=tr.pair(status) if status else None,
            tries=None if tries is None else tr.pair("pin.tries", tries=tries),
            error=error if show_error else None,
            last_try=flow.needs_domicile_confirmation,
        )
        self._update_buttons()
        self.pins.focus(last_try=flow.needs_domicile_confirmation, reading=self._reading)

    def _update_buttons(self) -> None:
        flow = self.flow
        ready = (
            flow.domicile_tries is not None
            and not flow.needs_domicile_confirmation
            and not self._reading
        )
        self.pins.enable(ready)

    def _ok(self) -> None:
        if not self.ok_button.isEnabled():
            return
        flow = self.flow
        if flow.domicile_stage is DomicileStage.PIN1:
            self._pin1 = self.pad.take_pin()
            flow.domicile_pin1_entered()
            return
        pin1, self._pin1 = self._pin1, None
        pin2 = self.pad.take_pin()
        if pin1 is None:  # cannot happen through the flow; never send half
            pin2[:] = bytes(len(pin2))
            return
        self._reading = True
        flow.domicile_error = None
        self.refresh()
        self.c.read_domicile(pin1, pin2)  # the card thread wipes both once it is done

    def hideEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        self._wipe_pin1()
        super().hideEvent(event)  # type: ignore[arg-type]
