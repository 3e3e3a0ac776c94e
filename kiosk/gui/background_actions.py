"""The kiosk window's background actions, as the screens ask for them: the card's tries and
read (on 転入, then the back office's 転入予約 lookup), the licence's tries and 本籍 (PIN 1 +
PIN 2), the card's removal, the serial scanner, QR decoding (digits and camera frames),
confirm and print. Each runs on its lane
(`kiosk.gui.operations`), never on the GUI thread, and its outcome goes back to the flow on
the GUI thread; a late outcome for a step the resident already left is dropped.

Scanned codes reach the window from the keyboard-wedge filter (`kiosk.gui.wedge_filter`,
installed application-wide) and from a serial scanner's thread; `scanned` routes both to the
flow as a QR read wherever the flow accepts one (`KioskFlow.accepts_qr`), and drops them
elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Literal

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from devices.card.errors import CardTimeoutError, NoReaderError
from forms.errors import MadoguchiError
from forms.record import CardData
from kiosk.flow import Step, WrongStepError
from kiosk.gui.reception_alerts import ReceptionAlerts
from kiosk.ports import CARD_TIMEOUT_S, RESERVATION_TIMEOUT_S, TRIES_TIMEOUT_S, Confirmation

log = logging.getLogger("kiosk.gui.app")  # the window's log


class NoQrDecoderError(MadoguchiError):
    code = "qr_unavailable"

    def __init__(self) -> None:
        super().__init__("この端末ではQRコードを読み取れません", "this kiosk cannot read QR codes")


class ScannerLostError(MadoguchiError):
    """The serial QR scanner stopped (unplugged, or its port failed) while the kiosk ran."""

    code = "qr_scanner_lost"

    def __init__(self) -> None:
        super().__init__("QRコードスキャナーが使えなくなりました", "the QR scanner stopped working")


class BackgroundActions(ReceptionAlerts):
    """The window's work off the GUI thread."""

    def _guard(self, fn: Callable[[Any], None]) -> Callable[[Any], None]:
        """A late result for a step the resident already left is dropped, not an error."""

        def call(value: Any) -> None:
            try:
                fn(value)
            except WrongStepError as exc:
                log.info("dropped a late result (%s in %s)", exc.event, exc.step.value)

        return call

    def busy(self, lane: str) -> bool:
        return self.ops.busy(lane)

    def _follow_card(
        self,
        future: Future[Any],
        what: Literal["tries", "read"],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Any], None],
    ) -> None:
        """The card thread's `future` on the card lane: `what` is "tries" (asked without
        spending one) or "read", each with its own timeout; late outcomes are dropped."""
        self.ops.follow(
            "card",
            future,
            timeout_s=TRIES_TIMEOUT_S if what == "tries" else CARD_TIMEOUT_S,
            on_timeout=lambda: CardTimeoutError(what),
            on_success=self._guard(on_success),
            on_failure=self._guard(on_failure),
        )

    def query_card_tries(self) -> None:
        card = self.services.card
        if card is None:
            self.flow.card_failed(NoReaderError())
            return
        self._follow_card(card.tries_left(), "tries", self.flow.card_tries, self.flow.card_failed)

    def read_card(self, pin: bytearray) -> None:
        card = self.services.card
        if card is None:
            pin[:] = bytes(len(pin))
            self.flow.card_failed(NoReaderError())
            return
        future = card.read(
            pin,
            confirm_last_try=self.flow.last_try_confirmed,
            individual_number=self.flow.needs_individual_number,
        )  # queued on the card thread, which wipes the PIN buffer once it is done
        self._follow_card(future, "read", self._card_was_read, self.flow.card_failed)

    def _card_was_read(self, card: CardData) -> None:
        """On 転入, ask the back office for a 転入予約 first (network on the desk lane, never
        here); without one, when it is out of reach, or when it has not answered within
        RESERVATION_TIMEOUT_S, the card's items alone (a late answer is dropped)."""
        lookup = self.services.reservations
        if lookup is None or not self.flow.wants_reservation:
            self.flow.card_read(card)
            return
        ticket = object()
        self._reservation_wait = ticket

        def settle(found: Any) -> None:
            if self._reservation_wait is not ticket:
                return  # timed out already, or wiped: the card's items went on without it
            self._reservation_wait = None
            self.flow.card_read(card, found)

        def job() -> Any:
            return lookup.find(card.name, card.birth_date)

        self.ops.run(
            "desk",
            job,
            on_success=self._guard(settle),
            on_failure=self._guard(lambda _error: settle(None)),
        )
        QTimer.singleShot(
            int(RESERVATION_TIMEOUT_S * 1000), self, lambda: self._guard(settle)(None)
        )

    def query_licence_tries(self) -> None:
        card = self.services.card
        if card is None:
            self.flow.domicile_failed(NoReaderError())
            return
        self._follow_card(
            card.licence_tries(), "tries", self.flow.domicile_tries_read, self.flow.domicile_failed
        )

    def read_domicile(self, pin1: bytearray, pin2: bytearray) -> None:
        card = self.services.card
        if card is None:
            for pin in (pin1, pin2):
                pin[:] = bytes(len(pin))
            self.flow.domicile_failed(NoReaderError())
            return
        future = card.read_domicile(
            pin1,
            pin2,
            confirm_pin1=1 in self.flow.domicile_confirmed,
            confirm_pin2=2 in self.flow.domicile_confirmed,
        )  # queued on the card thread, which wipes both buffers once it is done
        self._follow_card(future, "read", self.flow.domicile_read, self.flow.domicile_failed)

    def poll_card(self) -> None:
        """While a read card's data is on screen, end the session when the card leaves."""
        card = self.services.card
        if card is None or not self.flow.card_was_read or self.ops.busy("card"):
            return

        def removed(present: Any) -> None:
            if not present:
                self.flow.card_removed()

        self.ops.run("card", card.card_present, on_success=removed, on_failure=lambda e: None)

    def poll_scanner(self) -> None:
        """Take what the serial scanner's thread read (no waiting) and route it."""
        scanner = self.services.scanner
        if scanner is None:
            return
        failed = getattr(scanner, "failed", None)
        if failed is not None:  # its thread died (unplugged): no QR from it any more
            log.warning("QR scanner failed: %s", type(failed).__name__)  # the type only
            self._scanner_poll.stop()
            self._scanner_lost = ScannerLostError()
            self._show_scanner_lost()
            return
        code = scanner.read(0)
        if code is not None:
            self.scanned(code.text)

    def _show_scanner_lost(self) -> None:
        """Show a lost scanner once, where the resident could have scanned (and could still
        retry the step they were on with the card or by typing)."""
        lost = self._scanner_lost
        flow = self.flow
        if lost is None or self._overlay is not None or not flow.accepts_qr:
            return
        if self.ops.busy("qr"):
            return
        self._scanner_lost = None
        flow.fail(lost, flow.step if flow.step is not Step.ERROR else None)

    def scanned(self, text: str) -> None:
        """A complete code from a scanner (wedge or serial): a QR read where the flow takes
        one (welcome, procedures, identify, QR, or the error of a refused QR), else dropped.

        The code is decoded whole on the QR lane; a code with dropped digits is refused there
        with the codec's own error (truncated, bad digits…), never half-used.
        """
        flow = self.flow
        if self._overlay is not None or not flow.accepts_qr or self.ops.busy("qr"):
            log.info("scanned code ignored in step %s", flow.step.value)
            return
        flow.begin_qr()
        self.decode_qr_digits(text)
        self.step_screen(Step.QR).refresh()

    def decode_qr_digits(self, digits: str) -> None:
        qr = self.services.qr
        if qr is None:
            self.flow.qr_failed(NoQrDecoderError())
            return
        self.ops.run(
            "qr",
            lambda: qr.decode_digits(digits),
            on_success=self._guard(self.flow.qr_read),
            on_failure=self._guard(self.flow.qr_failed),
        )

    def decode_qr_frame(self, image: bytes) -> None:
        qr = self.services.qr
        if qr is None or self.ops.busy("qr") or self.flow.step is not Step.QR:
            return

        def found(result: Any) -> None:
            if result is not None:
                self._guard(self.flow.qr_read)(result)

        self.ops.run(
            "qr",
            lambda: qr.decode_frame(image),
            on_success=found,
            on_failure=self._guard(self.flow.qr_failed),
        )

    def make_camera_view(self) -> QWidget | None:
        if not self.services.camera or self.services.qr is None:
            return None
        from kiosk.gui.widgets.camera_view import CameraView

        view = CameraView(self.i18n.both("qr.title"))
        if not view.available:
            view.deleteLater()
            return None
        view.frame_captured.connect(self.decode_qr_frame)
        return view

    def submit(self) -> None:
        flow = self.flow
        if self.ops.busy("confirm") or flow.record is None or flow.signature is None:
            return
        record = flow.record.model_copy(deep=True)
        templates = list(flow.templates)
        signature, mode = flow.signature, flow.mode
        measurement = flow.measurement_snapshot()
        language = self.i18n.language
        confirmer = self.services.confirmer
        self.ops.run(
            "confirm",
            lambda: confirmer.confirm(
                record,
                templates,
                signature_png=signature,
                mode=mode,
                measurement=measurement,
                language=language,
            ),
            on_success=self._guard(self.flow.confirmed),
            on_failure=self._guard(self.flow.confirm_failed),
        )

    def start_print(self) -> None:
        confirmation = self.flow.confirmation
        if confirmation is None or self.ops.busy("print"):
            return
        printer = self.services.printer

        def job(c: Confirmation = confirmation) -> None:
            printer.print_pdf(c.pdf, title=f"application-{c.reception_number}")
            if c.slip_pdf:
                printer.print_pdf(c.slip_pdf, title=f"slip-{c.reception_number}")

        self.ops.run(
            "print",
            job,
            on_success=self._guard(lambda _: self.flow.printed()),
            on_failure=self._guard(self.flow.print_failed),
        )

    def report(self, error: Exception) -> None:
        if isinstance(error, MadoguchiError):
            self.flow.fail(error)
