"""The resident kiosk's main window: a top bar, the countdown, and one screen per flow step.

The window is the screens' controller: it starts the background operations (card, QR,
confirm, print) and feeds their outcome back to the flow on the GUI thread. On every wipe it
drops operations under way, clears the clipboard and destroys and rebuilds every screen, so
no widget keeps a trace of the resident.

Scanned codes reach the window from the keyboard-wedge filter (`kiosk.gui.wedge_filter`, installed
application-wide) and from a serial scanner's thread; `scanned` routes both to the flow as a QR
read wherever the flow accepts one (`KioskFlow.accepts_qr`), and drops them elsewhere.

Start-up: the window shows the welcome screen first; on the first turn of the event loop it
warms the QR and confirm lanes (their imports, the outbox) off the GUI thread.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from devices.card.errors import CardTimeoutError, NoReaderError
from forms.errors import MadoguchiError
from kiosk.flow import KioskFlow, Step, WipeReason, WrongStepError
from kiosk.gui.operations import gui_lanes
from kiosk.gui.screens.base import Screen
from kiosk.gui.screens.confirm_step import ConfirmScreen
from kiosk.gui.screens.done import DoneScreen
from kiosk.gui.screens.error import ErrorScreen
from kiosk.gui.screens.identify import IdentifyScreen
from kiosk.gui.screens.pin import PinScreen
from kiosk.gui.screens.printing import PrintScreen
from kiosk.gui.screens.procedures import ProceduresScreen
from kiosk.gui.screens.qr import QrScreen
from kiosk.gui.screens.review import ReviewScreen
from kiosk.gui.screens.sign import SignScreen
from kiosk.gui.screens.staff_unlock import StaffUnlockScreen
from kiosk.gui.screens.welcome import WelcomeScreen
from kiosk.gui.theme import Theme, apply_theme
from kiosk.gui.wedge_filter import WedgeKeyFilter
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.i18n import Pair, Translator
from kiosk.ports import CARD_TIMEOUT_S, TRIES_TIMEOUT_S, Confirmation, KioskServices
from sync.protocol import Mode

if TYPE_CHECKING:
    pass  # typing only: devices.qr loads numpy and the decoders

log = logging.getLogger(__name__)

SCREENS: dict[Step, type[Screen]] = {
    Step.WELCOME: WelcomeScreen,
    Step.PROCEDURES: ProceduresScreen,
    Step.IDENTIFY: IdentifyScreen,
    Step.PIN: PinScreen,
    Step.QR: QrScreen,
    Step.REVIEW: ReviewScreen,
    Step.SIGN: SignScreen,
    Step.CONFIRM: ConfirmScreen,
    Step.PRINT: PrintScreen,
    Step.DONE: DoneScreen,
    Step.ERROR: ErrorScreen,
}
ACTIVITY_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
    QEvent.Type.Wheel,
}
TICK_MS = 250
CARD_POLL_MS = 1000
SCANNER_POLL_MS = 150


class NoQrDecoderError(MadoguchiError):
    code = "qr_unavailable"

    def __init__(self) -> None:
        super().__init__("この端末ではQRコードを読み取れません", "this kiosk cannot read QR codes")


class ScannerLostError(MadoguchiError):
    """The serial QR scanner stopped (unplugged, or its port failed) while the kiosk ran."""

    code = "qr_scanner_lost"

    def __init__(self) -> None:
        super().__init__("QRコードスキャナーが使えなくなりました", "the QR scanner stopped working")


class KioskWindow(QMainWindow):
    def __init__(
        self,
        flow: KioskFlow,
        services: KioskServices,
        *,
        translator: Translator | None = None,
        theme: Theme | None = None,
    ) -> None:
        super().__init__()
        self.flow = flow
        self.services = services
        self.tr = translator or Translator()
        self.theme = theme or Theme()
        self.ops = gui_lanes(self)
        self.screens: dict[Step, Screen] = {}
        self._shown_step: Step | None = None
        self._overlay: Screen | None = None
        self._scanner_lost: ScannerLostError | None = None  # not yet shown to the resident

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        self.top_bar = QWidget()
        self._top = QHBoxLayout(self.top_bar)
        outer.addWidget(self.top_bar)
        self.countdown = BiLabel(role="countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.hide()
        outer.addWidget(self.countdown)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_top_bar()
        self._build_screens()
        apply_theme(self, self.theme)

        flow.subscribe(self._on_flow_changed)
        flow.on_wipe(self._on_wipe)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._card_poll = QTimer(self)
        self._card_poll.setInterval(CARD_POLL_MS)
        self._card_poll.timeout.connect(self.poll_card)
        self._card_poll.start()
        self._scanner_poll = QTimer(self)
        self._scanner_poll.setInterval(SCANNER_POLL_MS)
        self._scanner_poll.timeout.connect(self.poll_scanner)
        if services.scanner is not None:
            self._scanner_poll.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        # Installed after the window's own filter, so it sees every key first.
        self.wedge = WedgeKeyFilter(self.scanned, parent=self)
        self.wedge.install()
        self._on_flow_changed(flow)
        QTimer.singleShot(0, self, self._warm_up)

    # ---- building ------------------------------------------------------------------------

    def _build_top_bar(self) -> None:
        while self._top.count():
            item = self._top.takeAt(0)
            old = item.widget()
            if old is not None:
                old.hide()
                old.setParent(None)
                old.deleteLater()
        tr = self.tr
        self.setWindowTitle(tr.both("app.title"))
        # The toggle makes the other language lead (the second one is always shown).
        self.language_button = BiButton(tr.pair(f"language.lead.{tr.toggled()}"), role="secondary")
        self.language_button.clicked.connect(self.toggle_language)
        self.bigger_button = BiButton(tr.pair("common.bigger"), role="secondary", checkable=True)
        self.bigger_button.setChecked(self.theme.bigger_text)
        self.bigger_button.toggled.connect(self.set_bigger_text)
        self.contrast_button = BiButton(
            tr.pair("common.contrast"), role="secondary", checkable=True
        )
        self.contrast_button.setChecked(self.theme.high_contrast)
        self.contrast_button.toggled.connect(self.set_high_contrast)
        self.staff_button = BiButton(tr.pair("common.staff"), role="secondary")
        self.staff_button.clicked.connect(self._staff_clicked)
        self.back_button = BiButton(tr.pair("common.back"), role="secondary")
        self.back_button.clicked.connect(self._back)
        self.cancel_button = BiButton(tr.pair("common.cancel"), role="secondary")
        self.cancel_button.clicked.connect(self.flow.cancel)
        for button in (
            self.language_button,
            self.bigger_button,
            self.contrast_button,
            self.staff_button,
        ):
            self._top.addWidget(button)
        self._top.addStretch(1)
        self._top.addWidget(self.back_button)
        self._top.addWidget(self.cancel_button)

    def _build_screens(self) -> None:
        """(Re)create every screen from scratch: nothing of the last session survives."""
        for screen in [*self.screens.values(), *([self._overlay] if self._overlay else [])]:
            self.stack.removeWidget(screen)
            screen.setParent(None)
            screen.deleteLater()
        self._overlay = None
        self.screens = {step: cls(self) for step, cls in SCREENS.items()}
        for screen in self.screens.values():
            self.stack.addWidget(screen)
        self._shown_step = None

    # ---- flow → screens ------------------------------------------------------------------

    def _on_flow_changed(self, flow: KioskFlow) -> None:
        step = flow.step
        screen = self.screens[step]
        if self._overlay is None:
            if step is not self._shown_step:
                self._shown_step = step
                self.stack.setCurrentWidget(screen)
                screen.entered()
            screen.refresh()
        self._update_top_bar()
        self._show_scanner_lost()

    def _update_top_bar(self) -> None:
        step = self.flow.step
        self.cancel_button.setVisible(step is not Step.WELCOME)
        self.back_button.setVisible(self.flow.can_go_back() and step is not Step.PROCEDURES)
        staff = self.flow.mode is Mode.STAFF
        self.staff_button.set_pair(self.tr.pair("staff.lock" if staff else "common.staff"))

    def _warm_up(self) -> None:
        """Load what the QR and confirm lanes need, on their threads, after the first paint."""
        self.ops.warm("qr", _import_qr_stack)
        warm_up = getattr(self.services.confirmer, "warm_up", None)
        if warm_up is not None:
            self.ops.warm("confirm", warm_up)

    def _on_wipe(self, reason: WipeReason) -> None:
        self.ops.invalidate()
        self.wedge.reset()
        if self.services.scanner is not None:
            self.services.scanner.reset()  # the next resident's same code counts again
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        self._build_screens()
        self.countdown.hide()
        self.countdown.clear()

    def _on_tick(self) -> None:
        self.flow.tick()
        self._show_countdown()

    def _show_countdown(self) -> None:
        seconds = self.flow.countdown()
        if seconds is None:
            self.countdown.hide()
        else:
            self.countdown.set_pair(self.tr.pair("countdown", seconds=seconds))
            self.countdown.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in ACTIVITY_EVENTS and self.isActiveWindow():
            self.flow.touch()
        return False

    # ---- top bar actions -----------------------------------------------------------------

    def toggle_language(self) -> None:
        self.tr = Translator(self.tr.toggled())
        self._rebuild_keep_state()

    def set_bigger_text(self, on: bool) -> None:
        self.theme.bigger_text = on
        apply_theme(self, self.theme)

    def set_high_contrast(self, on: bool) -> None:
        self.theme.high_contrast = on
        apply_theme(self, self.theme)

    def _rebuild_keep_state(self) -> None:
        staff_unlock_open = self._overlay is not None
        step = self.flow.step
        kept = self.screens[step].keep()
        self._build_top_bar()
        self._build_screens()
        self._shown_step = step
        self.stack.setCurrentWidget(self.screens[step])
        if step is Step.REVIEW:
            self.screens[step].entered()  # builds the editors; starts nothing
        if kept is not None:
            self.screens[step].restore(kept)
        self.screens[step].refresh()
        self._update_top_bar()
        self._show_countdown()  # in the new lead language at once, not on the next tick
        if staff_unlock_open:  # the staff PIN pad stays open, in the other language
            self._open_staff_unlock()

    def _back(self) -> None:
        if self.flow.can_go_back():
            self.flow.back()

    def _staff_clicked(self) -> None:
        if self.flow.mode is Mode.STAFF:
            self.flow.leave_staff_mode()
            return
        self._open_staff_unlock()

    def _open_staff_unlock(self) -> None:
        self._overlay = StaffUnlockScreen(self)
        self.stack.addWidget(self._overlay)
        self.stack.setCurrentWidget(self._overlay)
        self._overlay.entered()

    def close_staff_unlock(self) -> None:
        if self._overlay is not None:
            overlay, self._overlay = self._overlay, None
            self.stack.removeWidget(overlay)
            overlay.deleteLater()
        self.stack.setCurrentWidget(self.screens[self.flow.step])
        self.screens[self.flow.step].refresh()

    def unlock_staff(self, pin: str) -> Pair | None:
        try:
            self.flow.enter_staff_mode(pin)
        except MadoguchiError as exc:
            return self.tr.error_pair(exc)
        self.close_staff_unlock()
        return None

    # ---- background actions (the screens' controller) ------------------------------------

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

    def query_card_tries(self) -> None:
        card = self.services.card
        if card is None:
            self.flow.card_failed(NoReaderError())
            return
        self.ops.follow(
            "card",
            card.tries_left(),
            timeout_s=TRIES_TIMEOUT_S,
            on_timeout=lambda: CardTimeoutError("tries"),
            on_success=self._guard(self.flow.card_tries),
            on_failure=self._guard(self.flow.card_failed),
        )

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
        self.ops.follow(
            "card",
            future,
            timeout_s=CARD_TIMEOUT_S,
            on_timeout=lambda: CardTimeoutError("read"),
            on_success=self._guard(self.flow.card_read),
            on_failure=self._guard(self.flow.card_failed),
        )

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
        self.screens[Step.QR].refresh()

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

        view = CameraView(self.tr.both("qr.title"))
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
        confirmer = self.services.confirmer
        self.ops.run(
            "confirm",
            lambda: confirmer.confirm(
                record, templates, signature_png=signature, mode=mode, measurement=measurement
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

    def show_kana_keyboard(self, target: QLineEdit) -> None:
        review = self.screens.get(Step.REVIEW)
        if isinstance(review, ReviewScreen):
            review.show_keyboard(target)

    def report(self, error: Exception) -> None:
        if isinstance(error, MadoguchiError):
            self.flow.fail(error)

    # ---- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self._tick.stop()
        self._card_poll.stop()
        self._scanner_poll.stop()
        self.wedge.uninstall()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.ops.shutdown(timeout_ms=5000)


def _import_qr_stack() -> None:
    """The QR lane's libraries (the payload codec; devices.qr with numpy and the decoders)."""
    for module in ("devices.qr", "forms.payload.codec"):
        importlib.import_module(module)


def all_texts(root: QWidget) -> list[str]:
    """Every text a widget tree shows or holds (for the wipe tests and the screenshot check)."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel

    out = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton):
            out.append(widget.text())
        elif isinstance(widget, QLineEdit):
            out.extend([widget.text(), widget.placeholderText()])
        elif isinstance(widget, QComboBox):
            out.extend(widget.itemText(i) for i in range(widget.count()))
        out.extend([widget.accessibleName(), widget.toolTip(), widget.windowTitle()])
    return [t for t in out if t]
