"""The visit queue: one row per visit (call number, procedures, people, wait, state), polled
with its ETag on the poll lane like the per-form queue (`queue_view.QueuePoller`).

The state is shown by a symbol and words beside its colour (never the colour alone); the
colours keep the text at 7:1 contrast or more. Tab leaves the table (no cell-by-cell Tab).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.clock import office_clock
from staff.reception.messages import tr
from staff.reception.polled_table import (
    POLL_INTERVAL_MS,
    WAIT_TICK_MS,
    EtagPoller,
    PolledTableView,
)
from staff.reception.queue_model import format_wait
from sync.client import OfficeClient, VisitSnapshot
from sync.protocol.visits import VisitPage, VisitState, VisitSummary

__all__ = [
    "POLL_INTERVAL_MS",
    "STATE_STYLE",
    "VISIT_COLUMNS",
    "WAIT_TICK_MS",
    "VisitModel",
    "VisitPoller",
    "VisitQueueView",
    "state_text",
    "visit_wait",
]
VISIT_COLUMNS = ("call", "procedures", "people", "wait", "state")
_Index = QModelIndex | QPersistentModelIndex

# state → (symbol, background, text colour): text on background ≥ 7:1.
STATE_STYLE: dict[VisitState, tuple[str, str, str]] = {
    VisitState.WAITING: ("○", "#ECEFF1", "#1C2529"),
    VisitState.CALLED: ("◎", "#FFE9A8", "#3D2E00"),
    VisitState.IN_REVIEW: ("◐", "#D6E6FF", "#0A2A57"),
    VisitState.RETURNED: ("▲", "#FBD9D7", "#6B0F0F"),
    VisitState.DONE: ("✔", "#D5F0DA", "#0F3D16"),
}


def state_text(state: VisitState) -> str:
    symbol = STATE_STYLE[state][0]
    return f"{symbol} {state.ja} / {state.en}"


def visit_wait(item: VisitSummary, now: dt.datetime) -> float:
    """Since the first form was finished at the kiosk; frozen once the visit is done."""
    end = item.finished_at if item.finished_at is not None else now
    return max(0.0, (end - item.since).total_seconds())


class VisitModel(QAbstractTableModel):
    def __init__(
        self,
        titles: dict[str, str] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__()
        self._items: list[VisitSummary] = []
        self._titles = titles or {}
        self._clock = clock or (lambda: office_clock().now())

    def set_items(self, items: list[VisitSummary]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[VisitSummary]:
        return list(self._items)

    def item(self, row: int) -> VisitSummary:
        return self._items[row]

    def row_of(self, visit_id: uuid.UUID) -> int | None:
        return next((n for n, v in enumerate(self._items) if v.visit_id == visit_id), None)

    def row_of_receipt(self, receipt_number: str) -> int | None:
        for n, visit in enumerate(self._items):
            if any(f.receipt_number == receipt_number for f in visit.forms):
                return n
        return None

    def title(self, template_id: str) -> str:
        return self._titles.get(template_id, template_id)

    def tick(self) -> None:
        if self._items:
            column = VISIT_COLUMNS.index("wait")
            self.dataChanged.emit(
                self.index(0, column),
                self.index(len(self._items) - 1, column),
                [Qt.ItemDataRole.DisplayRole],
            )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(VISIT_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(f"vcol.{VISIT_COLUMNS[section]}").replace(" / ", "\n")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = VISIT_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return str(item.visit_id)
        if role == Qt.ItemDataRole.BackgroundRole and column == "state":
            return QBrush(QColor(STATE_STYLE[item.state][1]))
        if role == Qt.ItemDataRole.ForegroundRole and column == "state":
            return QBrush(QColor(STATE_STYLE[item.state][2]))
        if role == Qt.ItemDataRole.ToolTipRole and column == "procedures":
            return "\n".join(self.title(t) for t in item.procedures)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("people", "wait"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == "call":
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        match column:
            case "call":
                return item.call_number or item.reception_number or "—"
            case "procedures":
                titles = "、".join(self.title(t) for t in item.procedures)
                return f"({len(item.procedures)}) {titles}"
            case "people":
                return tr("visit.people", people=item.people).split(" / ")[0]
            case "wait":
                return format_wait(visit_wait(item, self._clock()))
            case "state":
                returned = sum(1 for f in item.forms if f.status.value == "returned")
                if returned and item.state is not VisitState.RETURNED:
                    return f"{state_text(item.state)} ▲{returned}"  # a form waits for them
                return state_text(item.state)
        return None


class VisitPoller(EtagPoller):
    """The visits, open ones or those in one state (`polled_table.EtagPoller`)."""

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        interval_ms: int = POLL_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(api, ops, interval_ms, parent, "open")

    def set_filter(self, wanted: str | None) -> None:
        self._set_filter(wanted)

    def _fetch(self, wanted: str | None, etag: str | None) -> VisitSnapshot | None:
        if wanted == "open":
            return self._api.visits(open_only=True, etag=etag)
        return self._api.visits(state=wanted, etag=etag)


class VisitQueueView(PolledTableView):
    opened = Signal(object)  # uuid.UUID
    poller: VisitPoller
    model: VisitModel

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        titles: dict[str, str],
        *,
        interval_ms: int = POLL_INTERVAL_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state_filter = self._filter_combo(
            tr("visits.filter"),
            [
                (tr("visits.open"), "open"),
                (tr("visits.all"), None),
                *((state_text(state), state.value) for state in VisitState),
            ],
        )

        self._make_table(VisitModel(titles), VisitPoller(api, ops, interval_ms, self))
        self.state_filter.currentIndexChanged.connect(
            lambda _n: self.poller.set_filter(self.state_filter.currentData())
        )
        self.table.setAccessibleName(tr("tab.visits"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for n, column in enumerate(VISIT_COLUMNS):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == "procedures"
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(n, mode)
        self.hint = QLabel(tr("keys.hint"), self)
        self.hint.setProperty("role", "hint")

        filters = self._filter_row((tr("visits.filter"), self.state_filter))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.hint)
        layout.addLayout(bottom)

    def _show(self, page: VisitPage) -> None:
        selected = self.selected()
        row = self.table.currentIndex().row()
        self.model.set_items(page.items)
        if selected is not None and self.select(selected):
            return self._counted(page)
        if row >= 0 and self.model.rowCount():
            # the visit left the list (done): the keyboard carries on from the same place
            self.table.setCurrentIndex(self.model.index(min(row, self.model.rowCount() - 1), 0))
        return self._counted(page)

    def _counted(self, page: VisitPage) -> None:
        self._count("visits.count", page.total)

    def selected(self) -> uuid.UUID | None:
        item = self._selected_item()
        return item.visit_id if item is not None else None

    def select(self, visit_id: uuid.UUID) -> bool:
        row = self.model.row_of(visit_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _opened(self, value: str) -> None:
        self.opened.emit(uuid.UUID(value))

    def next_visit(self) -> uuid.UUID | None:
        """The oldest visit nobody has started on (waiting or called), after the one
        selected when that is itself untouched; None when none waits."""
        items = self.model.items()
        untouched = [v for v in items if v.state in (VisitState.WAITING, VisitState.CALLED)]
        if not untouched:
            return None
        current = self.selected()
        ids = [v.visit_id for v in untouched]
        if current in ids and len(ids) > 1:
            return ids[(ids.index(current) + 1) % len(ids)]
        return ids[0]
