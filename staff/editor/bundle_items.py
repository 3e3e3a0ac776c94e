"""The bundle tab's lists of navigator questions and rules. Each item is edited in a form
(`staff.editor.bundle_item_form`) or, in the advanced view, as YAML text.

Every keystroke hands the field, or the item's text, to the draft (`BundleDraft.set_item_field`,
`set_item_text`), which re-checks the whole bundle; the bundle tab lists the problems under its
form. Text that is not YAML stays in the editor with its problem, the draft keeps the item's
last readable value.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from staff.editor.bundle_draft import QUESTIONS, BundleDraft
from staff.editor.bundle_item_form import ItemForm

TITLES = {
    QUESTIONS: "質問 / Questions",
    "rules": "規則 / Rules",
}
FORM_TAB, YAML_TAB = range(2)
HINTS = {
    QUESTIONS: "id, text {ja, en}, help, derive / yes_if / no_if / ask_if",
    "rules": "id（一意 / unique）, when（条件 / condition）, forms [様式 / forms], reason {ja, en}",
}


class ItemListEditor(QWidget):
    changed = Signal()  # an item was edited, added or removed (the draft is re-checked)

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.draft: BundleDraft | None = None
        title = TITLES[kind]

        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        self.list.currentRowChanged.connect(self._show_item)
        self.add_button = QPushButton("追加 / Add", self)
        self.add_button.clicked.connect(self.add_item)
        self.remove_button = QPushButton("削除 / Remove", self)
        self.remove_button.clicked.connect(self.remove_item)
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName(f"{title} (YAML)")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlaceholderText(HINTS[kind])
        self.text.textChanged.connect(self._edit)
        self.form = ItemForm(kind, self)
        self.form.edited.connect(self._form_edited)
        self.views = QTabWidget(self)
        self.views.addTab(self.form, "入力欄 / Form")
        self.views.addTab(self.text, "YAML（詳細） / YAML (advanced)")
        self.views.currentChanged.connect(lambda _n: self._show_item(self.list.currentRow()))

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(QLabel(f"{title}:", self))
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 2)
        layout.addWidget(self.views, 3)

    def set_draft(self, draft: BundleDraft | None, row: int = 0) -> None:
        self.draft = draft
        with QSignalBlocker(self.list):
            self.list.clear()
            if draft is not None:
                for n in range(len(draft.items(self.kind))):
                    self.list.addItem(draft.item_label(self.kind, n))
            count = self.list.count()
            self.list.setCurrentRow(min(row, count - 1) if count else -1)
        self.add_button.setEnabled(draft is not None)
        self._show_item(self.list.currentRow())

    def show_field(self, row: int, key: str | None) -> None:
        """Select an item and put the cursor in one of its fields (the form's, if it has it)."""
        if not 0 <= row < self.list.count():
            return
        self.list.setCurrentRow(row)
        field = self.form.field_widget(key or "")
        if field is not None and field.isEnabled():
            self.views.setCurrentIndex(FORM_TAB)
            field.setFocus()
        else:  # a key the form does not have (unknown, or a whole item that does not read)
            self.views.setCurrentIndex(YAML_TAB)
            self.text.setFocus()

    def _show_item(self, row: int) -> None:
        draft = self.draft
        has_item = draft is not None and 0 <= row < len(draft.items(self.kind))
        self.remove_button.setEnabled(has_item)
        self.text.setEnabled(has_item)
        with QSignalBlocker(self.text):
            self.text.setPlainText(
                draft.item_text(self.kind, row) if draft is not None and has_item else ""
            )
        self.form.show_item(draft, row)

    def _edit(self) -> None:
        row = self.list.currentRow()
        if self.draft is None or row < 0:
            return
        self.draft.set_item_text(self.kind, row, self.text.toPlainText())
        self.form.show_item(self.draft, row)
        self._relabel(row)

    def _form_edited(self) -> None:
        """The form changed the item: its YAML text and its label follow."""
        row = self.list.currentRow()
        if self.draft is None or row < 0:
            return
        with QSignalBlocker(self.text):
            self.text.setPlainText(self.draft.item_text(self.kind, row))
        self._relabel(row)

    def _relabel(self, row: int) -> None:
        item = self.list.item(row)
        if item is not None and self.draft is not None:
            item.setText(self.draft.item_label(self.kind, row))
        self.changed.emit()

    def add_item(self) -> None:
        if self.draft is None:
            return
        row = self.draft.add_item(self.kind)
        self.set_draft(self.draft, row)
        self.changed.emit()

    def remove_item(self) -> None:
        row = self.list.currentRow()
        if self.draft is None or row < 0:
            return
        self.draft.remove_item(self.kind, row)
        self.set_draft(self.draft, row)
        self.changed.emit()
