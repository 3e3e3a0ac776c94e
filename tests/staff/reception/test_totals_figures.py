"""The totals' figures in plain Python (no Qt): visits per hour in the office zone, median and
90th percentile of kiosk start → 完了, prefilled share, bilingual step names, the CSV; and the
totals tab drawing them with QtCharts and exporting a 0600 CSV, against the real back office."""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
from pathlib import Path

from forms.clock import OfficeClock, zone_named
from staff.reception.totals_figures import (
    percentile,
    start_to_done,
    step_name,
    totals_csv,
    visits_per_hour,
)
from sync.protocol.office import MeasurementRow, MeasurementTotals, VisitTiming

TOKYO = OfficeClock(
    zone=zone_named("Asia/Tokyo"), source=lambda: dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
)
T = dt.datetime(2026, 12, 3, 0, 5, tzinfo=dt.UTC)  # 09:05 in Tokyo


def _visit(start_min: float, done_min: float | None) -> VisitTiming:
    start = T + dt.timedelta(minutes=start_min)
    done = None if done_min is None else start + dt.timedelta(minutes=done_min)
    return VisitTiming(started_at=start, done_at=done)


def test_visits_per_hour_are_counted_in_the_office_zone_with_no_holes() -> None:
    visits = [_visit(0, 5), _visit(10, None), _visit(130, 3)]  # 09:05, 09:15, 11:15 Tokyo
    assert visits_per_hour(visits, TOKYO) == {9: 2, 10: 0, 11: 1}
    assert visits_per_hour([], TOKYO) == {}


def test_median_and_90th_percentile_of_start_to_done() -> None:
    assert percentile([1, 2, 3, 4], 0.5) == 2.5 and percentile([5, 1, 3], 0.5) == 3
    assert percentile(list(range(1, 11)), 0.9) == 9 and percentile([], 0.9) is None
    durations = start_to_done([_visit(0, m) for m in (4, 6, 8, 10, 30)] + [_visit(0, None)])
    assert durations.count == 5 and durations.median_s == 480 and durations.p90_s == 1800


def test_step_names_are_never_raw() -> None:
    assert step_name("identify") == "本人確認 / identification"
    assert step_name("review") == "内容の確認・入力 / checking and typing"
    assert step_name("later") == "その他（later） / other (later)"


def test_the_csv_has_every_figure() -> None:
    totals = MeasurementTotals(
        date_from=dt.date(2026, 12, 3),
        date_to=dt.date(2026, 12, 3),
        rows=[
            MeasurementRow(
                day=dt.date(2026, 12, 3), template_id="kokuho", applications=2, measured=2,
                typed_chars=20, prefilled_chars=180,
                step_seconds={"identify": 24.0, "review": 96.0},
            )
        ],
        visits=[_visit(0, 10), _visit(5, 20)],
    )  # fmt: skip
    data = totals_csv(totals, {"kokuho": "国民健康保険"}, TOKYO)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][:8] == ["2026-12-03", "kokuho", "国民健康保険", "2", "2", "20", "180", "0.9000"]
    assert rows[1][8:] == ["identify", "本人確認", "identification", "12.0"]
    assert ["09:00", "2"] in rows
    assert rows[-1] == ["2", "900", "1200"]


def test_the_totals_tab_draws_the_chart_and_exports_a_private_csv(  # type: ignore[no-untyped-def]
    qtbot, office, ops, no_leaked_widgets, tmp_path: Path
) -> None:
    from printing.spool import FolderSpooler
    from staff.reception.window import ReceptionWindow

    day = dt.datetime(2024, 3, 4, 1, 0, tzinfo=dt.UTC)  # 10:00 in Tokyo
    m = {
        "step_seconds": {"identify": 30.0, "review": 90.0},
        "typed_chars": 4,
        "prefilled_chars": 96,
    }
    office.submit("kokuho", measurement=m, created_at=day, reception_number="T-0304-1")
    office.submit(
        "kokuho", measurement=m, created_at=day + dt.timedelta(hours=2), reception_number="T-0304-2"
    )
    target = tmp_path / "out" / "totals.csv"
    api = office.api("staff")
    window = ReceptionWindow(
        api, ops, FolderSpooler(tmp_path / "p"), titles={}, poll_interval_ms=200,
        save_chooser=lambda _w, _n: target,
    )  # fmt: skip
    try:
        window.show()
        window.tabs.setCurrentWidget(window.totals)
        window.totals.set_range(dt.date(2024, 3, 4), dt.date(2024, 3, 4))
        window.totals.show_button.click()
        qtbot.waitUntil(lambda: window.totals.table.rowCount() == 1, timeout=10_000)
        # confirmed 10:00 and 12:00 Tokyo; the kiosk start is the 2 measured minutes before
        assert window.totals.hours == {9: 1, 10: 0, 11: 1}
        series = window.totals.chart.series()
        assert len(series) == 1 and sum(series[0].barSets()[0].at(i) for i in range(3)) == 2
        assert "0 件" in window.totals.durations.text()  # none taken to 完了 yet
        window.totals.export_button.click()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert "本人確認" in target.read_text("utf-8-sig")
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        api.logout()
        api.close()
