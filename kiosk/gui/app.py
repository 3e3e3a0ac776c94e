"""The resident kiosk's main window: a top bar, the countdown, and one screen per flow step.

The window is the screens' controller: it starts the background operations (card, QR,
confirm, print) and feeds their outcome back to the flow on the GUI thread. On every wipe it
drops operations under way, clears the clipboard and destroys and rebuilds every screen, so
no widget keeps a trace of the resident.

The window is built from parts, each a module beside this one, one on top of the other
(`kiosk.gui.window_base` lists them and says what they share): `chrome` (the top bar, the
display row, the screens' stack), `keyboard_dock` (50音 and the virtual keyboard),
`read_aloud` (読み上げ, voice guidance), `overlay_host` (staff PIN, start over?, the language
chooser), `reception_alerts` (職員を呼ぶ, a machine's faults) and `background_actions` (card,
scanner, QR, confirm, print). This module holds the window's life: building, the flow's
changes and wipes, the inactivity tick, the language, closing.

Start-up: the window builds only the welcome screen, shows it, and builds every other screen
when first needed; on the first turn of the event loop it warms the QR and confirm lanes
(their imports, the outbox, the catalogue) off the GUI thread.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from forms.i18n import language as language_of
from kiosk.flow import KioskFlow, Step, WipeReason
from kiosk.gui.background_actions import BackgroundActions, NoQrDecoderError, ScannerLostError
from kiosk.gui.chrome import CurrentPageStack
from kiosk.gui.operations import gui_lanes
from kiosk.gui.screens.base import Screen, ScreenClass
from kiosk.gui.screens.overlays import LanguageScreen
from kiosk.gui.theme import Theme, apply_theme
from kiosk.gui.wedge_filter import WedgeKeyFilter
from kiosk.gui.window_base import NO_CANCEL_STEPS
from kiosk.i18n import Translator
from kiosk.ports import KioskServices

__all__ = [
    "NO_CANCEL_STEPS",
    "SCREENS",
    "STAFF_HOLD_MS",
    "CurrentPageStack",
    "KioskWindow",
    "NoQrDecoderError",
    "ScannerLostError",
    "all_texts",
    "screen_class",
]

log = logging.getLogger(__name__)

# Each step's screen, "module:class" under kiosk.gui.screens: imported when first shown.
SCREENS: dict[Step, str] = {
    Step.WELCOME: "welcome:WelcomeScreen",
    Step.PROCEDURES: "procedures:ProceduresScreen",
    Step.IDENTIFY: "identify:IdentifyScreen",
    Step.PIN: "pin:PinScreen",
    Step.NAVIGATOR: "navigator:NavigatorScreen",
    Step.DOMICILE: "domicile:DomicileScreen",
    Step.QR: "qr:QrScreen",
    Step.REVIEW: "review:ReviewScreen",
    Step.SIGN: "sign:SignScreen",
    Step.CONFIRM: "confirm_step:ConfirmScreen",
    Step.PRINT: "printing:PrintScreen",
    Step.DONE: "done:DoneScreen",
    Step.ERROR: "error:ErrorScreen",
}


def screen_class(step: Step) -> ScreenClass:
    module, _, name = SCREENS[step].partition(":")
    found: ScreenClass = getattr(importlib.import_module(f"kiosk.gui.screens.{module}"), name)
    return found


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
STAFF_HOLD_MS = 3000  # the top-left corner held this long opens the staff PIN
STAFF_SHORTCUT = "Ctrl+Shift+F10"


class KioskWindow(BackgroundActions):
    def __init__(
        self,
        flow: KioskFlow,
        services: KioskServices,
        *,
        translator: Translator | None = None,
        theme: Theme | None = None,
        qt_speech: Sequence[str] | None = None,
    ) -> None:
        """`qt_speech`: the Qt TextToSpeech engines to ask for voices (None: every platform
        engine, or `$MADOGUCHI_QT_SPEECH`; `()`: none; see `kiosk.gui.qt_voice`)."""
        super().__init__()
        self.flow = flow
        self.services = services
        self.i18n = translator or Translator()
        self.theme = theme or Theme()
        self.i18n.furigana = self.theme.furigana  # the buttons' and labels' ruby (Pair.ruby)
        self.ops = gui_lanes(self)
        self.screens = {}
        self._shown_step = None
        self._overlay = None
        self._scanner_lost = None
        self._alerted = set()
        self._reservation_wait = None
        self._closed = False
        self.calls = 0
        self.voice_guidance = False
        self._spoken_screen = None
        self._speech_generation = 0
        self._qt_voices = None
        self._qt_speech_engines = qt_speech
        self._last_focus = None

        self._build_frame()
        self._staff_hold = QTimer(self)
        self._staff_hold.setSingleShot(True)
        self._staff_hold.setInterval(STAFF_HOLD_MS)
        self._staff_hold.timeout.connect(self._open_staff_unlock)
        self._staff_shortcut = QShortcut(QKeySequence(STAFF_SHORTCUT), self)
        self._staff_shortcut.activated.connect(self._staff_clicked)

        self._build_top_bar()
        self._build_keyboards()
        self._build_screens()
        apply_theme(self, self.theme, self.i18n.language)

        flow.subscribe(self._on_flow_changed)
        flow.on_wipe(self._on_wipe)
        self._start_timers()
        QGuiApplication.inputMethod().visibleChanged.connect(self._input_method_visibility)
        self.wedge = WedgeKeyFilter(self.scanned, parent=self)
        self._filtering = False
        self._on_flow_changed(flow)
        QTimer.singleShot(0, self, self._install_filters)
        QTimer.singleShot(0, self, self._warm_up)

    def _install_filters(self) -> None:
        """The application-wide filters (activity, taps on fields, the wedge scanner), once
        the welcome screen is painted: a Python filter meets every kind of event for the
        first time then, which costs PySide some 50 ms of start-up."""
        if self._filtering or self._closed:
            return
        self._filtering = True
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        # Installed after the window's own filter, so it sees every key first.
        self.wedge.install()

    def _start_timers(self) -> None:
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
        if self.services.scanner is not None:
            self._scanner_poll.start()

    def _build_screens(self) -> None:
        """Drop every screen: nothing of the last session survives. Each is built again when
        its step is first shown (`screen`), so the welcome screen does not wait for the rest."""
        for screen in [*self.screens.values(), *([self._overlay] if self._overlay else [])]:
            self.stack.removeWidget(screen)
            screen.setParent(None)
            screen.deleteLater()
        self._overlay = None
        self.screens = {}
        self._shown_step = None

    def step_screen(self, step: Step) -> Screen:
        """The screen of `step`, built on first use."""
        found = self.screens.get(step)
        if found is None:
            found = screen_class(step)(self)
            self.screens[step] = found
            self.stack.addWidget(found)
        return found

    # ---- flow → screens ------------------------------------------------------------------

    def _on_flow_changed(self, flow: KioskFlow) -> None:
        step = flow.step
        screen = self.step_screen(step)
        if self._overlay is None:
            if step is not self._shown_step:
                if Step.WELCOME in (step, self._shown_step):
                    self._show_display_bar(step is Step.WELCOME)
                self._shown_step = step
                self.hide_keyboards()
                self.stack.setCurrentWidget(screen)
                if step is Step.REVIEW and not self.virtual_keyboard.loaded:
                    self._load_keyboard()  # before any field of the review has the focus
                screen.entered()
            screen.refresh()
            self._guide_aloud(screen)
        self._update_top_bar()
        self._show_scanner_lost()
        self._alert_machine_trouble()

    def _warm_up(self) -> None:
        """Load what the QR and confirm lanes need, on their threads, after the first paint;
        ask the platform's Qt speech engines for their voices."""
        self._discover_voices()
        self.ops.warm("qr", _import_qr_stack)
        load = getattr(self.flow.catalog, "load", None)
        if load is not None:  # a lazy catalogue: parsed now, before the procedures screen
            self.ops.warm("confirm", load)
        warm_up = getattr(self.services.confirmer, "warm_up", None)
        if warm_up is not None:
            self.ops.warm("confirm", warm_up)

    def _on_wipe(self, reason: WipeReason) -> None:
        self.ops.invalidate()
        self._reservation_wait = None  # a 転入予約 lookup under way belongs to the old session
        self.wedge.reset()
        if self.services.scanner is not None:
            self.services.scanner.reset()  # the next resident's same code counts again
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        self.hide_keyboards()
        self._build_screens()
        self._alerted.clear()
        self._speech_generation += 1
        self.silence()
        self._spoken_screen = None
        self._last_focus = None
        self.calls = 0
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
            self.countdown.set_pair(self.i18n.pair("countdown", seconds=seconds))
            self.countdown.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in ACTIVITY_EVENTS and self.isActiveWindow():
            self.flow.touch()
        if kind == QEvent.Type.MouseButtonRelease and isinstance(watched, QLineEdit):
            if watched.property("keyboard") and self.isAncestorOf(watched):
                self.show_keyboard_for(watched)  # a tap on a field brings its keyboard
        elif kind == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            self._focus_moved(watched)
            if self.stack.isAncestorOf(watched):
                self._last_focus = watched
        return False

    # ---- top bar actions -----------------------------------------------------------------

    def toggle_language(self) -> None:
        self.set_language(self.i18n.toggled())

    def open_language_chooser(self) -> None:
        self.open_overlay(LanguageScreen(self))

    def set_language(self, code: str) -> None:
        """Every screen redrawn in `code`, every entry kept (the flow holds them; what a
        screen holds itself goes through `keep`/`restore`). やさしい日本語 brings furigana."""
        if isinstance(self._overlay, LanguageScreen):
            guidance, self.voice_guidance = self.voice_guidance, False
            self.close_overlay()  # quietly: the screen is read once, in the new language
            self.voice_guidance = guidance
        if code == self.i18n.language:
            return
        self.i18n = Translator(code)
        if language_of(code).ruby:
            self.theme.furigana = True
        self.i18n.furigana = self.theme.furigana
        self._rebuild_keep_state()

    def set_furigana(self, on: bool) -> None:
        """Ruby over the kanji of headings and item labels (the screens are drawn again)."""
        self.theme.furigana = on
        self.i18n.furigana = on
        self._rebuild_keep_state()

    def _rebuild_keep_state(self) -> None:
        # Every screen class is built from the controller alone (see `ScreenClass`).
        overlay = cast("ScreenClass", type(self._overlay)) if self._overlay is not None else None
        step = self.flow.step
        current = self.screens.get(step)
        kept = current.keep() if current is not None else None
        self.hide_keyboards()
        self._build_top_bar()
        self._build_keyboards()
        self._build_screens()
        self._shown_step = step
        screen = self.step_screen(step)
        self.stack.setCurrentWidget(screen)
        if step is Step.REVIEW:
            screen.entered()  # builds the editors; starts nothing
        if kept is not None:
            screen.restore(kept)
        screen.refresh()
        self._update_top_bar()
        apply_theme(self, self.theme, self.i18n.language)
        self._show_countdown()  # in the new lead language at once, not on the next tick
        if overlay is not None:  # the panel stays open, in the other language
            self.open_overlay(overlay(self))
        else:
            self._guide_aloud(screen)

    def _back(self) -> None:
        if self.flow.can_go_back():
            self.flow.back()

    # ---- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self._closed = True
        self.silence()
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
