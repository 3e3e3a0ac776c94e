"""The form for one navigator question or rule of a bundle: its texts in line edits, its
conditions as one line each (`staff.editor.condition_text`), a rule's forms as check boxes.

Every edit goes to the draft field by field (`BundleDraft.set_item_field`, `set_rule_form`),
which re-checks the whole bundle; a field with a problem is outlined in red, the problem in
its tooltip (the bundle tab lists them all). While the item's YAML text does not read, the form
waits: the advanced view shows what to fix.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from staff.editor.bundle_draft import QUESTIONS, BundleDraft
from staff.editor.condition_text import EXAMPLE

QUESTION_FIELDS = (
    ("id", "ID"),
    ("text.ja", "質問 / question (ja)"),
    ("text.en", "question (en)"),
    ("help.ja", "補足 / help (ja)"),
    ("help.en", "help (en)"),
    ("derive", "記録で答える / derive"),
    ("ask_if", "尋ねる条件 / ask_if"),
    ("yes_if", "はいとする条件 / yes_if"),
    ("no_if", "いいえとする条件 / no_if"),
)
RULE_FIELDS = (
    ("id", "ID"),
    ("when", "条件 / when"),
    ("reason.ja", "理由 / reason (ja)"),
    ("reason.en", "reason (en)"),
)
CONDITIONS = ("derive", "ask_if", "yes_if", "no_if", "when")
FORM_COLUMNS = 2
PROBLEM_STYLE = "border: 2px solid #b00000;"
WAITING_TEXT = "YAML の誤りを直すと入力欄が使えます / fix the YAML (advanced view) to use the form"


class ItemForm(QWidget):
    edited = Signal()  # a field was edited (the draft is re-checked)

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.draft: BundleDraft | None = None
        self.index = -1
        self.edits: dict[str, QLineEdit] = {}
        self.form_boxes: dict[str, QCheckBox] = {}
        self.waiting = QLabel(WAITING_TEXT, self)
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet("color: #b00000;")
        form = QFormLayout()
        fields = QUESTION_FIELDS if kind == QUESTIONS else RULE_FIELDS
        for key, label in fields:
            edit = QLineEdit(self)
            edit.setAccessibleName(label)
            if key in CONDITIONS:
                edit.setPlaceholderText(EXAMPLE)
            edit.textEdited.connect(lambda text, key=key: self._edit(key, text))
            form.addRow(label, edit)
            self.edits[key] = edit
            if key == "when":
                self.forms_box = QGroupBox("様式 / forms", self)
                self.forms_box.setAccessibleName("選ぶ様式 / forms chosen")
                self.forms_grid = QGridLayout(self.forms_box)
                form.addRow(self.forms_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.waiting)
        layout.addLayout(form)
        layout.addStretch(1)
        self.names = QLabel("", self)
        self.names.setWordWrap(True)
        self.names.setAccessibleName("使える質問ID / question ids a condition may name")
        layout.addWidget(self.names)
        layout.addWidget(QLabel("条件は1行の YAML です / a condition is one line of YAML", self))

    def show_item(self, draft: BundleDraft | None, index: int) -> None:
        """Fill the form from the draft's item (an index out of range empties it)."""
        self.draft, self.index = draft, index
        has_item = draft is not None and 0 <= index < len(draft.items(self.kind))
        waiting = draft is not None and has_item and draft.item_unreadable(self.kind, index)
        self.waiting.setVisible(waiting)
        for key, edit in self.edits.items():
            with QSignalBlocker(edit):
                edit.setText(draft.item_field(self.kind, index, key) if draft and has_item else "")
            edit.setEnabled(has_item and not waiting)
        if self.kind != QUESTIONS:
            self._show_forms(has_item and not waiting)
        before = index if self.kind == QUESTIONS else None
        ids = draft.question_ids(before) if draft is not None and has_item else []
        self.names.setText(
            f"条件に使える質問 / questions a condition may name: {', '.join(ids) or '—'}"
        )
        self.show_problems()

    def field_widget(self, key: str) -> QWidget | None:
        """The widget that edits `key` (`forms`: the check boxes), if the form has one."""
        if key == "forms" and self.kind != QUESTIONS:
            return self.forms_box
        return self.edits.get(key)

    def _show_forms(self, enabled: bool) -> None:
        for box in self.form_boxes.values():
            self.forms_grid.removeWidget(box)
            box.hide()
            box.deleteLater()
        self.form_boxes = {}
        draft = self.draft
        if draft is None or not enabled:
            self.forms_box.setEnabled(False)
            return
        self.forms_box.setEnabled(True)
        chosen = draft.rule_forms(self.index)
        for n, template_id in enumerate(draft.form_choices(self.index)):
            box = QCheckBox(draft.template_label(template_id), self.forms_box)
            box.setAccessibleName(f"様式 {template_id} / form {template_id}")
            box.setChecked(template_id in chosen)
            box.toggled.connect(lambda on, t=template_id: self._choose_form(t, on))
            self.forms_grid.addWidget(box, n // FORM_COLUMNS, n % FORM_COLUMNS)
            self.form_boxes[template_id] = box

    def show_problems(self) -> None:
        """Outline each field that has a problem; its tooltip says which."""
        draft = self.draft
        marked: list[tuple[QWidget, str]] = [(e, k) for k, e in self.edits.items()]
        if self.kind != QUESTIONS:
            marked.append((self.forms_box, "forms"))
        for widget, key in marked:
            problems = draft.field_problems(self.kind, self.index, key) if draft else []
            style = f"{type(widget).__name__} {{ {PROBLEM_STYLE} }}"
            widget.setStyleSheet(style if problems else "")
            widget.setToolTip("\n".join(problems))

    def _edit(self, key: str, text: str) -> None:
        if self.draft is None or self.index < 0:
            return
        self.draft.set_item_field(self.kind, self.index, key, text)
        self.show_problems()
        self.edited.emit()

    def _choose_form(self, template_id: str, chosen: bool) -> None:
        if self.draft is None or self.index < 0:
            return
        self.draft.set_rule_form(self.index, template_id, chosen)
        self.show_problems()
        self.edited.emit()
