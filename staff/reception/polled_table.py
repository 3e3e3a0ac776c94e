"""What the two polled lists (the per-form queue and the visit queue) share: a poller that asks
the back office with the last ETag, and a read-only table of rows kept fresh by it.

`EtagPoller` asks every `interval_ms` on the poll lane, sending the last ETag back as
If-None-Match: an unchanged list is a 304 (None) and nothing is redrawn. A poll still under way
is never doubled; a filter change polls at once and drops answers for the old filter.
A subclass says how to fetch (`_fetch`) and how its filter is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QWidget,
)

from devices.lanes import Lanes
from forms.clock import office_clock
from forms.errors import MadoguchiError
from staff.background import POLL
from staff.reception.messages import error_text, tr
from sync.client import OfficeClient

POLL_INTERVAL_MS = 2000
WAIT_TICK_MS = 15_000


class Snapshot(Protocol):
    @property
    def etag(self) -> str | None: ...

    @property
    def page(self) -> Any: ...


class EtagPoller(QObject):
    updated = Signal(object)  # the page
    failed = Signal(object)  # MadoguchiError

    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        interval_ms: int,
        parent: QObject | None,
        wanted: object,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._ops = ops
        self._filter = wanted
        self._etag: str | None = None
        self._busy = False
        self._again = False
        self._stopped = False
        self.polls = 0  # answers received (tests)
        self.unchanged = 0  # of which 304 (tests)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll_now)

    def _fetch(self, wanted: Any, etag: str | None) -> Snapshot | None:
        """The list for this filter, or None when it is unchanged since `etag` (worker thread)."""
        raise NotImplementedError

    def start(self) -> None:
        self._stopped = False
        self._timer.start()
        self.poll_now()

    def stop(self) -> None:
        """No poll starts after this (an answer still under way may ask for one)."""
        self._stopped = True
        self._timer.stop()

    def _set_filter(self, wanted: object) -> None:
        if wanted != self._filter:
            self._filter = wanted
            self._etag = None
        self.poll_now()

    def poll_now(self) -> None:
        if self._stopped:
            return
        if self._busy:
            self._again = True  # once the running poll is back
            return
        self._busy = True
        wanted, etag = self._filter, self._etag
        self._ops.run(
            POLL,
            lambda: self._fetch(wanted, etag),
            on_success=lambda snap: self._answered(wanted, snap),
            on_failure=self._failed,
        )

    def _answered(self, wanted: object, snap: Snapshot | None) -> None:
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


class PolledTableView(QWidget):
    """A read-only, one-row-selected table of `model`, its poller, a count line and a ticker
    that redraws the waits. The subclass makes its filters first (the tab order follows),
    then calls `_make_table`, and lays the widgets out itself."""

    model: Any  # has set_items, item(row), tick()
    poller: EtagPoller
    table: QTableView
    count_label: QLabel
    ticker: QTimer

    def _filter_combo(self, name: str, choices: Iterable[tuple[str, object]]) -> QComboBox:
        """A filter: (text, value) choices, the first one chosen."""
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        for text, value in choices:
            combo.addItem(text, value)
        return combo

    def _filter_row(self, *filters: tuple[str, QComboBox]) -> QHBoxLayout:
        """The filters in a row, each after its label (the label's buddy)."""
        row = QHBoxLayout()
        for text, combo in filters:
            label = QLabel(text, self)
            label.setBuddy(combo)
            row.addWidget(label)
            row.addWidget(combo, 1)
        return row

    def _make_table(self, model: Any, poller: EtagPoller) -> None:
        self.model = model
        self.poller = poller
        poller.updated.connect(self._show)
        poller.failed.connect(self._offline)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self.count_label = QLabel("", self)
        self.ticker = QTimer(self)
        self.ticker.setInterval(WAIT_TICK_MS)
        self.ticker.timeout.connect(model.tick)

    def start(self) -> None:
        self.poller.start()
        self.ticker.start()

    def stop(self) -> None:
        self.poller.stop()
        self.ticker.stop()

    def refresh(self) -> None:
        self.poller.poll_now()

    def _show(self, page: Any) -> None:
        raise NotImplementedError

    def _opened(self, value: str) -> None:
        """A row was activated; `value` is its UserRole data."""
        raise NotImplementedError

    def _activated(self, index: QModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.UserRole)
        if value:
            self._opened(value)

    def _selected_item(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _count(self, key: str, total: int) -> None:
        clock = office_clock()
        now = clock.local(clock.now()).strftime("%H:%M:%S")
        self.count_label.setText(tr(key, count=total, time=now))

    def _offline(self, error: MadoguchiError) -> None:
        self.count_label.setText(f"{tr('queue.offline')}（{error_text(error)}）")
