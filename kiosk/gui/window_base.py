"""What the kiosk window's parts share: the window's state, and, for the type checker, the
methods a part calls of a part built on top of it.

`KioskWindow` (`kiosk.gui.app`) is one QMainWindow built from parts, each a module of its
own, each a class on top of the one before:

    WindowBase          the state (this module)
    WindowChrome        the top bar, the display row, the countdown, the screens' stack
    KeyboardDock        the 50音 keyboard and the virtual keyboard
    ReadAloud           読み上げ and voice guidance
    OverlayHost         panels over the screens: staff PIN, start over?, the language chooser
    ReceptionAlerts     職員を呼ぶ, and a machine's faults sent to the reception
    BackgroundActions   card, scanner, QR, confirm, print on their lanes
    KioskWindow         the window's life: building, the flow's changes, wipes, closing

A chain, not mixins beside each other: PySide6 crashes painting a window whose Python classes
meet again above one Qt class (a diamond over QMainWindow).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow import KioskFlow, Step
from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.theme import Theme
from kiosk.gui.wedge_filter import WedgeKeyFilter
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.kana_keyboard import KanaKeyboard
from kiosk.gui.widgets.virtual_keyboard import VirtualKeyboard
from kiosk.i18n import Translator
from kiosk.ports import KioskServices

if TYPE_CHECKING:
    from collections.abc import Sequence

    from devices.lanes import Lanes
    from kiosk.gui.background_actions import ScannerLostError
    from kiosk.gui.qt_voice import QtVoices

# No 中止 here: nothing to cancel yet, or the papers are printing, or it is done.
NO_CANCEL_STEPS = (Step.WELCOME, Step.PRINT, Step.DONE)


if TYPE_CHECKING:

    class _Window(QMainWindow, Controller):
        """For the type checker: the window is what the screens call their controller."""

else:
    _Window = QMainWindow


class WindowBase(_Window):
    """The kiosk window's state (set in `KioskWindow.__init__` and by the part that builds
    each widget)."""

    flow: KioskFlow
    services: KioskServices
    i18n: Translator
    theme: Theme
    ops: Lanes
    screens: dict[Step, Screen]
    wedge: WedgeKeyFilter
    _shown_step: Step | None
    _overlay: Screen | None
    _scanner_lost: ScannerLostError | None  # not yet shown to the resident
    _alerted: set[int]  # ids of errors already sent to the reception
    _reservation_wait: object | None  # the 転入予約 lookup the card read awaits
    _closed: bool
    calls: int  # 職員を呼ぶ presses this session (shown as "called")
    voice_guidance: bool  # read each screen aloud as it opens
    _spoken_screen: tuple[Any, ...] | None  # what guidance read last
    _speech_generation: int  # a wipe moves it on: queued speech is dropped
    _qt_voices: QtVoices | None  # the platform's Qt voices, once asked for (kiosk.gui.qt_voice)
    _qt_speech_engines: Sequence[str] | None  # the Qt engines to ask; None: the default
    _last_focus: QWidget | None  # on a screen, before 読み上げ was pressed
    _staff_hold: QTimer
    _scanner_poll: QTimer
    # built by the chrome (kiosk.gui.chrome) and the keyboards' dock (kiosk.gui.keyboard_dock)
    top_bar: QWidget
    _top: QHBoxLayout
    display_bar: QWidget
    _display: QHBoxLayout
    countdown: BiLabel
    stack: QStackedWidget  # a CurrentPageStack (kiosk.gui.chrome)
    keyboards: QWidget
    _keyboards: QVBoxLayout
    guidance_button: BiButton
    virtual_keyboard: VirtualKeyboard
    _kana: KanaKeyboard | None

    if TYPE_CHECKING:
        # What one part calls of another, besides what the screens call (`Controller`, which
        # the window's type takes on below); each defined once, in the part named.

        # kiosk.gui.app
        def step_screen(self, step: Step) -> Screen: ...
        def set_furigana(self, on: bool) -> None: ...
        def open_language_chooser(self) -> None: ...
        def _back(self) -> None: ...

        # kiosk.gui.chrome
        def _update_top_bar(self) -> None: ...

        # kiosk.gui.keyboard_dock
        def hide_keyboards(self) -> None: ...

        # kiosk.gui.read_aloud
        def read_aloud(self) -> None: ...
        def set_voice_guidance(self, on: bool) -> None: ...
        def silence(self) -> None: ...
        def _discover_voices(self) -> None: ...
        def _guide_aloud(self, screen: Screen) -> None: ...

        # kiosk.gui.overlay_host
        def open_overlay(self, panel: Screen) -> None: ...
        def ask_cancel(self) -> None: ...
        def _staff_clicked(self) -> None: ...
