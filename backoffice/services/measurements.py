"""Totals of the kiosks' built-in measurement per day and procedure.

Every kiosk session measures itself (`kiosk.measurement.SessionMetrics`: seconds per step,
characters the resident typed against characters prefilled from the card or QR) and sends the
numbers inside the sealed application (`SealedContent.measurement`); ingest stores them in
`applications.measurement_json`. Counts and seconds only: no personal data.

The day is the kiosk session's (`created_at`) in the office's time zone. A session that made
several forms (a bundle) is counted in each procedure it made. Values that are not numbers are
ignored, so one odd kiosk cannot break the totals.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.errors import BadDateRange
from backoffice.models import Application
from forms.clock import OfficeClock
from sync.protocol.office import MeasurementRow, MeasurementTotals, VisitTiming
from sync.protocol.vocabulary import Status

MAX_DAYS = 366


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) and value >= 0 else None


@dataclass
class _Sum:
    applications: int = 0
    measured: int = 0
    typed: int = 0
    prefilled: int = 0
    steps: dict[str, float] = field(default_factory=dict)

    def add(self, measurement: object) -> None:
        self.applications += 1
        if not isinstance(measurement, dict):
            return
        counted = False
        for key, target in (("typed_chars", "typed"), ("prefilled_chars", "prefilled")):
            value = _number(measurement.get(key))
            if value is not None:
                setattr(self, target, getattr(self, target) + int(value))
                counted = True
        steps = measurement.get("step_seconds")
        if isinstance(steps, dict):
            for step, seconds in steps.items():
                value = _number(seconds)
                if isinstance(step, str) and value is not None:
                    self.steps[step] = self.steps.get(step, 0.0) + value
                    counted = True
        if counted:
            self.measured += 1


@dataclass
class _Visit:
    """One kiosk visit: its forms share the terminal, the office day and the call number."""

    started_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    forms: int = 0
    open: bool = False

    def add(
        self, created_at: dt.datetime, measurement: object, status: str, changed: dt.datetime
    ) -> None:
        seconds = 0.0
        if isinstance(measurement, dict) and isinstance(measurement.get("step_seconds"), dict):
            seconds = sum(
                v for v in map(_number, measurement["step_seconds"].values()) if v is not None
            )
        start = created_at - dt.timedelta(seconds=min(seconds, 86400.0))
        self.started_at = start if self.started_at is None else min(self.started_at, start)
        self.forms += 1
        if status == Status.DONE.value:
            self.done_at = changed if self.done_at is None else max(self.done_at, changed)
        else:
            self.open = True

    def timing(self) -> VisitTiming:
        assert self.started_at is not None
        return VisitTiming(
            started_at=self.started_at,
            done_at=None if self.open else self.done_at,
            forms=self.forms,
        )


def totals(
    session: Session, date_from: dt.date, date_to: dt.date, *, clock: OfficeClock
) -> MeasurementTotals:
    if date_to < date_from or (date_to - date_from).days >= MAX_DAYS:
        raise BadDateRange(MAX_DAYS)
    start = clock.start_of_day(date_from)
    end = clock.start_of_day(date_to + dt.timedelta(days=1))
    rows = session.execute(
        select(
            Application.created_at,
            Application.template_id,
            Application.measurement_json,
            Application.terminal,
            Application.call_number,
            Application.reception_number,
            Application.status,
            Application.status_changed_at,
        )
        .where(Application.created_at >= start, Application.created_at < end)
        .execution_options(yield_per=500)
    )
    sums: dict[tuple[dt.date, str], _Sum] = {}
    visits: dict[tuple[str, dt.date, str], _Visit] = {}
    for created_at, template_id, text, terminal, call_number, reception, status, changed in rows:
        day = clock.date_of(created_at)
        try:
            measurement = json.loads(text)
        except ValueError:
            measurement = None
        sums.setdefault((day, template_id), _Sum()).add(measurement)
        key = (terminal, day, call_number or reception)
        visits.setdefault(key, _Visit()).add(created_at, measurement, status, changed)
    return MeasurementTotals(
        date_from=date_from,
        date_to=date_to,
        rows=[
            MeasurementRow(
                day=day,
                template_id=template_id,
                applications=s.applications,
                measured=s.measured,
                typed_chars=s.typed,
                prefilled_chars=s.prefilled,
                step_seconds={k: round(v, 3) for k, v in sorted(s.steps.items())},
            )
            for (day, template_id), s in sorted(sums.items())
        ],
        visits=sorted((v.timing() for v in visits.values()), key=lambda t: t.started_at),
    )
