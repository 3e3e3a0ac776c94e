"""The bundle tab's lists of navigator questions and rules, each item edited as YAML text.

Every keystroke hands the item's text to the draft (`BundleDraft.set_item_text`), which
re-checks the whole bundle; the bundle tab lists the problems under its form. Text that is not
YAML stays in the editor with its problem, the draft keeps the item's last readable value.
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
    QVBoxLayout,
    QWidget,
)

from staff.editor.bundle_draft import QUESTIONS, BundleDraft

TITLES = {
    QUESTIONS: "質問 / Questions",
    "rules": "規則 / Rules",
}
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

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(f"{title}:", self))
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.text, 2)

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

    def _show_item(self, row: int) -> None:
        draft = self.draft
        has_item = draft is not None and 0 <= row < len(draft.items(self.kind))
        self.remove_button.setEnabled(has_item)
        self.text.setEnabled(has_item)
        with QSignalBlocker(self.text):
            self.text.setPlainText(
                draft.item_text(self.kind, row) if draft is not None and has_item else ""
            )

    def _edit(self) -> None:
        row = self.list.currentRow()
        if self.draft is None or row < 0:
            return
        self.draft.set_item_text(self.kind, row, self.text.toPlainText())
        item = self.list.item(row)
        if item is not None:
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
