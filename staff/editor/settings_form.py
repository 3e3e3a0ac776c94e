"""The template's own settings (id, version, titles, legal basis, fee) above the fields table,
with the template-level problems listed beside them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from staff.editor.draft import TemplateDraft
from staff.editor.field_model import parse_number
from staff.editor.problems import TEMPLATE

SETTINGS = (
    ("id", "様式ID / id", "text"),
    ("version", "版 / version", "int"),
    ("title.ja", "名称 / title (ja)", "text"),
    ("title.en", "title (en)", "text"),
    ("legal_basis", "根拠法令 / legal basis", "text"),
    ("fee_yen", "手数料（円） / fee (yen)", "int"),
)


class SettingsForm(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft: TemplateDraft | None = None
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for key, label, kind in SETTINGS:
            edit = QLineEdit(self)
            edit.setAccessibleName(label)
            edit.textEdited.connect(lambda text, key=key, kind=kind: self._edit(key, kind, text))
            form.addRow(label, edit)
            self.edits[key] = edit
        self.problems = QLabel("", self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00000;")
        self.problems.setAccessibleName("様式の問題 / template problems")
        form.addRow("", self.problems)

    def set_draft(self, draft: TemplateDraft | None) -> None:
        self._draft = draft
        for key, edit in self.edits.items():
            value = draft.setting(key) if draft is not None else ""
            edit.setText("" if value is None else str(value))
            edit.setEnabled(draft is not None)
        self.show_problems()

    def show_problems(self) -> None:
        draft = self._draft
        texts = [p.text for p in draft.problems_at(TEMPLATE)] if draft else []
        self.problems.setText("\n".join(f"⚠ {t}" for t in texts))

    def _edit(self, key: str, kind: str, text: str) -> None:
        if self._draft is None:
            return
        value = parse_number(text, integer=True) if kind == "int" else text.strip()
        self._draft.set_setting(key, value)
        self.show_problems()
        self.edited.emit()
