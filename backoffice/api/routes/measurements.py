"""GET /measurements: the kiosks' built-in measurement, totalled per day and procedure."""

from __future__ import annotations

from fastapi import APIRouter

from backoffice.api.deps import ContextDep, MeasurementReader, SessionDep
from backoffice.services import measurements
from sync.protocol import WireDate
from sync.protocol.office import ErrorBody, MeasurementTotals

router = APIRouter(tags=["measurements"])


@router.get(
    "/measurements",
    response_model=MeasurementTotals,
    responses={422: {"model": ErrorBody}},
    summary="計測の集計 / measurement totals per day and procedure (staff, admin)",
)
def totals(
    _who: MeasurementReader,
    session: SessionDep,
    context: ContextDep,
    date_from: WireDate,
    date_to: WireDate,
) -> MeasurementTotals:
    """Seconds per step and characters typed vs. prefilled, summed per kiosk-session day
    (office time zone) and template; counts only, no personal data. At most 366 days."""
    return measurements.totals(session, date_from, date_to, time_zone=context.settings.time_zone)
