"""Done: the call number, large, where to go for each procedure, and what to do next.

The number is the short one the call board shows ("A-023", from the back office or, offline,
from this kiosk's own letter). Without one (a kiosk with no counter desk) the reception
number takes its place.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, InlineBiLabel, mark_data
from kiosk.gui.widgets.controls import make_label
from kiosk.i18n import Pair, Translator
from kiosk.ports import Destination


class DoneScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "done.title")
        tr = self.i18n
        # The number beside what it is, both languages in one paragraph (not a line each):
        # the screen fits 800 px in every language with bigger text.
        row = QHBoxLayout()
        self.number_label = self.text(tr.pair("done.call_number"), inline=True)
        row.addWidget(self.number_label, 1)
        self.number = mark_data(make_label("", role="number", wrap=False))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.number, 1)
        self.layout_.addLayout(row)
        self.go_to = self.text(tr.pair("done.go_to"), inline=True)
        self.layout_.addWidget(self.go_to)
        self.places = QWidget()
        self._places = QVBoxLayout(self.places)
        self._places.setContentsMargins(32, 0, 0, 0)
        self.layout_.addWidget(self.places)
        self.layout_.addWidget(self.text(tr.pair("done.lead"), inline=True))
        self.reception = InlineBiLabel(role="hint")
        self.layout_.addWidget(self.reception)
        self.layout_.addStretch(1)
        self.finish_button = BiButton(tr.pair("done.finish"), role="go")
        self.finish_button.clicked.connect(self.flow.finish)
        self.layout_.addWidget(self.finish_button)
        self.destinations: list[InlineBiLabel] = []

    def refresh(self) -> None:
        tr = self.i18n
        confirmation = self.flow.confirmation
        while self._places.count():
            item = self._places.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        self.destinations = []
        if confirmation is None:
            self.number.setText("")
            return
        call = confirmation.call_number
        self.number.setText(call or confirmation.reception_number)
        self.number_label.set_pair(tr.pair("done.call_number" if call else "done.number"))
        self.number.setAccessibleName(self.number_label.pair.joined())
        for place in confirmation.destinations:
            line = _counter_pair(tr, place)
            label = InlineBiLabel(line, role="field-label")  # one line each: several fit
            self.destinations.append(label)
            self._places.addWidget(label)
        self.go_to.setVisible(bool(confirmation.destinations))
        self.reception.set_pair(
            tr.pair("done.reception", number=confirmation.reception_number) if call else Pair("")
        )
        self.reception.setVisible(bool(call))

    def entered(self) -> None:
        self.refresh()
        self.finish_button.setFocus()


def _counter_pair(tr: Translator, place: Destination) -> Pair:
    """Which counter to go to, in both languages."""
    return tr.pair_of(
        lambda t: t(
            "done.counter",
            counter=place.counter,
            section=place.section.ja
            if t.language in ("ja", "ja-easy")
            else place.section.en or place.section.ja,
        )
    )
