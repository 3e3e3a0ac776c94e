"""The resident kiosk's main window: a top bar, the countdown, and one screen per flow step.

The window is the screens' controller: it starts the background operations (card, QR,
confirm, print) and feeds their outcome back to the flow on the GUI thread. On every wipe it
drops operations under way, clears the clipboard and destroys and rebuilds every screen, so
no widget keeps a trace of the resident.

Scanned codes reach the window from the keyboard-wedge filter (`kiosk.gui.wedge_filter`, installed
application-wide) and from a serial scanner's thread; `scanned` routes both to the flow as a QR
read wherever the flow accepts one (`KioskFlow.accepts_qr`), and drops them elsewhere.

The top bar holds what a resident may need on any screen: the language (ことば opens the
chooser of the ten languages over the screen; every entry is kept), bigger text, high
contrast, furigana, voice guidance, 読み上げ, back, 職員を呼ぶ (an alert to the reception, kept while the back office
is out of reach) and 中止 (which asks first, and is gone while printing). Staff mode is not
on it: staff hold the top-left corner for three seconds (or press Ctrl+Shift+F10), then
give the staff PIN.

読み上げ (read aloud) reads the screen's instruction, then the focused item and its value, in
the lead language, through `KioskServices.speech` on the speech lane (never on the GUI thread);
with voice guidance on, each screen and each page of the review is read as it opens. The PIN
screen reads its instruction only, and the individual number is read by its label only
(`devices.speech.request`); a wipe silences whatever the last resident had queued.

Keyboards dock under the screens: the 50音 keyboard for フリガナ, Qt Virtual Keyboard for
everything else (loaded the first time a field asks for it). A tap on a field shows its
keyboard; focus moving elsewhere on the screen hides it.

Start-up: the window builds only the welcome screen, shows it, and builds every other screen
when first needed; on the first turn of the event loop it warms the QR and confirm lanes
(their imports, the outbox, the catalogue) off the GUI thread.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from devices.card.errors import CardTimeoutError, NoReaderError
from forms.errors import MadoguchiError
from forms.i18n import language as language_of
from forms.record import CardData
from kiosk.flow import KioskFlow, Step, WipeReason, WrongStepError
from kiosk.gui.operations import gui_lanes
from kiosk.gui.screens.base import Screen, ScreenClass
from kiosk.gui.screens.overlays import CallStaffScreen, CancelConfirmScreen, LanguageScreen
from kiosk.gui.screens.staff_unlock import StaffUnlockScreen
from kiosk.gui.theme import Theme, apply_theme
from kiosk.gui.wedge_filter import WedgeKeyFilter
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.kana_keyboard import KanaKeyboard
from kiosk.gui.widgets.virtual_keyboard import KeyboardUnavailable, VirtualKeyboard
from kiosk.i18n import Pair, Translator
from kiosk.ports import (
    CARD_TIMEOUT_S,
    RESERVATION_TIMEOUT_S,
    TRIES_TIMEOUT_S,
    Confirmation,
    KioskServices,
)
from kiosk.trouble import technical_detail, trouble_of
from sync.protocol import Mode

if TYPE_CHECKING:
    # devices.speech loads numpy (its WAV checks): imported at the first read-aloud
    from devices.speech.request import SpeechRequest

log = logging.getLogger(__name__)

# Each step's screen, "module:class" under kiosk.gui.screens: imported when first shown.
SCREENS: dict[Step, str] = {
    Step.WELCOME: "welcome:WelcomeScreen",
    Step.PROCEDURES: "procedures:ProceduresScreen",
    Step.IDENTIFY: "identify:IdentifyScreen",
    Step.PIN: "pin:PinScreen",
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
NO_CANCEL_STEPS = (Step.WELCOME, Step.PRINT, Step.DONE)


class NoQrDecoderError(MadoguchiError):
    code = "qr_unavailable"

    def __init__(self) -> None:
        super().__init__("この端末ではQRコードを読み取れません", "this kiosk cannot read QR codes")


class ScannerLostError(MadoguchiError):
    """The serial QR scanner stopped (unplugged, or its port failed) while the kiosk ran."""

    code = "qr_scanner_lost"

    def __init__(self) -> None:
        super().__init__("QRコードスキャナーが使えなくなりました", "the QR scanner stopped working")


class CurrentPageStack(QStackedWidget):
    """A stack as small as the screen on show needs, not as its largest page: the PIN pad
    built earlier must not push a review with the 50音 keyboard open off the screen."""

    def __init__(self) -> None:
        super().__init__()
        stack_layout = self.layout()
        assert stack_layout is not None  # a QStackedWidget always has its QStackedLayout
        stack_layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.currentChanged.connect(lambda _: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()


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
        self.i18n = translator or Translator()
        self.theme = theme or Theme()
        self.ops = gui_lanes(self)
        self._reservation_wait: object | None = None  # the 転入予約 lookup the card read awaits
        self.screens: dict[Step, Screen] = {}
        self._shown_step: Step | None = None
        self._overlay: Screen | None = None
        self._scanner_lost: ScannerLostError | None = None  # not yet shown to the resident
        self._alerted: set[int] = set()  # ids of errors already sent to the reception
        self._closed = False
        self.calls = 0  # 職員を呼ぶ presses this session (shown as "called")
        self.voice_guidance = False  # read each screen aloud as it opens
        self._spoken_screen: tuple[Any, ...] | None = None  # what guidance read last
        self._speech_generation = 0  # a wipe moves it on: queued speech is dropped
        self._last_focus: QWidget | None = None  # on a screen, before 読み上げ was pressed

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

    # ---- building ------------------------------------------------------------------------

    def _build_frame(self) -> None:
        """Top bar, countdown, the screens' stack, the keyboards' dock."""
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.top_bar = QWidget()
        self._top = QHBoxLayout(self.top_bar)
        self._top.setContentsMargins(8, 8, 8, 4)
        outer.addWidget(self.top_bar)
        self.display_bar = QWidget()
        self._display = QHBoxLayout(self.display_bar)
        self._display.setContentsMargins(8, 0, 8, 4)
        outer.addWidget(self.display_bar)
        self.countdown = BiLabel(role="countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.hide()
        outer.addWidget(self.countdown)
        self.stack = CurrentPageStack()
        outer.addWidget(self.stack, 1)
        self.keyboards = QWidget()
        self._keyboards = QVBoxLayout(self.keyboards)
        self._keyboards.setContentsMargins(8, 0, 8, 8)
        outer.addWidget(self.keyboards)
        self.setCentralWidget(central)

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

    def _build_top_bar(self) -> None:
        while self._top.count():
            item = self._top.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()
                old.setParent(None)
                old.deleteLater()
        tr = self.i18n
        self.setWindowTitle(tr.both("app.title"))
        self.staff_corner = self._make_staff_corner()
        self._make_language_button()
        self.bigger_button = BiButton(tr.pair("common.bigger"), role="secondary", checkable=True)
        self.bigger_button.setChecked(self.theme.bigger_text)
        self.bigger_button.toggled.connect(self.set_bigger_text)
        self.contrast_button = BiButton(
            tr.pair("common.contrast"), role="secondary", checkable=True
        )
        self.contrast_button.setChecked(self.theme.high_contrast)
        self.contrast_button.toggled.connect(self.set_high_contrast)
        self.furigana_button = BiButton(
            tr.pair("common.furigana"), role="secondary", checkable=True
        )
        self.furigana_button.setChecked(self.theme.furigana)
        self.furigana_button.toggled.connect(self.set_furigana)
        self.back_button = BiButton(tr.pair("common.back"), role="secondary")
        self.back_button.clicked.connect(self._back)
        self._make_speech_buttons()
        self.call_button = BiButton(tr.pair("common.call_staff"), role="help")
        self.call_button.clicked.connect(self.call_staff)
        self.cancel_button = BiButton(tr.pair("common.cancel"), role="stop")
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.staff_button = BiButton(tr.pair("staff.lock"), role="secondary")
        self.staff_button.clicked.connect(self._staff_clicked)
        # 表示: the display settings, a second row (open on the welcome screen).
        self.display_button = BiButton(tr.pair("common.display"), role="secondary", checkable=True)
        self.display_button.toggled.connect(self._show_display_bar)
        self._top.addWidget(self.staff_corner)
        self._top.addWidget(self.display_button)
        self._top.addWidget(self.language_button)
        self._top.addWidget(self.read_button)
        self._top.addStretch(1)
        for button in (self.staff_button, self.back_button, self.call_button, self.cancel_button):
            self._top.addWidget(button)
        # Ten languages in one row at 1280 px with bigger text: the chrome's buttons keep
        # narrow sides (their words are short; the screens' own buttons keep wide ones).
        for button in self.top_bar.findChildren(BiButton):
            button.box.setContentsMargins(4, 4, 4, 4)
        while self._display.count():
            item = self._display.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()
                old.setParent(None)
                old.deleteLater()
        for button in (
            self.bigger_button,
            self.contrast_button,
            self.furigana_button,
            self.guidance_button,
        ):
            self._display.addWidget(button)
        self._display.addStretch(1)
        self.display_button.setChecked(self.display_bar.isVisibleTo(self))

    def _make_language_button(self) -> None:
        # ことば opens the chooser; its face names "language" in the lead language and in
        # English (in Japanese when English leads), so a resident lost in a language they do
        # not read still finds it.
        beside = self.i18n.only("ja" if self.i18n.language == "en" else "en")("language.button")
        lead = self.i18n("language.button")
        self.language_button = BiButton(
            Pair(lead, "" if beside == lead else beside), role="secondary"
        )
        self.language_button.clicked.connect(self.open_language_chooser)

    def _make_speech_buttons(self) -> None:
        # 読み上げ: a tap does not take the focus, so it reads the item the resident was on.
        self.read_button = BiButton(self.i18n.pair("speech.read_aloud"), role="secondary")
        self.read_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.read_button.clicked.connect(self.read_aloud)
        self.guidance_button = BiButton(
            self.i18n.pair("speech.guidance"), role="secondary", checkable=True
        )
        self.guidance_button.setChecked(self.voice_guidance)
        self.guidance_button.toggled.connect(self.set_voice_guidance)

    def _make_staff_corner(self) -> QPushButton:
        """The corner staff hold: no face, no place in the tab order; a resident never needs
        it, and a touch by chance opens nothing (it takes three seconds)."""
        corner = QPushButton()
        corner.setProperty("role", "corner")
        corner.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        corner.setAccessibleName(self.i18n.both("staff.corner"))
        corner.pressed.connect(self._staff_hold.start)
        corner.released.connect(self._staff_hold.stop)
        return corner

    def _show_display_bar(self, on: bool) -> None:
        self.display_bar.setVisible(on)
        if self.display_button.isChecked() != on:
            self.display_button.setChecked(on)

    def _build_keyboards(self) -> None:
        """The 50音 keyboard and the virtual keyboard (its Qt Quick part loads on first use)."""
        old = getattr(self, "_kana", None)
        if old is not None:
            self._keyboards.removeWidget(old)
            old.deleteLater()
        self._kana: KanaKeyboard | None = None  # made when a フリガナ field first asks
        if getattr(self, "virtual_keyboard", None) is None:
            # One for the window's life: Qt Virtual Keyboard's input context holds on to the
            # panel it first met, so a language switch retranslates it, never replaces it.
            self.virtual_keyboard = VirtualKeyboard(self.i18n)
            self._keyboards.addWidget(self.virtual_keyboard)
        else:
            self.virtual_keyboard.retranslate(self.i18n)
        self.virtual_keyboard.set_language(self.i18n.language)

    @property
    def kana_keyboard(self) -> KanaKeyboard:
        """The 50音 keyboard, made on first use (sixty keys the welcome screen need not wait
        for)."""
        if self._kana is None:
            self._kana = KanaKeyboard(self.i18n)
            self._kana.closed.connect(self._kana.hide)
            self._kana.hide()
            self._keyboards.insertWidget(0, self._kana)
        return self._kana

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

    def _update_top_bar(self) -> None:
        step = self.flow.step
        self.cancel_button.setVisible(step not in NO_CANCEL_STEPS)
        self.back_button.setVisible(
            self.flow.can_go_back() and step not in (Step.PROCEDURES, Step.REVIEW)
        )
        self.staff_button.setVisible(self.flow.mode is Mode.STAFF)
        self.call_button.set_pair(
            self.i18n.pair("common.staff_called" if self.calls else "common.call_staff")
        )
        QTimer.singleShot(0, self, self._refit_bars)

    def _refit_bars(self) -> None:
        """The chrome's rows as high as their tallest button asks, once the style sheet has
        reached the buttons' lines (bigger text; a script whose fallback font is taller than
        the Japanese one): never squeezed by the screen below, which gives way instead."""
        for bar, layout in ((self.top_bar, self._top), (self.display_bar, self._display)):
            heights = [
                button.sizeHint().height()
                for button in bar.findChildren(QPushButton)
                if button.isVisibleTo(bar)
            ]
            margins = layout.contentsMargins()
            bar.setFixedHeight(max(heights, default=0) + margins.top() + margins.bottom())

    def _warm_up(self) -> None:
        """Load what the QR and confirm lanes need, on their threads, after the first paint."""
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

    # ---- keyboards -----------------------------------------------------------------------

    def show_keyboard_for(self, edit: QLineEdit) -> bool:
        """The keyboard that fits `edit`: 50音 for フリガナ, else the virtual keyboard."""
        edit.setFocus()
        if edit.property("keyboard") == "kana":
            self.virtual_keyboard.hide()
            self.kana_keyboard.set_target(edit)
            self.kana_keyboard.show()
            shown = True
        else:
            if self._kana is not None:
                self._kana.hide()
            shown = self.virtual_keyboard.show_keyboard()
        if shown:
            QTimer.singleShot(0, self, lambda: self._keep_visible(edit))
        return shown

    def show_kana_keyboard(self, target: QLineEdit) -> None:
        target.setProperty("keyboard", "kana")
        self.show_keyboard_for(target)

    def hide_keyboards(self) -> None:
        if self._kana is not None:
            self._kana.hide()
        if self.virtual_keyboard.isVisible():
            QGuiApplication.inputMethod().hide()
            self.virtual_keyboard.hide()

    def _load_keyboard(self) -> None:
        """Load the virtual keyboard as the review opens (not at start-up): Qt Virtual
        Keyboard set up after a field without an input method had the focus (a フリガナ field
        on the 50音 keyboard) stays on the "C" locale, without Japanese."""
        try:
            self.virtual_keyboard.ensure_loaded()
        except KeyboardUnavailable as exc:
            log.warning("virtual keyboard unavailable: %s", exc)

    def _keep_visible(self, edit: QLineEdit) -> None:
        """The field stays in sight above the keyboard (its page scrolls to it)."""
        scroll = getattr(self.stack.currentWidget(), "scroll", None)
        if isinstance(scroll, QScrollArea) and scroll.isAncestorOf(edit):
            scroll.ensureWidgetVisible(edit, 50, 50)

    def _focus_moved(self, widget: QWidget) -> None:
        """Focus on another control of the screen puts the keyboards away."""
        if widget.property("keyboard") or not self.stack.isAncestorOf(widget):
            return
        if self.keyboards.isAncestorOf(widget):
            return
        self.hide_keyboards()

    def _input_method_visibility(self) -> None:
        """The virtual keyboard's own "hide" key: put its dock away too."""
        if not QGuiApplication.inputMethod().isVisible() and self.virtual_keyboard.loaded:
            self.virtual_keyboard.hide()

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
        self._rebuild_keep_state()

    def set_bigger_text(self, on: bool) -> None:
        self.theme.bigger_text = on
        apply_theme(self, self.theme, self.i18n.language)
        QTimer.singleShot(0, self, self._refit_bars)

    def set_high_contrast(self, on: bool) -> None:
        self.theme.high_contrast = on
        apply_theme(self, self.theme, self.i18n.language)

    def set_furigana(self, on: bool) -> None:
        """Ruby over the kanji of headings and item labels (the screens are drawn again)."""
        self.theme.furigana = on
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

    # ---- 読み上げ and voice guidance --------------------------------------------------------

    def current_screen(self) -> Screen:
        return self._overlay if self._overlay is not None else self.step_screen(self.flow.step)

    def _focused_on(self, screen: Screen) -> QWidget | None:
        focused = QApplication.focusWidget()
        if focused is not None and screen.isAncestorOf(focused):
            return focused
        last = self._last_focus
        if last is not None and shiboken6.isValid(last) and screen.isAncestorOf(last):
            return last
        return None

    def speech_request(self, *, focused: bool = True) -> SpeechRequest:
        """What 読み上げ reads now: the screen's instruction, then the focused item."""
        from devices.speech.request import SpeechRequest

        screen = self.current_screen()
        item = screen.spoken_item(self._focused_on(screen)) if focused else None
        return SpeechRequest(
            self.i18n.language, screen.instruction().lead, (item,) if item is not None else ()
        )

    def read_aloud(self) -> None:
        self._speak(self.speech_request())

    def set_voice_guidance(self, on: bool) -> None:
        self.voice_guidance = on
        if self.guidance_button.isChecked() != on:
            self.guidance_button.setChecked(on)
        self._spoken_screen = None
        if on:
            self._guide_aloud(self.current_screen())

    def _guide_aloud(self, screen: Screen) -> None:
        """Voice guidance: read a screen (or a review page, or a panel) once as it opens."""
        if not self.voice_guidance:
            return
        from devices.speech.request import SpeechRequest

        instruction = screen.instruction().lead
        key = (type(screen).__name__, self.flow.step, instruction, self.i18n.language)
        if key == self._spoken_screen:
            return
        self._spoken_screen = key
        self._speak(SpeechRequest(self.i18n.language, instruction))

    def _speak(self, request: SpeechRequest) -> None:
        """On the speech lane; dropped if a wipe came before its turn."""
        from devices.speech.errors import SecretInSpeech

        speech = self.services.speech
        try:
            if speech is None or not request.text():
                return
        except SecretInSpeech:  # twelve digits in a row: never read, whatever they are
            log.warning("speech refused: a secret in the text")
            return
        generation = self._speech_generation

        def job() -> None:
            if generation == self._speech_generation:
                speech.say(request)

        self.ops.run(
            "speech",
            job,
            on_success=lambda _: None,
            on_failure=lambda e: log.warning("speech failed: %s", e.code),
        )

    # ---- overlays: staff PIN, start over?, staff called ------------------------------------

    def open_overlay(self, panel: Screen) -> None:
        if self._overlay is not None:
            self.close_overlay()
        self.hide_keyboards()
        self._overlay = panel
        self.stack.addWidget(panel)
        self.stack.setCurrentWidget(panel)
        panel.entered()
        self._update_top_bar()
        self._guide_aloud(panel)

    def close_overlay(self) -> None:
        if self._overlay is not None:
            overlay, self._overlay = self._overlay, None
            self.stack.removeWidget(overlay)
            overlay.deleteLater()
        screen = self.step_screen(self.flow.step)
        if self._shown_step is not self.flow.step:  # the flow moved on meanwhile
            self._shown_step = self.flow.step
            self.stack.setCurrentWidget(screen)
            screen.entered()
        self.stack.setCurrentWidget(screen)
        screen.refresh()
        self._update_top_bar()
        self._guide_aloud(screen)

    @property
    def overlay(self) -> Screen | None:
        return self._overlay

    def _staff_clicked(self) -> None:
        if self.flow.mode is Mode.STAFF:
            self.flow.leave_staff_mode()
            return
        self._open_staff_unlock()

    def _open_staff_unlock(self) -> None:
        self.open_overlay(StaffUnlockScreen(self))

    def close_staff_unlock(self) -> None:
        self.close_overlay()

    def unlock_staff(self, pin: str) -> Pair | None:
        try:
            self.flow.enter_staff_mode(pin)
        except MadoguchiError as exc:
            return self.i18n.error_pair(exc)
        self.close_staff_unlock()
        return None

    def ask_cancel(self) -> None:
        """中止: ask first (everything entered would go). Never while printing."""
        if self.flow.step in NO_CANCEL_STEPS:
            return
        self.open_overlay(CancelConfirmScreen(self))

    def confirm_cancel(self) -> None:
        self.close_overlay()
        if self.flow.step not in NO_CANCEL_STEPS:
            self.flow.cancel()

    # ---- 職員を呼ぶ -------------------------------------------------------------------------

    def call_staff(self) -> None:
        """An alert to the reception (kept while the back office is down), and a panel that
        tells the resident help is coming. The current error's detail goes with it."""
        flow = self.flow
        error = flow.error.error if flow.step is Step.ERROR and flow.error else None
        detail = technical_detail(error) if error is not None else ""
        self.calls += 1
        panel = CallStaffScreen(self)
        self.open_overlay(panel)
        self._raise_alert("call_staff", detail, panel)

    def _raise_alert(self, kind: str, detail: str, panel: CallStaffScreen | None = None) -> None:
        desk = self.services.desk
        if desk is None:
            if panel is not None:
                panel.show_queued(True)
            log.warning("no counter desk: alert %s not sent", kind)
            return
        step = self.flow.step.value
        pending = getattr(desk, "pending", None)

        def job() -> int:
            desk.raise_alert(kind, step=step, detail=detail)
            return pending() if pending is not None else 0

        def done(left: Any) -> None:
            if panel is not None and panel is self._overlay:
                panel.show_queued(bool(left))

        self.ops.run("desk", job, on_success=done, on_failure=lambda e: done(1))

    def _alert_machine_trouble(self) -> None:
        """A machine's fault (printer, reader, network…) reaches the reception by itself."""
        flow = self.flow
        if flow.step is not Step.ERROR or flow.error is None:
            return
        error = flow.error.error
        trouble = trouble_of(error)
        if not trouble.technical or id(error) in self._alerted or trouble.alert_kind is None:
            return
        self._alerted.add(id(error))
        self._raise_alert(trouble.alert_kind, technical_detail(error))

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
            on_success=self._guard(self._card_was_read),
            on_failure=self._guard(self.flow.card_failed),
        )

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
        self.ops.follow(
            "card",
            card.licence_tries(),
            timeout_s=TRIES_TIMEOUT_S,
            on_timeout=lambda: CardTimeoutError("tries"),
            on_success=self._guard(self.flow.domicile_tries_read),
            on_failure=self._guard(self.flow.domicile_failed),
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
        self.ops.follow(
            "card",
            future,
            timeout_s=CARD_TIMEOUT_S,
            on_timeout=lambda: CardTimeoutError("read"),
            on_success=self._guard(self.flow.domicile_read),
            on_failure=self._guard(self.flow.domicile_failed),
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

    # ---- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self._closed = True
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
