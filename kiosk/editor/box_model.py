"""The layout table of one page: where each value prints (mm from the page's top-left on A4).

Like the fields table, a value that does not parse is kept as typed and its problem is shown
on the row (tinted, with a count and a tooltip).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from kiosk.editor.draft import TemplateDraft
from kiosk.editor.field_model import PROBLEM_BRUSH, Column, Index, parse_number
from kiosk.editor.problems import Location

BOX_COLUMNS = (
    Column("problems", "⚠", "readonly"),
    Column("field", "項目\nfield"),
    Column("part", "部分\npart"),
    Column("option", "選択肢\noption"),
    Column("x", "x (mm)", "float"),
    Column("y", "y (mm)", "float"),
    Column("w", "幅\nw (mm)", "float"),
    Column("h", "高さ\nh (mm)", "float"),
    Column("size", "文字\nsize (pt)", "float"),
    Column("align", "揃え\nalign"),
    Column("fit", "収め方\nfit"),
    Column("border", "枠\nborder", "bool"),
)
ALIGNS = ("left", "center", "right")
FITS = ("shrink", "wrap", "shrink_wrap")


class BoxTableModel(QAbstractTableModel):
    edited = Signal()

    def __init__(self, draft: TemplateDraft, parent: Any = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self._page = 0

    @property
    def page(self) -> int:
        return self._page

    def set_draft(self, draft: TemplateDraft, page: int = 0) -> None:
        self.beginResetModel()
        self._draft = draft
        self._page = page
        self.endResetModel()

    def set_page(self, page: int) -> None:
        self.set_draft(self._draft, page)

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def column_of(self, key: str) -> int:
        return next(n for n, c in enumerate(BOX_COLUMNS) if c.key == key)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._draft.boxes(self._page))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(BOX_COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return BOX_COLUMNS[section].title
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        kind = BOX_COLUMNS[index.column()].kind
        if kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if kind == "readonly":
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def _problems(self, row: int) -> list[str]:
        where = Location("box", row, page=self._page)
        return [p.text for p in self._draft.problems_at(where)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), BOX_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return PROBLEM_BRUSH if self._problems(row) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            problems = self._problems(row)
            return "\n".join(problems) if problems else None
        value = (
            self._draft.box_value(self._page, row, column.key) if column.key != "problems" else None
        )
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            return Qt.CheckState.Checked if value is not False else Qt.CheckState.Unchecked
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if column.key == "problems":
            count = len(self._problems(row))
            return f"⚠ {count}" if count else ""
        if column.kind == "bool":
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        column = BOX_COLUMNS[index.column()]
        if column.kind == "bool" and role == Qt.ItemDataRole.CheckStateRole:
            new: Any = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        elif role != Qt.ItemDataRole.EditRole or column.kind in ("readonly", "bool"):
            return False
        elif column.kind == "float":
            new = parse_number(str(value), integer=False)
        else:
            new = str(value).strip()
        self._draft.set_box_value(self._page, index.row(), column.key, new)
        rows = max(self.rowCount() - 1, 0)
        self.dataChanged.emit(self.index(0, 0), self.index(rows, len(BOX_COLUMNS) - 1))
        self.edited.emit()
        return True
