"""The editor's first tab: the template's settings over its fields table, with the buttons that
add and remove a field. Every edit is announced by `edited(structure)`; the window then
re-checks the draft and refreshes everything that shows it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QTableView, QVBoxLayout, QWidget

from forms.fields import FIELD_TYPES
from staff.editor.choice_delegate import ChoiceDelegate
from staff.editor.draft import TemplateDraft
from staff.editor.field_model import FieldTableModel
from staff.editor.problems import Location
from staff.editor.settings_form import SettingsForm
from staff.widgets.buttons import named_button


def selected_row(table: QTableView) -> int | None:
    """The first selected row of a table (whole row or single cell), or None."""
    rows = table.selectionModel().selectedRows() or table.selectionModel().selectedIndexes()
    return rows[0].row() if rows else None


class FieldsTab(QWidget):
    edited = Signal(bool)  # structure: rows were added or removed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: TemplateDraft | None = None
        self.settings_form = SettingsForm(self)
        self.settings_form.edited.connect(lambda: self.edited.emit(False))
        self.field_model = FieldTableModel(TemplateDraft({}), self)
        self.field_model.edited.connect(lambda: self.edited.emit(False))
        self.field_table = QTableView(self)
        self.field_table.setModel(self.field_model)
        self.field_table.setItemDelegateForColumn(
            self.field_model.column_of("type"), ChoiceDelegate(sorted(FIELD_TYPES), self)
        )
        self.field_table.setAccessibleName("項目 / fields")
        self.add_field_button = named_button(self, "項目を追加 / Add field", self.add_field)
        self.remove_field_button = named_button(
            self, "項目を削除 / Remove field", self.remove_field
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.settings_form)
        layout.addWidget(self.field_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_field_button)
        row.addWidget(self.remove_field_button)
        row.addStretch(1)
        layout.addLayout(row)

    def set_draft(self, draft: TemplateDraft | None) -> None:
        self.draft = draft
        self.settings_form.set_draft(draft)
        self.field_model.set_draft(draft if draft is not None else TemplateDraft({}))
        self.field_table.resizeColumnsToContents()
        for button in (self.add_field_button, self.remove_field_button):
            button.setEnabled(draft is not None)

    def refresh(self, structure: bool) -> None:
        """After any edit: the rows (when they changed), the problems and the ⚠ column."""
        if structure:
            self.field_model.refresh()
        self.settings_form.show_problems()
        self.field_table.resizeColumnToContents(0)  # the ⚠ count

    def select(self, location: Location) -> bool:
        """Select the field a problem is about; False if it is not in the table."""
        row = self.field_model.row_of(location)
        if row is None:
            return False
        self.field_table.selectRow(row)
        return True

    def add_field(self) -> None:
        """A new field after the selected one, in its group."""
        if self.draft is None:
            return
        row = selected_row(self.field_table)
        group = self.field_model.ref(row).group if row is not None else None
        ref = self.draft.add_field(group)
        self.edited.emit(True)
        self.select(Location("field", ref.index, ref.group))

    def remove_field(self) -> None:
        row = selected_row(self.field_table)
        if self.draft is None or row is None:
            return
        self.draft.remove_field(self.field_model.ref(row))
        self.edited.emit(True)
