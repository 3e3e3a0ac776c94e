"""What every screen shares: the controller it talks to, a title, and `refresh()`.

Every text of a screen is shown in the lead language with the second one beside it
(`kiosk.gui.widgets.bilingual`); the language toggle rebuilds the screens with the other lead.
With furigana on (やさしい日本語 turns them on), a screen's heading and its instructions (the
labels it builds with `Screen.text`) carry ruby over their kanji (`RubyLabel`), as the
review's headings and item labels do; texts that change while shown, the resident's data and
the form's own values do not.

A screen holds no state of its own that outlives a wipe: the window destroys and rebuilds
every screen then, and each screen draws itself from the flow (`refresh`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QAbstractButton, QLineEdit, QVBoxLayout, QWidget

from kiosk.gui.widgets.bilingual import BiButton, BiLabel, InlineBiLabel

if TYPE_CHECKING:
    from devices.speech.request import SpeechItem
    from kiosk.flow import KioskFlow
    from kiosk.gui.theme import Theme
    from kiosk.i18n import Pair, Translator


class Controller(Protocol):
    """The window, as the screens see it: the flow, the language, and background actions."""

    flow: KioskFlow
    i18n: Translator
    theme: Theme

    def query_card_tries(self) -> None: ...
    def read_card(self, pin: bytearray) -> None: ...
    def query_licence_tries(self) -> None: ...
    def read_domicile(self, pin1: bytearray, pin2: bytearray) -> None: ...
    def decode_qr_digits(self, digits: str) -> None: ...
    def decode_qr_frame(self, image: bytes) -> None: ...
    def submit(self) -> None: ...
    def start_print(self) -> None: ...
    def busy(self, lane: str) -> bool: ...
    def show_kana_keyboard(self, target: QLineEdit) -> None: ...
    def show_keyboard_for(self, edit: QLineEdit) -> bool: ...
    def unlock_staff(self, pin: str) -> Pair | None: ...
    def close_staff_unlock(self) -> None: ...
    def close_overlay(self) -> None: ...
    def set_language(self, code: str) -> None: ...
    def confirm_cancel(self) -> None: ...
    def call_staff(self) -> None: ...
    def report(self, error: Exception) -> None: ...
    def make_camera_view(self) -> QWidget | None: ...


class ScreenClass(Protocol):
    """A screen's class as the window calls it: built from the controller alone (each screen
    gives `Screen` its own title)."""

    def __call__(self, controller: Controller) -> Screen: ...


class Screen(QWidget):
    def __init__(self, controller: Controller, title_id: str) -> None:
        super().__init__()
        self.c = controller
        self.flow = controller.flow
        self.i18n = controller.i18n
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(32, 8, 32, 8)
        self.layout_.setSpacing(8)
        self.title = self.text(self.i18n.pair(title_id), role="title")
        self.layout_.addWidget(self.title)
        self.setAccessibleName(self.i18n.both(title_id))

    @property
    def furigana(self) -> bool:
        """Ruby over the kanji of headings and instructions: furigana on, Japanese leading."""
        theme = getattr(self.c, "theme", None)
        return bool(theme is not None and theme.furigana) and self.i18n.language in (
            "ja",
            "ja-easy",
        )

    def text(
        self, pair: Pair, *, role: str | None = None, inline: bool = False
    ) -> BiLabel | InlineBiLabel:
        """A heading or an instruction of this screen: with furigana on and a kanji in it, a
        `RubyLabel`; otherwise a `BiLabel` (the second language on a line of its own) or, with
        `inline`, an `InlineBiLabel`."""
        if self.furigana:
            from forms.furigana import has_kanji, ruby
            from kiosk.gui.widgets.ruby import RubyLabel

            if has_kanji(pair.lead):
                return RubyLabel(pair, ruby(pair.lead), role=role)
        return InlineBiLabel(pair, role=role) if inline else BiLabel(pair, role=role)

    def instruction(self) -> Pair:
        """What this screen asks of the resident, in both languages: for read-aloud (a
        screen reads its heading by default; one that asks more says so)."""
        return self.title.pair

    # Read-aloud reads the focused item after the instruction; False on a screen where what
    # has the focus may give a secret away (the PIN pad: even which key is focused).
    reads_focus = True

    def spoken_item(self, widget: QWidget | None) -> SpeechItem | None:
        """The focused control, as read-aloud reads it: a button's words, a field's name.
        Never a value here (a screen that shows the resident's values says which may be
        read: the review), never anything inside a widget marked `secret` or a masked
        field."""
        from devices.speech.request import SpeechItem  # not before the first read-aloud

        if not self.reads_focus or widget is None or not self.isAncestorOf(widget):
            return None
        if is_secret(widget, self):
            return None
        if isinstance(widget, BiButton):
            return SpeechItem(widget.pair.lead) if widget.pair.lead else None
        if isinstance(widget, QAbstractButton | QLineEdit):
            name = widget.accessibleName() or (
                widget.text() if isinstance(widget, QAbstractButton) else ""
            )
            return SpeechItem(name) if name else None
        return None

    def refresh(self) -> None:
        """Draw the flow's current state (called on every change while shown)."""

    def entered(self) -> None:
        """The flow has just arrived at this screen's step."""

    def keep(self) -> Any:
        """What the resident did here that the flow does not hold yet (the procedures ticked,
        the strokes of a signature), for `restore` on the screen rebuilt after a language
        switch. Never a PIN: a switch clears the pad."""
        return None

    def restore(self, kept: Any) -> None:
        """Take back what `keep` returned on the screen this one replaces."""


def is_secret(widget: QWidget, root: QWidget) -> bool:
    """`widget` is, or is inside, a control whose content is never spoken (up to `root`)."""
    current: QWidget | None = widget
    while current is not None and current is not root:
        if current.property("secret"):
            return True
        if isinstance(current, QLineEdit) and current.echoMode() != QLineEdit.EchoMode.Normal:
            return True
        current = current.parentWidget()
    return False
