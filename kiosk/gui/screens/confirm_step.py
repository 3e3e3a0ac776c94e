"""Confirm: the forms about to be submitted, their fees, and the submit button."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from forms.text import Text
from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel, InlineBiLabel
from kiosk.i18n import Pair, Translator


class ConfirmScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "confirm.title")
        tr = self.i18n
        # One paragraph a form, both languages in it: a life event's seven forms fit 800 px
        # in every language with bigger text.
        self.layout_.addWidget(self.text(tr.pair("confirm.forms"), inline=True))
        self.forms = QWidget()
        self._form_lines = QVBoxLayout(self.forms)
        self._form_lines.setContentsMargins(24, 0, 0, 0)
        self.layout_.addWidget(self.forms)
        self.total = BiLabel()
        self.layout_.addWidget(self.total)
        self.status = BiLabel()
        self.layout_.addWidget(self.status)
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        self.back_button = BiButton(tr.pair("common.back"), role="secondary")
        self.back_button.clicked.connect(self.flow.back)
        self.ok_button = BiButton(tr.pair("confirm.ok"), role="go")
        self.ok_button.clicked.connect(self._submit)
        row.addWidget(self.back_button)
        row.addWidget(self.ok_button)
        self.layout_.addLayout(row)
        self._shown: list[tuple[str, int]] = []

    def refresh(self) -> None:
        flow, tr = self.flow, self.i18n
        lines = []
        for t in flow.templates:
            form = flow.forms.get(t.id)
            lines.append((t.id, form.fee() if form is not None else t.fee_yen or 0))
        if lines != self._shown:
            self._show_forms(lines)
        total = flow.fee_total()
        self.total.set_pair(tr.pair_of(lambda t: t("procedures.total", fee=t.yen(total))))
        busy = self.c.busy("confirm")
        self.status.set_pair(tr.pair("confirm.working") if busy else Pair(""))
        self.ok_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)

    def _show_forms(self, lines: list[tuple[str, int]]) -> None:
        while self._form_lines.count():
            item = self._form_lines.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        templates = {t.id: t for t in self.flow.templates}
        for template_id, fee in lines:
            title = templates[template_id].title
            line = _fee_line(self.i18n, title, fee)
            self._form_lines.addWidget(InlineBiLabel(line))
        self._shown = lines

    def entered(self) -> None:
        self.refresh()
        self.ok_button.setFocus()

    def _submit(self) -> None:
        self.c.submit()
        self.refresh()


def _fee_line(tr: Translator, title: Text, fee: int) -> Pair:
    """A form's title and its fee, in both languages."""
    return tr.pair_of(lambda t: f"{t.text(title)}　{t.yen(fee)}")
