"""The reception queue, record detail and status changes (受付 → 審査中 → 完了 / 差戻し)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from backoffice.db import rows_changed
from backoffice.errors import ApplicationNotFound, BadTransition, CannotCall, ReasonRequired
from backoffice.models import Application, IdentityCheck, StatusChange
from forms.clock import OfficeClock, office_clock
from sync.protocol.vocabulary import TRANSITIONS, Status

MAX_REASON = 1000


def get(session: Session, receipt_number: str) -> Application:
    app = session.scalar(select(Application).where(Application.receipt_number == receipt_number))
    if app is None:
        raise ApplicationNotFound(receipt_number)
    return app


def _conditions(
    status: Status | None,
    template_id: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    clock: OfficeClock | None,
) -> list[ColumnElement[bool]]:
    clock = clock or office_clock()
    conditions: list[ColumnElement[bool]] = []
    if status is not None:
        conditions.append(Application.status == status.value)
    if template_id is not None:
        conditions.append(Application.template_id == template_id)
    if date_from is not None:
        conditions.append(Application.received_at >= clock.start_of_day(date_from))
    if date_to is not None:
        end = clock.start_of_day(date_to + dt.timedelta(days=1))
        conditions.append(Application.received_at < end)
    return conditions


def queue_etag(
    session: Session,
    *,
    status: Status | None = None,
    template_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    clock: OfficeClock | None = None,
    limit: int = 100,
    offset: int = 0,
) -> str:
    """A weak ETag of one queue view, from one aggregate query.

    Every change the queue shows (a new application, a status change, a call, a paper
    import or the kiosk's copy arriving) bumps `updated_at`; a row leaving the filter changes
    the count. So the tag changes whenever the page could have, and a terminal polling with
    If-None-Match costs the server this one query.
    """
    conditions = _conditions(status, template_id, date_from, date_to, clock)
    count, latest, top = session.execute(
        select(
            func.count(Application.id), func.max(Application.updated_at), func.max(Application.id)
        ).where(*conditions)
    ).one()
    key = "|".join(
        str(v) for v in (status, template_id, date_from, date_to, limit, offset, count, latest, top)
    )
    return 'W/"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + '"'


def queue(
    session: Session,
    *,
    status: Status | None = None,
    template_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    clock: OfficeClock | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[Application]]:
    """Applications oldest first (the order they are worked in), with the total count.

    Dates are the office's calendar days of receipt, both ends included.
    """
    conditions = _conditions(status, template_id, date_from, date_to, clock)
    total = session.scalar(select(func.count(Application.id)).where(*conditions)) or 0
    rows = session.scalars(
        select(Application)
        .where(*conditions)
        .order_by(Application.received_at, Application.id)
        .limit(limit)
        .offset(offset)
    )
    return total, list(rows)


def change_status(
    session: Session,
    receipt_number: str,
    wanted: Status,
    actor: str,
    reason: str | None,
    *,
    clock: OfficeClock | None = None,
) -> Application:
    """Move an application on; conditional on its current status, so two clerks racing
    cannot both move it (the loser gets BadTransition)."""
    reason = (reason or "").strip() or None
    if wanted is Status.RETURNED and reason is None:
        raise ReasonRequired()
    app = get(session, receipt_number)
    current = Status(app.status)
    if wanted not in TRANSITIONS[current]:
        raise BadTransition(current.value, wanted.value)
    now = (clock or office_clock()).now()
    changed = rows_changed(
        session.execute(
            update(Application)
            .where(Application.id == app.id, Application.status == current.value)
            .values(
                status=wanted.value,
                status_changed_at=now,
                status_changed_by=actor,
                return_reason=reason if wanted is Status.RETURNED else None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        raise BadTransition("(changed meanwhile)", wanted.value)
    session.add(
        StatusChange(
            application_id=app.id,
            from_status=current.value,
            to_status=wanted.value,
            reason=reason,
            actor=actor,
            at=now,
        )
    )
    session.flush()
    session.refresh(app)
    return app


def history(session: Session, app: Application) -> list[StatusChange]:
    return list(
        session.scalars(
            select(StatusChange)
            .where(StatusChange.application_id == app.id)
            .order_by(StatusChange.id)
        )
    )


def call(session: Session, receipt_number: str, *, clock: OfficeClock | None = None) -> Application:
    """Call the resident to the counter: the call board shows the number as お呼び出し.

    Calling again (the resident did not come) moves the number to the top of the board.
    """
    app = get(session, receipt_number)
    if app.status == Status.DONE.value:
        raise CannotCall(app.status)
    now = (clock or office_clock()).now()
    app.called_at = now
    app.updated_at = now
    session.flush()
    return app


def add_identity_check(
    session: Session,
    app: Application,
    document: str,
    actor: str,
    note: str | None = None,
    *,
    clock: OfficeClock | None = None,
) -> IdentityCheck:
    note = (note or "").strip() or None
    at = (clock or office_clock()).now()
    check = IdentityCheck(application_id=app.id, document=document, note=note, actor=actor, at=at)
    session.add(check)
    session.flush()
    return check


def identity_checks(session: Session, app: Application) -> list[IdentityCheck]:
    return list(
        session.scalars(
            select(IdentityCheck)
            .where(IdentityCheck.application_id == app.id)
            .order_by(IdentityCheck.id)
        )
    )
