"""The kiosk window's chrome: the top bar (ことば, 表示, 読み上げ, back, 職員を呼ぶ, 中止), the
display settings' row (bigger text, high contrast, furigana, voice guidance), the countdown,
and the stack the screens are shown in. The chrome's rows are as high as their tallest
button, never squeezed by the screen below."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow import Step
from kiosk.gui.theme import apply_theme
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.window_base import NO_CANCEL_STEPS, WindowBase
from kiosk.i18n import Pair
from sync.protocol import Mode


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


def _empty(layout: QLayout) -> None:
    """Take every widget out of `layout` and delete it (the bar is built again)."""
    while layout.count():
        item = layout.takeAt(0)
        old = item.widget() if item is not None else None
        if old is not None:
            old.hide()
            old.setParent(None)
            old.deleteLater()


class WindowChrome(WindowBase):
    """The top bar and everything around the screens."""

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

    def _build_top_bar(self) -> None:
        _empty(self._top)
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
        _empty(self._display)
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
            Pair(lead, "" if beside == lead else beside, ruby=self.i18n.ruby), role="secondary"
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

    def set_bigger_text(self, on: bool) -> None:
        self.theme.bigger_text = on
        apply_theme(self, self.theme, self.i18n.language)
        QTimer.singleShot(0, self, self._refit_bars)

    def set_high_contrast(self, on: bool) -> None:
        self.theme.high_contrast = on
        apply_theme(self, self.theme, self.i18n.language)
