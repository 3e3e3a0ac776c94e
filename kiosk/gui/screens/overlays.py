"""Panels over the current screen that are not flow steps: "start over?", "staff are
coming" and the language chooser. Each is a `Screen` the window stacks over the step's screen and takes away again,
so the resident's step and entries are untouched underneath."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton
from kiosk.gui.widgets.language_chooser import LanguageChooser


class CancelConfirmScreen(Screen):
    """中止 asks first: everything entered would be gone."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "cancel.title")
        tr = self.i18n
        self.layout_.addWidget(self.text(tr.pair("cancel.lead")))
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        self.keep_button = BiButton(tr.pair("cancel.keep"), role="go")
        self.keep_button.clicked.connect(controller.close_overlay)
        self.cancel_button = BiButton(tr.pair("cancel.confirm"), role="stop")
        self.cancel_button.clicked.connect(controller.confirm_cancel)
        row.addWidget(self.keep_button, 1)
        row.addWidget(self.cancel_button, 1)
        self.layout_.addLayout(row)

    def entered(self) -> None:
        self.keep_button.setFocus()  # the safe answer is the one under the finger


class CallStaffScreen(Screen):
    """職員を呼ぶ was pressed: help is coming; wait here (or go on meanwhile)."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "call.title")
        tr = self.i18n
        self.lead = self.text(tr.pair("call.lead"))
        self.layout_.addWidget(self.lead)
        self.queued = self.text(tr.pair("call.queued"), role="hint")
        self.queued.hide()
        self.layout_.addWidget(self.queued)
        self.layout_.addStretch(1)
        self.close_button = BiButton(tr.pair("call.close"), role="secondary")
        self.close_button.clicked.connect(controller.close_overlay)
        self.layout_.addWidget(self.close_button)

    def entered(self) -> None:
        self.close_button.setFocus()

    def show_queued(self, queued: bool) -> None:
        """The back office could not be told yet: the kiosk keeps trying."""
        self.queued.setVisible(queued)


class LanguageScreen(Screen):
    """The top bar's ことば button: the welcome screen's chooser, over any screen. Choosing
    redraws every screen in the new language with every entry kept; 戻る changes nothing."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "language.choose")
        self.languages = LanguageChooser(self.i18n.language)
        self.languages.chosen.connect(controller.set_language)
        self.layout_.addWidget(self.languages)
        self.layout_.addStretch(1)
        self.close_button = BiButton(self.i18n.pair("common.back"), role="secondary")
        self.close_button.clicked.connect(controller.close_overlay)
        self.layout_.addWidget(self.close_button)

    def entered(self) -> None:
        self.languages.focus_current()
