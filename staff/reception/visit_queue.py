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
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.clock import office_clock
from forms.errors import MadoguchiError
from staff.background import POLL
from staff.reception.messages import error_text, tr
from staff.reception.queue_model import format_wait
from sync.client import OfficeClient, VisitSnapshot
from sync.protocol.visits import VisitPage, VisitState, VisitSummary

POLL_INTERVAL_MS = 2000
WAIT_TICK_MS = 15_000
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


class VisitPoller(QObject):
    updated = Signal(object)  # VisitPage
    failed = Signal(object)  # MadoguchiError

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        interval_ms: int = POLL_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._ops = ops
        self._filter: str | None = "open"
        self._etag: str | None = None
        self._busy = False
        self._again = False
        self._stopped = False
        self.polls = 0
        self.unchanged = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll_now)

    def start(self) -> None:
        self._stopped = False
        self._timer.start()
        self.poll_now()

    def stop(self) -> None:
        """No poll starts after this (an answer still under way may ask for one)."""
        self._stopped = True
        self._timer.stop()

    def set_filter(self, wanted: str | None) -> None:
        if wanted != self._filter:
            self._filter = wanted
            self._etag = None
        self.poll_now()

    def poll_now(self) -> None:
        if self._stopped:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        wanted, etag = self._filter, self._etag

        def fetch() -> VisitSnapshot | None:
            if wanted == "open":
                return self._api.visits(open_only=True, etag=etag)
            return self._api.visits(state=wanted, etag=etag)

        self._ops.run(
            POLL,
            fetch,
            on_success=lambda snap: self._answered(wanted, snap),
            on_failure=self._failed,
        )

    def _answered(self, wanted: str | None, snap: VisitSnapshot | None) -> None:
        self._busy = False
        self.polls += 1
        if wanted != self._filter:
            self.poll_now()
            return
        if snap is None:
            self.unchanged += 1
        else:
            self._etag = snap.etag
            self.updated.emit(snap.page)
        if self._again:
            self._again = False
            self.poll_now()

    def _failed(self, error: MadoguchiError) -> None:
        self._busy = False
        self._again = False
        self.failed.emit(error)


class VisitQueueView(QWidget):
    opened = Signal(object)  # uuid.UUID

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
        self.model = VisitModel(titles)
        self.poller = VisitPoller(api, ops, interval_ms, self)
        self.poller.updated.connect(self._show)
        self.poller.failed.connect(self._offline)

        self.state_filter = QComboBox(self)
        self.state_filter.setAccessibleName(tr("visits.filter"))
        self.state_filter.addItem(tr("visits.open"), "open")
        self.state_filter.addItem(tr("visits.all"), None)
        for state in VisitState:
            self.state_filter.addItem(state_text(state), state.value)
        self.state_filter.currentIndexChanged.connect(
            lambda _n: self.poller.set_filter(self.state_filter.currentData())
        )

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("tab.visits"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for n, column in enumerate(VISIT_COLUMNS):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == "procedures"
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(n, mode)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self.count_label = QLabel("", self)
        self.hint = QLabel(tr("keys.hint"), self)
        self.hint.setProperty("role", "hint")

        filters = QHBoxLayout()
        label = QLabel(tr("visits.filter"), self)
        label.setBuddy(self.state_filter)
        filters.addWidget(label)
        filters.addWidget(self.state_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.hint)
        layout.addLayout(bottom)

        self.ticker = QTimer(self)
        self.ticker.setInterval(WAIT_TICK_MS)
        self.ticker.timeout.connect(self.model.tick)

    def start(self) -> None:
        self.poller.start()
        self.ticker.start()

    def stop(self) -> None:
        self.poller.stop()
        self.ticker.stop()

    def refresh(self) -> None:
        self.poller.poll_now()

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
        clock = office_clock()
        now = clock.local(clock.now()).strftime("%H:%M:%S")
        self.count_label.setText(tr("visits.count", count=page.total, time=now))

    def _offline(self, error: MadoguchiError) -> None:
        self.count_label.setText(f"{tr('queue.offline')}（{error_text(error)}）")

    def selected(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()).visit_id if rows else None

    def select(self, visit_id: uuid.UUID) -> bool:
        row = self.model.row_of(visit_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _activated(self, index) -> None:
        value = index.data(Qt.ItemDataRole.UserRole)
        if value:
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
