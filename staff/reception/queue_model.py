"""The queue as a Qt table model: one row per application (metadata only), with its wait."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from forms.clock import office_clock
from staff.reception.messages import status_text, tr
from sync.protocol.office import ApplicationSummary

COLUMNS = ("receipt", "reception", "procedure", "status", "wait", "received", "source")
WAIT_COLUMN = COLUMNS.index("wait")
_Index = QModelIndex | QPersistentModelIndex


def wait_seconds(item: ApplicationSummary, now: dt.datetime) -> float:
    """Since the resident finished at the kiosk; frozen when the application is done."""
    end = item.status_changed_at if item.status.value == "done" else now
    return max(0.0, (end - item.created_at).total_seconds())


def format_wait(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes}分"
    return f"{minutes // 60}時間{minutes % 60:02d}分"


class QueueModel(QAbstractTableModel):
    def __init__(
        self,
        titles: dict[str, str] | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        super().__init__()
        self._items: list[ApplicationSummary] = []
        self._titles = titles or {}
        self._clock = clock

    # -- data -----------------------------------------------------------------------------

    def set_items(self, items: list[ApplicationSummary]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[ApplicationSummary]:
        return list(self._items)

    def item(self, row: int) -> ApplicationSummary:
        return self._items[row]

    def row_of(self, receipt_number: str) -> int | None:
        for n, item in enumerate(self._items):
            if item.receipt_number == receipt_number:
                return n
        return None

    def tick(self) -> None:
        """The clock moved: only the wait column changes."""
        if self._items:
            top = self.index(0, WAIT_COLUMN)
            bottom = self.index(len(self._items) - 1, WAIT_COLUMN)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    # -- Qt -------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(f"col.{COLUMNS[section]}")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return item.receipt_number
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        match column:
            case "receipt":
                return item.receipt_number
            case "reception":
                return item.reception_number or "—"
            case "procedure":
                return self._titles.get(item.template_id, item.template_id)
            case "status":
                text = status_text(item.status.value)
                return f"{text}　📣" if item.called_at and item.status.value != "done" else text
            case "wait":
                return format_wait(wait_seconds(item, self._clock()))
            case "received":
                return office_clock().local(item.received_at).strftime("%m/%d %H:%M")
            case "source":
                return tr(f"source.{item.source.value}")
        return None
