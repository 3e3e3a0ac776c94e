"""Choose procedures or a life event (引越し…), each with its fee; the total below.

A life event's optional forms (印鑑登録 when moving in) are a toggle right under the event
(「印鑑登録もする」), not a separate tick among the single forms: turning it on also chooses
the event, turning the event off turns it off. Shared items are asked once either way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from forms.procedure import Procedure
from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.touch import kinetic
from kiosk.i18n import Pair, Translator

OPTION_INDENT = 48  # px: the toggle sits under its event


class ProceduresScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "procedures.title")
        tr = self.i18n
        self.buttons: dict[str, BiButton] = {}
        # (procedure id, optional template id) → its toggle
        self.optional_buttons: dict[tuple[str, str], BiButton] = {}
        self._fees: dict[str, int] = {}
        # The list scrolls: an office may publish more procedures than fit on the screen.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        # A long procedure name wraps on its button; the list never scrolls sideways.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        kinetic(self.scroll_area)
        body = QWidget()
        self._list = QVBoxLayout(body)
        self._list.setContentsMargins(0, 0, 8, 0)
        self._list.setSpacing(8)
        procedures = self.flow.procedures()
        for is_bundle, heading in ((True, "procedures.events"), (False, "procedures.forms")):
            group = [p for p in procedures if p.is_bundle is is_bundle]
            if not group:
                continue
            self._list.addWidget(self.text(tr.pair(heading), inline=True))
            for p in group:
                text = _procedure_pair(tr, p)
                button = BiButton(text, checkable=True, role="choice")
                button.lead.setWordWrap(True)
                button.toggled.connect(lambda on, pid=p.key: self._procedure_toggled(pid, on))
                self.buttons[p.key] = button
                self._fees[p.key] = p.fee_yen
                self._list.addWidget(button)
                for template_id in p.optional_ids:
                    self._add_option(p, template_id)
        self._list.addStretch(1)
        self.scroll_area.setWidget(body)
        self.layout_.addWidget(self.scroll_area, 1)
        row = QHBoxLayout()
        self.total = BiLabel()
        self.next_button = BiButton(tr.pair("common.next"), role="go")
        self.next_button.setMinimumWidth(360)
        self.next_button.clicked.connect(self._next)
        row.addWidget(self.total, 1)
        row.addWidget(self.next_button)
        self.layout_.addLayout(row)
        self._update_total()

    def _add_option(self, procedure: Procedure, template_id: str) -> None:
        template = self.flow.catalog.get(template_id)
        message = f"procedures.optional.{template_id}"

        def text(t: Translator) -> str:
            label = (
                t(message)
                if t.has(message)
                else t("procedures.optional", title=t.text(template.title))
            )
            return f"＋ {label}　{t('procedures.fee', fee=t.yen(template.fee_yen or 0))}"

        toggle = BiButton(self.i18n.pair_of(text), checkable=True, role="choice")
        toggle.lead.setWordWrap(True)
        toggle.toggled.connect(lambda on, pid=procedure.key: self._option_toggled(pid, on))
        self.optional_buttons[(procedure.key, template_id)] = toggle
        row = QHBoxLayout()
        row.addSpacing(OPTION_INDENT)
        row.addWidget(toggle, 1)
        self._list.addLayout(row)

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
        self.total.set_pair(self.i18n.pair_of(lambda t: t("procedures.total", fee=t.yen(total))))

    def _total(self, ids: list[str], optional: list[str]) -> int:
        templates: dict[str, int] = {}
        for p in self.flow.procedures():
            if p.key in ids:
                for t in (*p.template_ids, *(o for o in p.optional_ids if o in optional)):
                    templates[t] = self.flow.catalog.get(t).fee_yen or 0
        return sum(templates.values())

    def keep(self) -> tuple[list[str], list[tuple[str, str]]]:
        optional = [key for key, toggle in self.optional_buttons.items() if toggle.isChecked()]
        return self.chosen(), optional

    def restore(self, kept: tuple[list[str], list[tuple[str, str]]]) -> None:
        chosen, optional = kept
        for pid in chosen:
            if pid in self.buttons:
                self.buttons[pid].setChecked(True)
        for key in optional:
            if key in self.optional_buttons:
                self.optional_buttons[key].setChecked(True)

    def _next(self) -> None:
        self.flow.choose(self.chosen(), with_optional=self.chosen_optional())

    def entered(self) -> None:
        first = next(iter(self.buttons.values()), None)
        if first is not None:
            first.setFocus()


def _procedure_pair(tr: Translator, p: Procedure) -> Pair:
    """A procedure's title and its fee, in both languages."""
    return tr.pair_of(lambda t: f"{t.text(p.title)}　{t('procedures.fee', fee=t.yen(p.fee_yen))}")
