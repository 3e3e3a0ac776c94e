"""Choose procedures or a life event (引越し…), each with its fee; the total below.

A life event's optional forms (印鑑登録 when moving in) are a toggle right under the event
(「印鑑登録もする」), not a separate tick among the single forms: turning it on also chooses
the event, turning the event off turns it off. Shared items are asked once either way.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from kiosk.flow import Procedure
from kiosk.screens.base import Controller, Screen
from kiosk.widgets.controls import make_button, make_label

OPTION_INDENT = 48  # px: the toggle sits under its event


class ProceduresScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "procedures.title")
        tr = self.tr
        self.buttons: dict[str, QPushButton] = {}
        # (procedure id, optional template id) → its toggle
        self.optional_buttons: dict[tuple[str, str], QPushButton] = {}
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
                button.toggled.connect(lambda on, pid=p.id: self._procedure_toggled(pid, on))
                self.buttons[p.id] = button
                self._fees[p.id] = p.fee_yen
                self.layout_.addWidget(button)
                for template_id in p.optional_ids:
                    self._add_option(p, template_id)
        self.total = make_label("")
        self.layout_.addWidget(self.total)
        self.layout_.addStretch(1)
        self.next_button = make_button(tr("common.next"))
        self.next_button.clicked.connect(self._next)
        self.layout_.addWidget(self.next_button)
        self._update_total()

    def _add_option(self, procedure: Procedure, template_id: str) -> None:
        tr = self.tr
        template = self.flow.catalog.get(template_id)
        message = f"procedures.optional.{template_id}"
        label = (
            tr(message)
            if tr.has(message)
            else tr("procedures.optional", title=tr.text(template.title))
        )
        fee = tr("procedures.fee", fee=tr.yen(template.fee_yen or 0))
        toggle = make_button(f"＋ {label}　{fee}", checkable=True, role="choice")
        toggle.toggled.connect(lambda on, pid=procedure.id: self._option_toggled(pid, on))
        self.optional_buttons[(procedure.id, template_id)] = toggle
        row = QHBoxLayout()
        row.addSpacing(OPTION_INDENT)
        row.addWidget(toggle, 1)
        self.layout_.addLayout(row)

    def chosen(self) -> list[str]:
        return [pid for pid, b in self.buttons.items() if b.isChecked()]

    def chosen_optional(self) -> list[str]:
        """The optional forms opted into, under a chosen event."""
        return [
            template_id
            for (pid, template_id), toggle in self.optional_buttons.items()
            if toggle.isChecked() and self.buttons[pid].isChecked()
        ]

    def _procedure_toggled(self, procedure_id: str, on: bool) -> None:
        if not on:
            for (pid, _), toggle in self.optional_buttons.items():
                if pid == procedure_id:
                    toggle.setChecked(False)
        self._update_total()

    def _option_toggled(self, procedure_id: str, on: bool) -> None:
        if on:
            self.buttons[procedure_id].setChecked(True)
        self._update_total()

    def _update_total(self) -> None:
        self.flow.touch()
        ids = self.chosen()
        self.next_button.setEnabled(bool(ids))
        total = self._total(ids, self.chosen_optional())
        self.total.setText(self.tr("procedures.total", fee=self.tr.yen(total)))

    def _total(self, ids: list[str], optional: list[str]) -> int:
        templates: dict[str, int] = {}
        for p in self.flow.procedures():
            if p.id in ids:
                for t in (*p.template_ids, *(o for o in p.optional_ids if o in optional)):
                    templates[t] = self.flow.catalog.get(t).fee_yen or 0
        return sum(templates.values())

    def _next(self) -> None:
        self.flow.choose(self.chosen(), with_optional=self.chosen_optional())

    def entered(self) -> None:
        first = next(iter(self.buttons.values()), None)
        if first is not None:
            first.setFocus()
