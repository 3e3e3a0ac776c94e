"""Visits: the forms of one kiosk session, worked as one unit (the reception queue's row).

A visit is the set of applications sharing `visit_key` (the session record's id, written at
ingest and at paper import, so a paper copy and the kiosk's copy meet in one visit whichever
comes first). Its state comes from its forms (`sync.protocol.visits.visit_state`).

The visit actions are each one transaction over every form, and every form keeps its own
status and history: starting the review moves each 受付 form to 審査中 (one history row each);
the identity check is recorded once and written to every form not yet done (one
`identity_checks` row each, same document, actor and time); すべて完了 moves every form to 完了
or none: a form still 受付, or in review without an identity check, refuses the whole action
(409 naming the form). A form returned (差戻し) on its own stays returned: it waits for the
resident, and the rest of the visit may still be finished.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Integer, and_, case, func, not_, or_, select
from sqlalchemy.orm import Session

from backoffice.errors import VisitCannotComplete, VisitNotFound, VisitNothingToDo
from backoffice.models import Application, IdentityCheck
from backoffice.services import applications
from forms.clock import OfficeClock, office_clock
from sync.protocol.visits import VisitForm, VisitState, VisitSummary, visit_state
from sync.protocol.vocabulary import Status

_A = Application


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0), type_=Integer)


def _grouped(template_id: str | None):
    n = func.count(_A.id)
    done = _count(_A.status == Status.DONE.value)
    review = _count(_A.status == Status.IN_REVIEW.value)
    returned = _count(_A.status == Status.RETURNED.value)
    columns = {
        "n": n,
        "done": done,
        "review": review,
        "returned": returned,
        "called": func.max(_A.called_at),
        "first_received": func.min(_A.received_at),
        "first_id": func.min(_A.id),
    }
    if template_id is not None:
        columns["has_template"] = _count(_A.template_id == template_id)
    return columns


def _state_condition(state: VisitState, c: dict) -> ColumnElement[bool]:
    untouched = and_(c["done"] == 0, c["review"] == 0, c["returned"] == 0)
    match state:
        case VisitState.DONE:
            return c["done"] == c["n"]
        case VisitState.IN_REVIEW:
            return or_(
                c["review"] > 0,
                and_(c["returned"] == 0, c["done"] > 0, c["done"] < c["n"]),
            )
        case VisitState.RETURNED:
            return and_(c["review"] == 0, c["returned"] > 0)
        case VisitState.CALLED:
            return and_(untouched, c["called"].is_not(None))
        case VisitState.WAITING:
            return and_(untouched, c["called"].is_(None))


def _having(
    c: dict,
    *,
    state: VisitState | None,
    open_only: bool,
    template_id: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    clock: OfficeClock,
) -> list[ColumnElement[bool]]:
    having: list[ColumnElement[bool]] = []
    if state is not None:
        having.append(_state_condition(state, c))
    if open_only:
        having.append(not_(c["done"] == c["n"]))
    if template_id is not None:
        having.append(c["has_template"] > 0)
    if date_from is not None:
        having.append(c["first_received"] >= clock.start_of_day(date_from))
    if date_to is not None:
        having.append(c["first_received"] < clock.start_of_day(date_to + dt.timedelta(days=1)))
    return having


def etag(session: Session, view: dict[str, object]) -> str:
    """A weak ETag of one page of the visit queue: it changes whenever any application or
    identity check changes (every visit action bumps its forms' `updated_at`), so it changes
    whenever the page could have; an unchanged queue costs two aggregate queries."""
    count, latest, top = session.execute(
        select(func.count(_A.id), func.max(_A.updated_at), func.max(_A.id))
    ).one()
    checks = session.scalar(select(func.max(IdentityCheck.id)))
    key = "|".join(str(v) for v in (*sorted(view.items()), count, latest, top, checks))
    return 'W/"v' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + '"'


def listing(
    session: Session,
    *,
    state: VisitState | None = None,
    open_only: bool = False,
    template_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    clock: OfficeClock | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[VisitSummary]]:
    """Visits, oldest first (by their first form's arrival), with the total count."""
    clock = clock or office_clock()
    c = _grouped(template_id)
    having = _having(
        c,
        state=state,
        open_only=open_only,
        template_id=template_id,
        date_from=date_from,
        date_to=date_to,
        clock=clock,
    )
    grouped = select(_A.visit_key, *c.values()).group_by(_A.visit_key).having(*having)
    total = session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    keys = list(
        session.scalars(
            select(_A.visit_key)
            .group_by(_A.visit_key)
            .having(*having)
            .order_by(c["first_received"], c["first_id"])
            .limit(limit)
            .offset(offset)
        )
    )
    if not keys:
        return total, []
    rows = session.scalars(select(_A).where(_A.visit_key.in_(keys)).order_by(_A.id))
    by_visit: dict[uuid.UUID, list[Application]] = {k: [] for k in keys}
    every = list(rows)
    for app in every:
        by_visit[app.visit_key].append(app)
    checked = _checked(session, [a.id for a in every])
    return total, [summarise(by_visit[k], checked, clock) for k in keys]


def _checked(session: Session, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        session.scalars(
            select(IdentityCheck.application_id)
            .where(IdentityCheck.application_id.in_(ids))
            .distinct()
        )
    )


def _people(app: Application) -> int:
    try:
        persons = json.loads(app.record_json).get("persons") or []
    except (ValueError, AttributeError):
        return 0
    return len(persons) if isinstance(persons, list) else 0


def summarise(forms: list[Application], checked: set[int], clock: OfficeClock) -> VisitSummary:
    """The queue row of one visit (its forms in arrival order)."""
    statuses = [Status(a.status) for a in forms]
    called = [a.called_at for a in forms if a.called_at is not None]
    state = visit_state(statuses, called=bool(called))
    since = min(a.created_at for a in forms)
    finished = max(a.status_changed_at for a in forms) if state is VisitState.DONE else None
    wait = max(0, int(((finished or clock.now()) - since).total_seconds()))
    return VisitSummary(
        visit_id=forms[0].visit_key,
        call_number=next((a.call_number for a in forms if a.call_number), None),
        reception_number=next((a.reception_number for a in forms if a.reception_number), ""),
        procedures=[a.template_id for a in forms],
        people=max(_people(a) for a in forms),
        state=state,
        since=since,
        received_at=min(a.received_at for a in forms),
        finished_at=finished,
        wait_seconds=min(wait, 2**31 - 1),
        called_at=max(called) if called else None,
        identity_checked=all(a.id in checked for a in forms if a.status != Status.DONE.value),
        forms=[
            VisitForm(
                receipt_number=a.receipt_number,
                template_id=a.template_id,
                template_version=a.template_version,
                status=Status(a.status),
                identity_checked=a.id in checked,
                has_pdf=a.has_pdf,
                return_reason=a.return_reason,
            )
            for a in forms
        ],
    )


def forms_of(session: Session, visit_id: uuid.UUID, *, lock: bool = False) -> list[Application]:
    query = select(_A).where(_A.visit_key == visit_id).order_by(_A.id)
    if lock:
        query = query.with_for_update()
    forms = list(session.scalars(query))
    if not forms:
        raise VisitNotFound(visit_id)
    return forms


def summary_of(session: Session, visit_id: uuid.UUID, clock: OfficeClock) -> VisitSummary:
    forms = forms_of(session, visit_id)
    return summarise(forms, _checked(session, [a.id for a in forms]), clock)


def identity_checks(session: Session, forms: list[Application]) -> list[IdentityCheck]:
    """The visit's checks, each once (a visit check is one row per form, alike)."""
    rows = session.scalars(
        select(IdentityCheck)
        .where(IdentityCheck.application_id.in_([a.id for a in forms]))
        .order_by(IdentityCheck.id)
    )
    seen: set[tuple[object, ...]] = set()
    out = []
    for row in rows:
        key = (row.document, row.note, row.actor, row.at)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


# -- actions --------------------------------------------------------------------------------


def start_review(
    session: Session, visit_id: uuid.UUID, actor: str, clock: OfficeClock
) -> list[str]:
    """Every 受付 form to 審査中 (each with its history row)."""
    forms = forms_of(session, visit_id, lock=True)
    waiting = [a for a in forms if a.status == Status.RECEIVED.value]
    if not waiting:
        raise VisitNothingToDo("受付の状態の", "waiting to be reviewed")
    for app in waiting:
        applications.change_status(
            session, app.receipt_number, Status.IN_REVIEW, actor, None, clock=clock
        )
    return [a.receipt_number for a in waiting]


def record_identity(
    session: Session,
    visit_id: uuid.UUID,
    *,
    document: str,
    note: str | None,
    actor: str,
    clock: OfficeClock,
) -> tuple[IdentityCheck, list[str]]:
    """One identity check for the visit, written to every form not yet done."""
    forms = forms_of(session, visit_id, lock=True)
    open_forms = [a for a in forms if a.status != Status.DONE.value]
    if not open_forms:
        raise VisitNothingToDo("完了していない", "that is not done")
    now = clock.now()
    rows = []
    for app in open_forms:
        rows.append(
            applications.add_identity_check(session, app, document, actor, note, clock=clock)
        )
        rows[-1].at = now  # one check: the same moment on every form
        app.updated_at = now
    session.flush()
    return rows[0], [a.receipt_number for a in open_forms]


def call(session: Session, visit_id: uuid.UUID, clock: OfficeClock) -> list[str]:
    """Call the visit to the counter: every form not done is marked called."""
    forms = forms_of(session, visit_id, lock=True)
    open_forms = [a for a in forms if a.status != Status.DONE.value]
    if not open_forms:
        raise VisitNothingToDo("完了していない", "that is not done")
    for app in open_forms:
        applications.call(session, app.receipt_number, clock=clock)
    return [a.receipt_number for a in open_forms]


def complete(session: Session, visit_id: uuid.UUID, actor: str, clock: OfficeClock) -> list[str]:
    """すべて完了: every form that is not done and not returned to 完了, in the caller's one
    transaction; the first form that cannot make the move refuses the whole action."""
    forms = forms_of(session, visit_id, lock=True)
    checked = _checked(session, [a.id for a in forms])
    moving = []
    for app in forms:
        status = Status(app.status)
        if status in (Status.DONE, Status.RETURNED):
            continue
        if status is Status.RECEIVED:
            raise VisitCannotComplete(
                app.receipt_number,
                app.template_id,
                "審査が始まっていません（受付のまま）",
                "its review has not started (still received)",
            )
        if app.id not in checked:
            raise VisitCannotComplete(
                app.receipt_number,
                app.template_id,
                "本人確認が記録されていません",
                "no identity check is recorded for it",
            )
        moving.append(app)
    if not moving:
        raise VisitNothingToDo("完了にできる", "left to finish")
    for app in moving:
        applications.change_status(
            session, app.receipt_number, Status.DONE, actor, None, clock=clock
        )
    return [a.receipt_number for a in moving]
