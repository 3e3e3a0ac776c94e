"""The totals people look at, computed in plain Python (no Qt; `totals_view` draws them):

- visits per hour of the office day (a visit is one kiosk session, all its forms);
- median and 90th-percentile time from the kiosk start to 完了 (visits taken to 完了 only);
- the share of characters prefilled (card, QR) against typed, per procedure and day;
- seconds per step, with the step's name in Japanese and English (never the raw "identify");
- the CSV export of all of it.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from forms.clock import OfficeClock
from sync.protocol.office import MeasurementRow, MeasurementTotals, VisitTiming

STEP_NAMES: dict[str, tuple[str, str]] = {
    "welcome": ("はじめの画面", "welcome"),
    "procedures": ("手続きの選択", "choosing the procedure"),
    "identify": ("本人確認", "identification"),
    "pin": ("暗証番号", "PIN"),
    "qr": ("QRコード読取り", "QR code"),
    "review": ("内容の確認・入力", "checking and typing"),
    "sign": ("署名", "signature"),
    "confirm": ("最終確認", "confirmation"),
    "print": ("印刷", "printing"),
    "done": ("終了", "finished"),
    "error": ("エラー", "error"),
}


def step_name(step: str) -> str:
    """ "identify" → "本人確認 / identification"; an unknown step as 「その他（x）/ other (x)」."""
    ja, en = STEP_NAMES.get(step, (f"その他（{step}）", f"other ({step})"))
    return f"{ja} / {en}"


def visits_per_hour(visits: Sequence[VisitTiming], clock: OfficeClock) -> dict[int, int]:
    """Hour of the office day (0-23) → visits that started then; every hour from the first
    to the last busy one (so the chart has no holes), {} when there are none."""
    counts = Counter(clock.local(v.started_at).hour for v in visits)
    if not counts:
        return {}
    return {h: counts.get(h, 0) for h in range(min(counts), max(counts) + 1)}


def percentile(values: Sequence[float], share: float) -> float | None:
    """The median (0.5: the middle value, or the mean of the two middle ones) or a
    nearest-rank percentile (0.9: the smallest value with 90 % of the values at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    if share == 0.5:
        mid = len(ordered) // 2
        return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Durations:
    count: int
    median_s: float | None
    p90_s: float | None


def start_to_done(visits: Sequence[VisitTiming]) -> Durations:
    seconds = [
        (v.done_at - v.started_at).total_seconds()
        for v in visits
        if v.done_at is not None and v.done_at >= v.started_at
    ]
    return Durations(len(seconds), percentile(seconds, 0.5), percentile(seconds, 0.9))


def prefilled_share(row: MeasurementRow) -> float | None:
    total = row.typed_chars + row.prefilled_chars
    return row.prefilled_chars / total if total else None


def mean_steps(row: MeasurementRow) -> dict[str, float]:
    if not row.measured:
        return {}
    return {step: seconds / row.measured for step, seconds in row.step_seconds.items()}


def steps_text(row: MeasurementRow) -> str:
    return "、".join(f"{step_name(k)} {v:.1f}" for k, v in mean_steps(row).items())


def minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


CSV_HEADER = (
    "day", "procedure", "procedure_name", "applications", "measured", "typed_chars",
    "prefilled_chars", "prefilled_share", "step", "step_name_ja", "step_name_en",
    "mean_step_seconds",
)  # fmt: skip


def totals_csv(totals: MeasurementTotals, titles: dict[str, str], clock: OfficeClock) -> bytes:
    """UTF-8 with BOM (Excel opens it as UTF-8): one row per day, procedure and step; then
    visits per hour; then the start-to-完了 figures."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in totals.rows:
        share = prefilled_share(row)
        base = [
            row.day.isoformat(), row.template_id, titles.get(row.template_id, row.template_id),
            row.applications, row.measured, row.typed_chars, row.prefilled_chars,
            "" if share is None else f"{share:.4f}",
        ]  # fmt: skip
        steps = mean_steps(row) or {"": 0.0}
        for step, seconds in steps.items():
            ja, en = STEP_NAMES.get(step, (step, step)) if step else ("", "")
            writer.writerow([*base, step, ja, en, f"{seconds:.1f}" if step else ""])
    writer.writerow([])
    writer.writerow(["hour", "visits"])
    for hour, count in visits_per_hour(totals.visits, clock).items():
        writer.writerow([f"{hour:02d}:00", count])
    writer.writerow([])
    durations = start_to_done(totals.visits)
    writer.writerow(["visits_done", "median_start_to_done_s", "p90_start_to_done_s"])
    writer.writerow([
        durations.count,
        "" if durations.median_s is None else f"{durations.median_s:.0f}",
        "" if durations.p90_s is None else f"{durations.p90_s:.0f}",
    ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")
