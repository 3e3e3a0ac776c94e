"""The live queue: filters (status, procedure), the table, and a poller that keeps it fresh.

`QueuePoller` asks the back office every `interval_ms` on the poll lane, sending the last ETag
back as If-None-Match: an unchanged queue is a 304 and nothing is redrawn. A poll still under
way is never doubled; a filter change polls at once and drops answers for the old filter.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
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
from staff.reception.messages import error_text, status_text, tr
from staff.reception.queue_model import QueueModel
from sync.client import OfficeClient, QueueSnapshot
from sync.protocol.office import QueuePage
from sync.protocol.vocabulary import Status

POLL_INTERVAL_MS = 2000
WAIT_TICK_MS = 15_000


class QueuePoller(QObject):
    updated = Signal(object)  # QueuePage
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
        self._filter: tuple[str | None, str | None] = (None, None)
        self._etag: str | None = None
        self._busy = False
        self._again = False
        self._stopped = False
        self.polls = 0  # answers received (tests)
        self.unchanged = 0  # of which 304 (tests)
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

    def set_filter(self, status: str | None, template_id: str | None) -> None:
        if (status, template_id) != self._filter:
            self._filter = (status, template_id)
            self._etag = None
        self.poll_now()

    def poll_now(self) -> None:
        if self._stopped:
            return
        if self._busy:
            self._again = True  # once the running poll is back
            return
        self._busy = True
        wanted = self._filter
        status, template_id = wanted
        etag = self._etag

        def fetch() -> QueueSnapshot | None:
            return self._api.queue(status=status, template_id=template_id, etag=etag)

        self._ops.run(
            POLL,
            fetch,
            on_success=lambda snap: self._answered(wanted, snap),
            on_failure=self._failed,
        )

    def _answered(self, wanted: tuple[str | None, str | None], snap: QueueSnapshot | None) -> None:
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


class QueueView(QWidget):
    opened = Signal(str)  # receipt number

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
        self.model = QueueModel(titles)
        self.poller = QueuePoller(api, ops, interval_ms, self)
        self.poller.updated.connect(self._show)
        self.poller.failed.connect(self._offline)

        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName(tr("queue.status"))
        self.status_filter.addItem(tr("queue.all"), None)
        for status in Status:
            self.status_filter.addItem(status_text(status.value), status.value)
        self.procedure_filter = QComboBox(self)
        self.procedure_filter.setAccessibleName(tr("queue.procedure"))
        self.procedure_filter.addItem(tr("queue.all"), None)
        for template_id, title in sorted(titles.items()):
            self.procedure_filter.addItem(title, template_id)
        for combo in (self.status_filter, self.procedure_filter):
            combo.currentIndexChanged.connect(self._filter_changed)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self.count_label = QLabel("", self)

        filters = QHBoxLayout()
        for label, combo in (
            ("queue.status", self.status_filter),
            ("queue.procedure", self.procedure_filter),
        ):
            filters.addWidget(QLabel(tr(label), self))
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._ticker = QTimer(self)
        self._ticker.setInterval(WAIT_TICK_MS)
        self._ticker.timeout.connect(self.model.tick)

    def start(self) -> None:
        self.poller.start()
        self._ticker.start()

    def stop(self) -> None:
        self.poller.stop()
        self._ticker.stop()

    def refresh(self) -> None:
        self.poller.poll_now()

    @property
    def procedure(self) -> str | None:
        return self.procedure_filter.currentData()

    def _filter_changed(self) -> None:
        self.poller.set_filter(
            self.status_filter.currentData(), self.procedure_filter.currentData()
        )

    def _show(self, page: QueuePage) -> None:
        selected = self._selected()
        self.model.set_items(page.items)
        if selected is not None:
            row = self.model.row_of(selected)
            if row is not None:
                self.table.selectRow(row)
        clock = office_clock()
        now = clock.local(clock.now()).strftime("%H:%M:%S")
        self.count_label.setText(tr("queue.count", count=page.total, time=now))
        self.count_label.setProperty("role", "")

    def _offline(self, error: MadoguchiError) -> None:
        self.count_label.setText(f"{tr('queue.offline')}（{error_text(error)}）")
        self.count_label.setProperty("role", "error")

    def _selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()).receipt_number if rows else None

    def _activated(self, index) -> None:
        receipt = index.data(Qt.ItemDataRole.UserRole)
        if receipt:
            self.opened.emit(receipt)

    def select(self, receipt_number: str) -> None:
        row = self.model.row_of(receipt_number)
        if row is not None:
            self.table.selectRow(row)
