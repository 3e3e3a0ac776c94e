"""The bundle tab: pick a bundle, edit its id, titles, which templates it needs, and the
navigator's questions and rules (`staff.editor.bundle_items`), each on a tab of its own.

Every edit re-checks the draft; the problems are listed under the form, a click on one shows
the item and field it is about. Bundles travel with the signed template bundle for the
pre-entry site and ship with the kiosks (the back office publishes templates only).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forms.bundle import Bundle
from staff.editor.bundle_draft import OPTIONAL, QUESTIONS, REQUIRED, RULES, UNUSED, BundleDraft
from staff.editor.bundle_items import ItemListEditor

ROLE_LABELS = {
    REQUIRED: "必須 / required",
    OPTIONAL: "任意 / optional",
    UNUSED: "— / not used",
}
TEXT_KEYS = (
    ("id", "ID"),
    ("title.ja", "名称 / title (ja)"),
    ("title.en", "title (en)"),
    ("description.ja", "説明 / description (ja)"),
    ("description.en", "description (en)"),
)


NOTE_COLOR = "#1f5fa8"  # a note (an edit changed a condition elsewhere), not a problem
PARTS_TAB = {"templates": 0, "optional": 0, QUESTIONS: 1, RULES: 2}
# Where a problem is: `rules.2.when: …`, `questions.0.text.ja: …`, `templates: …`
PROBLEM_PLACE = re.compile(r"^(\w+)(?:\.(\d+))?(?:\.([a-z_]+(?:\.(?:ja|en))?))?[.:]")


class BundleEditor(QWidget):
    changed = Signal()  # the draft changed (problems re-checked)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drafts: dict[str, BundleDraft] = {}
        self.known: list[str] = []
        self.titles: dict[str, str] = {}  # template id → its Japanese title
        self._loading = False

        self.chooser = QComboBox(self)
        self.chooser.setAccessibleName("セット / bundle")
        self.chooser.currentIndexChanged.connect(self._show_current)
        self.new_button = QPushButton("新しいセット / New bundle", self)
        self.new_button.clicked.connect(self.add_new)
        top = QHBoxLayout()
        top.addWidget(QLabel("セット / Bundle:", self))
        top.addWidget(self.chooser, 1)
        top.addWidget(self.new_button)
        self.revert_button = QPushButton("最後の正しい状態に戻す / Revert to last valid", self)
        self.revert_button.clicked.connect(self.revert)
        top.addWidget(self.revert_button)

        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, label in TEXT_KEYS:
            edit = QLineEdit(self)
            edit.setAccessibleName(label)
            edit.textEdited.connect(lambda text, key=key: self._edit_text(key, text))
            form.addRow(label, edit)
            self.edits[key] = edit

        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["様式 / template", "使い方 / use"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.problems = QListWidget(self)
        self.problems.setAccessibleName("セットの問題 / bundle problems")
        self.problems.setMaximumHeight(140)
        self.problems.itemClicked.connect(self._go_to_problem)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.questions = ItemListEditor(QUESTIONS, self)
        self.rules = ItemListEditor(RULES, self)
        for items in (self.questions, self.rules):
            items.changed.connect(self._items_changed)
        self.questions.changed.connect(self._questions_changed)
        self.parts = QTabWidget(self)
        self.parts.addTab(self.table, "様式 / Templates")
        self.parts.addTab(self.questions, "質問 / Questions")
        self.parts.addTab(self.rules, "規則 / Rules")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.parts, 4)
        layout.addWidget(QLabel("問題 / Problems:", self))
        layout.addWidget(self.problems, 1)

    # -- content -----------------------------------------------------------------------------

    def set_bundles(
        self,
        bundles: list[Bundle],
        known_templates: list[str],
        titles: dict[str, str] | None = None,
    ) -> None:
        """`titles`: template id → its Japanese title, shown beside the id."""
        self.known = list(known_templates)
        self.titles = dict(titles or {})
        self.drafts = {b.id: BundleDraft.from_bundle(b, self.known, self.titles) for b in bundles}
        self._reload_chooser()

    def set_known_templates(
        self, known_templates: list[str], titles: dict[str, str] | None = None
    ) -> None:
        self.known = list(known_templates)
        if titles is not None:
            self.titles = {**self.titles, **titles}
        for draft in self.drafts.values():
            draft.known = list(self.known)
            draft.titles = dict(self.titles)
            draft.validate()
        self._show_current()

    def add_draft(self, draft: BundleDraft) -> None:
        key = draft.text("id") or "bundle"
        self.drafts[key] = draft
        self._reload_chooser(select=key)

    def add_new(self) -> None:
        self.add_draft(BundleDraft.new(self.known, self.titles))

    def current(self) -> BundleDraft | None:
        key = self.chooser.currentData()
        return self.drafts.get(key) if key is not None else None

    def valid_bundles(self) -> list[Bundle]:
        return [d.bundle for d in self.drafts.values() if d.bundle is not None]

    # -- view --------------------------------------------------------------------------------

    def _reload_chooser(self, select: str | None = None) -> None:
        self._loading = True
        self.chooser.clear()
        for key in self.drafts:
            self.chooser.addItem(key, key)
        if select is not None:
            self.chooser.setCurrentIndex(self.chooser.findData(select))
        self._loading = False
        self._show_current()

    def _show_current(self) -> None:
        if self._loading:
            return
        draft = self.current()
        for key, edit in self.edits.items():
            edit.setEnabled(draft is not None)
            edit.setText(draft.text(key) if draft else "")
        self.table.setRowCount(0)
        if draft is not None:
            for template_id in draft.listed_templates():
                row = self.table.rowCount()
                self.table.insertRow(row)
                label = draft.template_label(template_id)
                self.table.setCellWidget(row, 0, QLabel(label, self.table))
                combo = QComboBox(self.table)
                combo.setAccessibleName(f"{template_id} の使い方 / use of {template_id}")
                for role, label in ROLE_LABELS.items():
                    combo.addItem(label, role)
                combo.setCurrentIndex(combo.findData(draft.role_of(template_id)))
                combo.currentIndexChanged.connect(
                    lambda _n, t=template_id, c=combo: self._edit_role(t, c.currentData())
                )
                self.table.setCellWidget(row, 1, combo)
        self.questions.set_draft(draft)
        self.rules.set_draft(draft)
        self._show_problems()

    def _items_changed(self) -> None:
        self._show_problems()
        self.changed.emit()

    def _questions_changed(self) -> None:
        """A question's renaming may have rewritten the rules' conditions: show them anew."""
        self.rules.set_draft(self.current(), self.rules.list.currentRow())

    def _show_problems(self) -> None:
        draft = self.current()
        self.problems.clear()
        if draft is not None:
            self.problems.addItems(draft.problems)
            for note in draft.notes:  # what an edit changed elsewhere: not a problem
                item = QListWidgetItem(note, self.problems)
                item.setForeground(QColor(NOTE_COLOR))
        self.revert_button.setEnabled(
            draft is not None and not draft.ok and draft.last_good is not None
        )

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        """Show the part, the item and the field a problem is about."""
        place = PROBLEM_PLACE.match(item.text())
        if place is None or place.group(1) not in PARTS_TAB:
            return
        kind, index, key = place.group(1), place.group(2), place.group(3)
        self.parts.setCurrentIndex(PARTS_TAB[kind])
        if kind in (QUESTIONS, RULES) and index is not None:
            items = self.questions if kind == QUESTIONS else self.rules
            items.show_field(int(index), key)

    def revert(self) -> None:
        draft = self.current()
        if draft is None:
            return
        draft.revert()
        self._show_current()
        self.changed.emit()

    def _edit_text(self, key: str, text: str) -> None:
        draft = self.current()
        if draft is None:
            return
        draft.set_text(key, text)
        self._show_problems()
        self.changed.emit()

    def _edit_role(self, template_id: str, role: str) -> None:
        draft = self.current()
        if draft is None:
            return
        draft.set_role(template_id, role)
        self.rules.set_draft(draft, self.rules.list.currentRow())  # the forms a rule may choose
        self._show_problems()
        self.changed.emit()
