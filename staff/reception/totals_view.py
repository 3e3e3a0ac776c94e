"""Totals of the kiosks' built-in measurement per day and procedure: how long each step took
(mean seconds over the measured applications) and how much was typed against prefilled."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.clock import office_clock
from forms.errors import MadoguchiError
from staff.background import OFFICE
from staff.reception.messages import error_text, tr
from sync.client import OfficeClient
from sync.protocol.office import MeasurementRow, MeasurementTotals

COLUMNS = ("day", "procedure", "applications", "measured", "typed", "prefilled", "share", "steps")


def prefilled_share(row: MeasurementRow) -> float:
    total = row.typed_chars + row.prefilled_chars
    return row.prefilled_chars / total if total else 0.0


def mean_steps(row: MeasurementRow) -> dict[str, float]:
    if not row.measured:
        return {}
    return {step: seconds / row.measured for step, seconds in row.step_seconds.items()}


def row_texts(row: MeasurementRow, titles: dict[str, str]) -> list[str]:
    steps = "、".join(f"{k} {v:.1f}" for k, v in mean_steps(row).items())
    return [
        row.day.isoformat(),
        titles.get(row.template_id, row.template_id),
        str(row.applications),
        str(row.measured),
        str(row.typed_chars),
        str(row.prefilled_chars),
        f"{prefilled_share(row):.0%}",
        steps,
    ]


class TotalsView(QWidget):
    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        titles: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._ops = ops
        self._titles = titles
        self.totals: MeasurementTotals | None = None
        day = office_clock().today()  # the office's date, not the terminal's zone
        today = QDate(day.year, day.month, day.day)
        self.date_from = QDateEdit(today.addDays(-6), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.show_button = QPushButton(tr("totals.show"), self)
        self.show_button.clicked.connect(self.load)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([tr(f"totals.{c}") for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel("", self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("totals.from"), self))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(tr("totals.to"), self))
        bar.addWidget(self.date_to)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def set_range(self, first: dt.date, last: dt.date) -> None:
        self.date_from.setDate(QDate(first.year, first.month, first.day))
        self.date_to.setDate(QDate(last.year, last.month, last.day))

    def load(self) -> None:
        first = _date_of(self.date_from.date())
        last = _date_of(self.date_to.date())
        self.show_button.setEnabled(False)
        self._ops.run(
            OFFICE,
            lambda: self._api.measurement_totals(first, last),
            on_success=self._show,
            on_failure=self._failed,
        )

    def _show(self, totals: MeasurementTotals) -> None:
        self.show_button.setEnabled(True)
        self.totals = totals
        self.table.setRowCount(len(totals.rows))
        for r, row in enumerate(totals.rows):
            for c, text in enumerate(row_texts(row, self._titles)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.summary.setText(
            tr(
                "totals.sum",
                applications=sum(r.applications for r in totals.rows),
                typed=sum(r.typed_chars for r in totals.rows),
                prefilled=sum(r.prefilled_chars for r in totals.rows),
            )
        )

    def _failed(self, error: MadoguchiError) -> None:
        self.show_button.setEnabled(True)
        self.summary.setText(error_text(error))


def _date_of(day: QDate) -> dt.date:
    """The day a date box shows, as a date (PySide6 types `QDate.toPython()` as object)."""
    return dt.date(day.year(), day.month(), day.day())
