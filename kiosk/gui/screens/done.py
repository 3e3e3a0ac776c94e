"""Done: the reception number, large, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel, mark_data
from kiosk.gui.widgets.controls import make_label


class DoneScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "done.title")
        tr = self.tr
        self.layout_.addWidget(BiLabel(tr.pair("done.number")))
        self.number = mark_data(make_label("", role="number"))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.number)
        self.layout_.addWidget(BiLabel(tr.pair("done.lead")))
        self.layout_.addStretch(1)
        self.finish_button = BiButton(tr.pair("done.finish"))
        self.finish_button.clicked.connect(self.flow.finish)
        self.layout_.addWidget(self.finish_button)

    def refresh(self) -> None:
        confirmation = self.flow.confirmation
        self.number.setText(confirmation.reception_number if confirmation else "")
        self.number.setAccessibleName(self.tr.both("done.number"))

    def entered(self) -> None:
        self.refresh()
        self.finish_button.setFocus()
