"""Totals of the kiosks' built-in measurement: visits per hour (a QtCharts bar chart), median
and 90th-percentile time from the kiosk start to 完了, and per day and procedure how long each
step took (named in Japanese and English) and how much was prefilled against typed; exported
as CSV (0600). The figures come from `totals_figures` (plain Python, tested without Qt)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPainter
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
from forms.private_files import private_file
from staff.background import OFFICE
from staff.reception.messages import error_text, tr
from staff.reception.totals_figures import (
    minutes,
    prefilled_share,
    start_to_done,
    steps_text,
    totals_csv,
    visits_per_hour,
)
from sync.client import OfficeClient
from sync.protocol.office import MeasurementRow, MeasurementTotals

COLUMNS = ("day", "procedure", "applications", "measured", "typed", "prefilled", "share", "steps")


def row_texts(row: MeasurementRow, titles: dict[str, str]) -> list[str]:
    share = prefilled_share(row)
    return [
        row.day.isoformat(),
        titles.get(row.template_id, row.template_id),
        str(row.applications),
        str(row.measured),
        str(row.typed_chars),
        str(row.prefilled_chars),
        "—" if share is None else f"{share:.0%}",
        steps_text(row),
    ]


class TotalsView(QWidget):
    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        titles: dict[str, str],
        parent: QWidget | None = None,
        save_chooser: Callable[[QWidget, str], Path | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._save_chooser = save_chooser
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
        self.durations = QLabel("", self)
        self.export_button = QPushButton(tr("totals.export"), self)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        self.chart = QChart()
        self.chart.setTitle(tr("totals.per_hour"))
        self.chart.legend().hide()
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.hours: dict[int, int] = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("totals.from"), self))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(tr("totals.to"), self))
        bar.addWidget(self.date_to)
        bar.addWidget(self.show_button)
        bar.addWidget(self.export_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.chart_view, 1)
        layout.addWidget(self.durations)
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
        self.export_button.setEnabled(True)
        self.totals = totals
        self._draw(totals)
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

    def _draw(self, totals: MeasurementTotals) -> None:
        clock = office_clock()
        self.hours = visits_per_hour(totals.visits, clock)
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        bars = QBarSet(tr("totals.visits"))
        bars.append([float(v) for v in self.hours.values()])
        series = QBarSeries()
        series.append(bars)
        self.chart.addSeries(series)
        hours = QBarCategoryAxis()
        hours.append([f"{h:02d}" for h in self.hours])
        hours.setTitleText(tr("totals.hour"))
        count = QValueAxis()
        count.setRange(0, max([1, *self.hours.values()]))
        count.setLabelFormat("%d")
        self.chart.addAxis(hours, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(count, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(hours)
        series.attachAxis(count)
        durations = start_to_done(totals.visits)
        self.durations.setText(
            tr(
                "totals.durations",
                count=durations.count,
                median=minutes(durations.median_s),
                p90=minutes(durations.p90_s),
            )
        )

    def export(self) -> None:
        if self.totals is None:
            return
        name = f"madoguchi-totals-{self.totals.date_from}-{self.totals.date_to}.csv"
        path = self._save_chooser(self, name) if self._save_chooser else None
        if path is None:
            return
        # 0600 from its first byte; the folder the person chose is left as it is
        with private_file(path).open("wb") as out:
            out.truncate()
            out.write(totals_csv(self.totals, self._titles, office_clock()))
        self.summary.setText(tr("export.done", path=path))


def _date_of(day: QDate) -> dt.date:
    """The day a date box shows, as a date (PySide6 types `QDate.toPython()` as object)."""
    return dt.date(day.year(), day.month(), day.day())
