"""The editor's layout tab: one page's boxes (positions in mm on A4), the page chooser and the
buttons that add and remove a box. Edits are announced by `edited(structure)`."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTableView, QVBoxLayout, QWidget

from staff.editor.box_model import ALIGNS, FITS, BoxTableModel
from staff.editor.choice_delegate import ChoiceDelegate
from staff.editor.draft import TemplateDraft
from staff.editor.fields_tab import selected_row
from staff.widgets.buttons import named_button


class LayoutTab(QWidget):
    edited = Signal(bool)  # structure: boxes were added or removed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: TemplateDraft | None = None
        self.box_model = BoxTableModel(TemplateDraft({}), self)
        self.box_model.edited.connect(lambda: self.edited.emit(False))
        self.box_table = QTableView(self)
        self.box_table.setModel(self.box_model)
        self.box_table.setAccessibleName("配置 / layout boxes")
        self.box_table.setItemDelegateForColumn(
            self.box_model.column_of("align"), ChoiceDelegate(ALIGNS, self)
        )
        self.box_table.setItemDelegateForColumn(
            self.box_model.column_of("fit"), ChoiceDelegate(FITS, self)
        )
        self.page_spin = QSpinBox(self)
        self.page_spin.setMinimum(1)
        self.page_spin.setAccessibleName("ページ / page")
        self.page_spin.valueChanged.connect(lambda n: self.box_model.set_page(n - 1))
        self.add_box_button = named_button(self, "枠を追加 / Add box", self.add_box)
        self.remove_box_button = named_button(self, "枠を削除 / Remove box", self.remove_box)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("ページ / Page", self))
        row.addWidget(self.page_spin)
        row.addStretch(1)
        row.addWidget(self.add_box_button)
        row.addWidget(self.remove_box_button)
        layout.addLayout(row)
        layout.addWidget(
            QLabel(
                "位置と大きさは A4 用紙の左上からの mm / positions in mm from the top-left of A4",
                self,
            )
        )
        layout.addWidget(self.box_table, 1)

    def set_draft(self, draft: TemplateDraft | None) -> None:
        self.draft = draft
        shown = draft if draft is not None else TemplateDraft({})
        self.box_model.set_draft(shown, 0)
        with QSignalBlocker(self.page_spin):
            self.page_spin.setMaximum(max(len(shown.pages()), 1))
            self.page_spin.setValue(1)
        self.box_table.resizeColumnsToContents()
        for button in (self.add_box_button, self.remove_box_button):
            button.setEnabled(draft is not None)

    def refresh(self, structure: bool) -> None:
        if structure:
            self.box_model.refresh()
            self.page_spin.setMaximum(max(len(self.draft.pages()), 1) if self.draft else 1)
        self.box_table.resizeColumnToContents(0)

    def show_box(self, page: int, index: int | None) -> None:
        """Go to a page (0-based) and select one of its boxes."""
        self.page_spin.setValue(page + 1)
        if index is not None:
            self.box_table.selectRow(index)

    def add_box(self) -> None:
        if self.draft is None or not self.draft.pages():
            return
        index = self.draft.add_box(self.box_model.page)
        self.edited.emit(True)
        self.box_table.selectRow(index)

    def remove_box(self) -> None:
        row = selected_row(self.box_table)
        if self.draft is None or row is None:
            return
        self.draft.remove_box(self.box_model.page, row)
        self.edited.emit(True)
