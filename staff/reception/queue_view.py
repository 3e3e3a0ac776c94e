"""The live queue: filters (status, procedure), the table, and a poller that keeps it fresh.

`QueuePoller` asks the back office every `interval_ms` on the poll lane with the last ETag
(`polled_table.EtagPoller`); a filter change polls at once and drops answers for the old filter.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from staff.reception.messages import status_text, tr
from staff.reception.polled_table import (
    POLL_INTERVAL_MS,
    WAIT_TICK_MS,
    EtagPoller,
    PolledTableView,
)
from staff.reception.queue_model import QueueModel
from sync.client import OfficeClient, QueueSnapshot
from sync.protocol.office import QueuePage
from sync.protocol.vocabulary import Status

__all__ = ["POLL_INTERVAL_MS", "WAIT_TICK_MS", "QueuePoller", "QueueView"]


class QueuePoller(EtagPoller):
    """The queue, filtered by status and procedure (`polled_table.EtagPoller`)."""

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        interval_ms: int = POLL_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(api, ops, interval_ms, parent, (None, None))

    def set_filter(self, status: str | None, template_id: str | None) -> None:
        self._set_filter((status, template_id))

    def _fetch(
        self, wanted: tuple[str | None, str | None], etag: str | None
    ) -> QueueSnapshot | None:
        status, template_id = wanted
        return self._api.queue(status=status, template_id=template_id, etag=etag)


class QueueView(PolledTableView):
    opened = Signal(str)  # receipt number
    poller: QueuePoller

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
        everything = (tr("queue.all"), None)
        self.status_filter = self._filter_combo(
            tr("queue.status"), [everything, *((status_text(s.value), s.value) for s in Status)]
        )
        self.procedure_filter = self._filter_combo(
            tr("queue.procedure"), [everything, *((t, i) for i, t in sorted(titles.items()))]
        )

        self._make_table(QueueModel(titles), QueuePoller(api, ops, interval_ms, self))
        for combo in (self.status_filter, self.procedure_filter):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        filters = self._filter_row(
            (tr("queue.status"), self.status_filter),
            (tr("queue.procedure"), self.procedure_filter),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

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
        self._count("queue.count", page.total)
        self.count_label.setProperty("role", "")

    def _offline(self, error: MadoguchiError) -> None:
        super()._offline(error)
        self.count_label.setProperty("role", "error")

    def _selected(self) -> str | None:
        item = self._selected_item()
        return item.receipt_number if item is not None else None

    def _opened(self, value: str) -> None:
        self.opened.emit(value)

    def select(self, receipt_number: str) -> None:
        row = self.model.row_of(receipt_number)
        if row is not None:
            self.table.selectRow(row)
