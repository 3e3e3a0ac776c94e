"""Choose procedures or a life event (引越し…), each with its fee; the total below."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from kiosk.screens.base import Controller, Screen
from kiosk.widgets.controls import make_button, make_label


class ProceduresScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "procedures.title")
        tr = self.tr
        self.buttons: dict[str, QPushButton] = {}
        self._fees: dict[str, int] = {}
        procedures = self.flow.procedures()
        for is_bundle, heading in ((True, "procedures.events"), (False, "procedures.forms")):
            group = [p for p in procedures if p.is_bundle is is_bundle]
            if not group:
                continue
            self.layout_.addWidget(make_label(tr(heading)))
            for p in group:
                text = f"{tr.text(p.title)}　{tr('procedures.fee', fee=tr.yen(p.fee_yen))}"
                button = make_button(text, checkable=True, role="choice")
                button.toggled.connect(self._update_total)
                self.buttons[p.id] = button
                self._fees[p.id] = p.fee_yen
                self.layout_.addWidget(button)
        self.total = make_label("")
        self.layout_.addWidget(self.total)
        self.layout_.addStretch(1)
        self.next_button = make_button(tr("common.next"))
        self.next_button.clicked.connect(self._next)
        self.layout_.addWidget(self.next_button)
        self._update_total()

    def chosen(self) -> list[str]:
        return [pid for pid, b in self.buttons.items() if b.isChecked()]

    def _update_total(self) -> None:
        self.flow.touch()
        ids = self.chosen()
        self.next_button.setEnabled(bool(ids))
        self.total.setText(self.tr("procedures.total", fee=self.tr.yen(self._total(ids))))

    def _total(self, ids: list[str]) -> int:
        templates: dict[str, int] = {}
        for p in self.flow.procedures():
            if p.id in ids:
                for t in p.template_ids:
                    templates[t] = self.flow.catalog.get(t).fee_yen or 0
        return sum(templates.values())

    def _next(self) -> None:
        self.flow.choose(self.chosen())

    def entered(self) -> None:
        first = next(iter(self.buttons.values()), None)
        if first is not None:
            first.setFocus()
