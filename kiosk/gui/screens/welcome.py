"""Welcome: what the kiosk does, the language chooser (the ten languages, each in its own
script), and one big button. Staff see the measurement totals here."""

from __future__ import annotations

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.language_chooser import LanguageChooser
from sync.protocol import Mode


class WelcomeScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "welcome.title")
        self.layout_.addWidget(self.text(self.i18n.pair("welcome.lead")))
        self.layout_.addStretch(1)
        self.choose_label = self.text(self.i18n.pair("language.choose"), role="hint", inline=True)
        self.layout_.addWidget(self.choose_label)
        self.languages = LanguageChooser(self.i18n.language)
        self.languages.chosen.connect(controller.set_language)
        self.layout_.addWidget(self.languages)
        self.layout_.addStretch(1)
        self.start_button = BiButton(self.i18n.pair("welcome.start"), role="go")
        self.start_button.clicked.connect(self.flow.start)
        self.layout_.addWidget(self.start_button)
        self.totals = BiLabel()
        self.layout_.addWidget(self.totals)
        self.layout_.addStretch(1)

    def refresh(self) -> None:
        staff = self.flow.mode is Mode.STAFF
        self.totals.setVisible(staff)
        if staff:
            t = self.flow.metrics_log.totals()
            self.totals.set_pair(
                self.i18n.pair(
                    "staff.totals",
                    sessions=t.sessions,
                    typed=t.typed_chars,
                    prefilled=t.prefilled_chars,
                    share=t.prefilled_share,
                )
            )

    def entered(self) -> None:
        self.start_button.setFocus()
