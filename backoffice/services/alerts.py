"""Call-staff alerts (職員を呼ぶ) and machine faults raised by kiosks.

A kiosk makes the alert's UUID when the resident presses the button and resends the same one
until the back office answers, so a retry is the same alert (INSERT … ON CONFLICT DO
NOTHING, then read back). Every signed-in reception terminal polls the open alerts; the
first person to acknowledge one takes it (a conditional UPDATE), the others are told who did.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backoffice.db import rows_changed
from backoffice.errors import AlertAlreadyAcknowledged, AlertIdTaken, AlertNotFound
from backoffice.models import Alert
from forms.clock import OfficeClock
from sync.protocol.counter import AlertCreate

MAX_LISTED = 200


def raise_alert(
    session: Session, alert: AlertCreate, kiosk: str, clock: OfficeClock
) -> tuple[Alert, bool]:
    """The stored alert and whether this call stored it (False: a retry of the same id)."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Alert)
    created = rows_changed(
        session.execute(
            insert.values(
                id=alert.id,
                kiosk=kiosk,
                kind=alert.kind.value,
                step=alert.step,
                detail=alert.detail,
                raised_at=alert.raised_at,
                received_at=clock.now(),
            ).on_conflict_do_nothing(index_elements=["id"]),
            execution_options={"preserve_rowcount": True},
        )
    )
    row = session.get(Alert, alert.id, populate_existing=True)
    assert row is not None
    if row.kiosk != kiosk:
        raise AlertIdTaken()
    return row, created == 1


def listed(session: Session, *, open_only: bool) -> list[Alert]:
    """Open alerts oldest first (the order to answer them); all alerts newest first."""
    query = select(Alert)
    if open_only:
        query = query.where(Alert.acknowledged_at.is_(None)).order_by(Alert.received_at)
    else:
        query = query.order_by(Alert.received_at.desc())
    return list(session.scalars(query.limit(MAX_LISTED)))


def acknowledge(session: Session, alert_id: uuid.UUID, actor: str, clock: OfficeClock) -> Alert:
    """Take the alert; AlertAlreadyAcknowledged (naming who) when someone was first."""
    taken = rows_changed(
        session.execute(
            update(Alert)
            .where(Alert.id == alert_id, Alert.acknowledged_at.is_(None))
            .values(acknowledged_by=actor, acknowledged_at=clock.now())
            .execution_options(synchronize_session=False)
        )
    )
    row = session.get(Alert, alert_id, populate_existing=True)
    if row is None:
        raise AlertNotFound(str(alert_id))
    if taken != 1:
        raise AlertAlreadyAcknowledged(row.acknowledged_by or "?")
    return row


def open_kinds(session: Session) -> dict[str, list[str]]:
    """Per kiosk, the kinds of its open alerts (for the terminals' status)."""
    out: dict[str, list[str]] = {}
    for kiosk, kind in session.execute(
        select(Alert.kiosk, Alert.kind)
        .where(Alert.acknowledged_at.is_(None))
        .order_by(Alert.received_at)
    ):
        if kind not in out.setdefault(kiosk, []):
            out[kiosk].append(kind)
    return out
