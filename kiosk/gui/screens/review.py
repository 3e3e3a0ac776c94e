"""Review: every item of every chosen form, prefilled, each editable with inline validation.

Items shared by several forms appear once (forms.bundle.questions). Characters that may be the
card's substitutes are flagged for the resident to correct or confirm; the 50音 keyboard opens
below for kana items.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from forms.errors import MadoguchiError
from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton, BiLabel
from kiosk.gui.widgets.field_editor import FieldEditor
from kiosk.gui.widgets.kana_keyboard import KanaKeyboard
from kiosk.i18n import Pair


class ReviewScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "review.title")
        tr = self.tr
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.layout_.addWidget(self.scroll, 1)
        self.editors: dict[str, FieldEditor] = {}
        self._paths: list[str] = []

        self.keyboard = KanaKeyboard(tr)
        self.keyboard.closed.connect(self.keyboard.hide)
        self.keyboard.hide()
        self.layout_.addWidget(self.keyboard)

        self.summary = BiLabel(role="error")
        self.summary.hide()
        self.layout_.addWidget(self.summary)
        row = QHBoxLayout()
        self.add_person_button = BiButton(tr.pair("review.add_person"), role="secondary")
        self.add_person_button.clicked.connect(self._add_person)
        self.next_button = BiButton(tr.pair("review.next"))
        self.next_button.clicked.connect(self._next)
        row.addWidget(self.add_person_button, 1)
        row.addWidget(self.next_button, 2)
        self.layout_.addLayout(row)

    def _build(self) -> None:
        flow, tr = self.flow, self.tr
        titles = {t.id: tr.text(t.title) for t in flow.templates}
        body = QWidget()
        column = QVBoxLayout(body)
        self.editors = {}
        for q in flow.questions():
            forms = list(dict.fromkeys(titles[t] for t, _ in q.uses))
            # The lead language names the forms; the second only counts them (the titles
            # twice over would crowd the item).
            used_by = (
                Pair(
                    tr("review.used_by", forms="・".join(forms)),
                    tr.pair("review.used_by_count", count=len(forms)).second,
                )
                if len(forms) > 1
                else None
            )
            editor = FieldEditor(
                q,
                value=flow.value(q),
                display=flow.display(q),
                read_only=flow.is_read_only(q),
                used_by=used_by,
                tr=tr,
                on_edit=self._edit,
                on_confirm_flag=flow.confirm_flag,
            )
            editor.kana_keyboard_wanted.connect(self.show_keyboard)
            self.editors[q.path] = editor
            column.addWidget(editor)
        column.addStretch(1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(body)
        self._paths = list(self.editors)
        self.add_person_button.setVisible(any(t.groups for t in flow.templates))

    def _add_person(self) -> None:
        self.flow.add_person()

    def show_keyboard(self, target: QLineEdit) -> None:
        self.keyboard.set_target(target)
        self.keyboard.show()

    def _edit(self, path: str, raw: Any, typed: int | None) -> None:
        self.flow.edit(path, raw, typed_chars=typed)

    def entered(self) -> None:
        self._build()
        self.refresh()
        first = next(iter(self.editors.values()), None)
        if first is not None and first.line_edits:
            first.line_edits[0].setFocus()

    def refresh(self) -> None:
        flow, tr = self.flow, self.tr
        if flow.record is None:
            return
        if [q.path for q in flow.questions()] != self._paths:
            self._build()
        for q in flow.questions():
            editor = self.editors[q.path]
            if q.path not in flow.pending_errors:  # keep refused text where it was typed
                editor.sync(flow.value(q), flow.display(q))
            errors = flow.errors_for(q)  # each distinct message once
            editor.show_error(
                tr.pair_of(
                    lambda t, errors=errors: "　".join(t.field_error(e.ja, e.en) for e in errors)
                )
            )
            editor.show_flag(flow.flags.get(q.path), q.path in flow.confirmed_flags)
        self.summary.clear()
        self.summary.hide()

    def _next(self) -> None:
        focused = self.focusWidget()
        if isinstance(focused, QLineEdit):
            focused.editingFinished.emit()  # commit what is being typed first
        try:
            self.flow.review_done()
        except MadoguchiError as exc:
            self.summary.set_pair(
                self.tr.pair_of(
                    lambda t, exc=exc: t("review.fix_first_because", reason=t.error(exc))
                )
            )
            self.summary.show()
            bad = next(
                (
                    e
                    for p, e in self.editors.items()
                    if e.error_label.isVisible() or p in self.flow.unconfirmed_flags()
                ),
                None,
            )
            if bad is not None:
                self.scroll.ensureWidgetVisible(bad)
