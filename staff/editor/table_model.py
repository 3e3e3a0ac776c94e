"""What the fields table and the layout table share: fixed columns, and rows tinted by their
problems (with a count in the first column and the list in the tooltip).

A subclass names its `COLUMNS` and says how many rows there are, what problems a row has,
how a cell reads and is written, and how a typed value parses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex
PROBLEM_BRUSH = QBrush(QColor("#ffd7d7"))


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"  # text, int, float, bool, options, readonly


class DraftTableModel(QAbstractTableModel):
    edited = Signal()  # the draft changed through this table

    COLUMNS: tuple[Column, ...] = ()

    # -- for the subclass ----------------------------------------------------------------

    def _row_count(self) -> int:
        raise NotImplementedError

    def _problems(self, row: int) -> list[str]:
        raise NotImplementedError

    def _checked(self, row: int, column: Column) -> bool:
        """Whether a bool cell shows as checked."""
        raise NotImplementedError

    def _text(self, row: int, column: Column) -> str:
        """A text cell as shown and edited."""
        raise NotImplementedError

    def _parse(self, column: Column, text: str) -> Any:
        return str(text).strip()

    def _bool_value(self, checked: bool) -> Any:
        return checked

    def _store(self, row: int, column: Column, value: Any) -> None:
        raise NotImplementedError

    # -- Qt model ------------------------------------------------------------------------

    def column_of(self, key: str) -> int:
        return next(n for n, c in enumerate(self.COLUMNS) if c.key == key)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section].title
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        kind = self.COLUMNS[index.column()].kind
        if kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if kind == "readonly":
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return PROBLEM_BRUSH if self._problems(row) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            problems = self._problems(row)
            return "\n".join(problems) if problems else None
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            on = self._checked(row, column)
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if column.key == "problems":
            count = len(self._problems(row))
            return f"⚠ {count}" if count else ""
        if column.kind == "bool":
            return None
        return self._text(row, column)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        column = self.COLUMNS[index.column()]
        if column.kind == "bool" and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            new = self._bool_value(checked)
        elif role != Qt.ItemDataRole.EditRole or column.kind in ("readonly", "bool"):
            return False
        else:
            new = self._parse(column, str(value))
        self._store(index.row(), column, new)
        # Problems move between rows after any edit: repaint the whole table.
        rows = max(self.rowCount() - 1, 0)
        self.dataChanged.emit(self.index(0, 0), self.index(rows, len(self.COLUMNS) - 1))
        self.edited.emit()
        return True
