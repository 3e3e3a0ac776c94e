"""Confirm: the forms about to be submitted, their fees, and the submit button."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from kiosk.screens.base import Controller, Screen
from kiosk.widgets.controls import make_button, make_label


class ConfirmScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "confirm.title")
        tr = self.tr
        self.layout_.addWidget(make_label(tr("confirm.forms")))
        self.forms = make_label("")
        self.layout_.addWidget(self.forms)
        self.total = make_label("")
        self.layout_.addWidget(self.total)
        self.status = make_label("")
        self.layout_.addWidget(self.status)
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        self.back_button = make_button(tr("common.back"), role="secondary")
        self.back_button.clicked.connect(self.flow.back)
        self.ok_button = make_button(tr("confirm.ok"))
        self.ok_button.clicked.connect(self._submit)
        row.addWidget(self.back_button)
        row.addWidget(self.ok_button)
        self.layout_.addLayout(row)

    def refresh(self) -> None:
        flow, tr = self.flow, self.tr
        lines = []
        for t in flow.templates:
            form = flow.forms.get(t.id)
            fee = form.fee() if form is not None else t.fee_yen or 0
            lines.append(f"・{tr.text(t.title)}　{tr.yen(fee)}")
        self.forms.setText("\n".join(lines))
        self.total.setText(tr("procedures.total", fee=tr.yen(flow.fee_total())))
        busy = self.c.busy("confirm")
        self.status.setText(tr("confirm.working") if busy else "")
        self.ok_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)

    def entered(self) -> None:
        self.refresh()
        self.ok_button.setFocus()

    def _submit(self) -> None:
        self.c.submit()
        self.refresh()
