"""Visits for reception staff: the queue with one row per visit, a visit with all its forms,
and the actions that work a whole visit (see `backoffice.services.visits`).

Listing is metadata only (not a record read); opening a visit reads each of its records and
is audited per form. Every action is audited per form it changed, in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response

from backoffice.api.deps import ContextDep, CurrentUser, SessionDep
from backoffice.api.presenters import detail
from backoffice.services import audit, visits
from sync.protocol import INT32_MAX, WireDate
from sync.protocol.office import ErrorBody, IdentityCheckCreate, IdentityCheckPublic
from sync.protocol.visits import VisitChanged, VisitDetail, VisitPage, VisitState

router = APIRouter(tags=["visits"])

VisitId = Annotated[uuid.UUID, Path(description="the visit (its kiosk session's record id)")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}}
_REFUSED: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 409: {"model": ErrorBody}}


@router.get(
    "/visits",
    response_model=VisitPage,
    responses={304: {"description": "unchanged since the ETag sent as If-None-Match"}},
    summary="来庁一覧 / the queue, one row per visit (staff)",
)
def list_visits(
    *,
    _staff: CurrentUser,
    response: Response,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
    session: SessionDep,
    context: ContextDep,
    state: VisitState | None = None,
    open_only: Annotated[
        bool, Query(alias="open", description="only visits with a form not yet done")
    ] = False,
    template_id: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)] = None,
    date_from: WireDate | None = None,
    date_to: WireDate | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=INT32_MAX)] = 0,
) -> VisitPage:
    """Oldest first. Filter by state, open visits, a procedure one of the forms is for, and
    the day the first form arrived (office time zone, both ends included). Wait times are
    from the office clock at the answer. 304 when If-None-Match holds the current ETag."""
    view: dict[str, object] = {
        "state": state,
        "open_only": open_only,
        "template_id": template_id,
        "date_from": date_from,
        "date_to": date_to,
        "limit": limit,
        "offset": offset,
    }
    etag = visits.etag(session, view)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match is not None and etag in (t.strip() for t in if_none_match.split(",")):
        return Response(status_code=304, headers=headers)  # type: ignore[return-value]
    total, items = visits.listing(session, clock=context.clock, **view)  # type: ignore[arg-type]
    response.headers.update(headers)
    return VisitPage(total=total, items=items, etag=etag)


@router.get(
    "/visits/{visit_id}",
    response_model=VisitDetail,
    responses=_NOT_FOUND,
    summary="来庁の詳細 / one visit with every form (staff; each form's read audited)",
)
def read_visit(
    visit_id: VisitId, staff: CurrentUser, session: SessionDep, context: ContextDep
) -> VisitDetail:
    forms = visits.forms_of(session, visit_id)
    summary = visits.summary_of(session, visit_id, context.clock)
    details = []
    for app in forms:
        audit.record(session, staff.actor, audit.Action.READ_RECORD, app.receipt_number)
        details.append(detail(context, session, app, "/applications"))
    return VisitDetail(
        **summary.model_dump(),
        applications=details,
        identity_checks=[
            IdentityCheckPublic.model_validate(c) for c in visits.identity_checks(session, forms)
        ],
    )


def _changed(session, visit_id, context, receipts: list[str]) -> VisitChanged:
    return VisitChanged(visit=visits.summary_of(session, visit_id, context.clock), changed=receipts)


@router.post(
    "/visits/{visit_id}/review",
    response_model=VisitChanged,
    responses=_REFUSED,
    summary="審査開始 / every 受付 form of the visit to 審査中 (staff)",
)
def start_review(
    visit_id: VisitId, staff: CurrentUser, session: SessionDep, context: ContextDep
) -> VisitChanged:
    """Each form's own status and history row; 409 when no form is 受付."""
    receipts = visits.start_review(session, visit_id, staff.actor, context.clock)
    for receipt in receipts:
        audit.record(session, staff.actor, audit.Action.CHANGE_STATUS, receipt)
    return _changed(session, visit_id, context, receipts)


@router.post(
    "/visits/{visit_id}/identity",
    status_code=201,
    response_model=VisitChanged,
    responses={**_REFUSED, 422: {"model": ErrorBody}},
    summary="本人確認の記録（来庁ごとに一度）/ record the identity check once for the visit (staff)",
)
def record_identity(
    visit_id: VisitId,
    check: IdentityCheckCreate,
    staff: CurrentUser,
    session: SessionDep,
    context: ContextDep,
) -> VisitChanged:
    """Written to every form of the visit that is not done (one identity-check row each,
    alike); 409 when every form is done."""
    _row, receipts = visits.record_identity(
        session,
        visit_id,
        document=check.document.value,
        note=check.note,
        actor=staff.actor,
        clock=context.clock,
    )
    for receipt in receipts:
        audit.record(session, staff.actor, audit.Action.IDENTITY_CHECK, receipt)
    return _changed(session, visit_id, context, receipts)


@router.post(
    "/visits/{visit_id}/call",
    response_model=VisitChanged,
    responses=_REFUSED,
    summary="窓口へ呼出し / call the visit to the counter (staff)",
)
def call_visit(
    visit_id: VisitId, staff: CurrentUser, session: SessionDep, context: ContextDep
) -> VisitChanged:
    receipts = visits.call(session, visit_id, context.clock)
    for receipt in receipts:
        audit.record(session, staff.actor, audit.Action.CALL, receipt)
    return _changed(session, visit_id, context, receipts)


@router.post(
    "/visits/{visit_id}/complete",
    response_model=VisitChanged,
    responses=_REFUSED,
    summary="すべて完了 / every form of the visit to 完了 in one transaction (staff)",
)
def complete_visit(
    visit_id: VisitId, staff: CurrentUser, session: SessionDep, context: ContextDep
) -> VisitChanged:
    """Every form not done and not returned moves to 完了 (each with its own history row),
    or none does: 409 `visit_cannot_complete` naming the first form still 受付 or without an
    identity check. A form returned on its own stays returned."""
    receipts = visits.complete(session, visit_id, staff.actor, context.clock)
    for receipt in receipts:
        audit.record(session, staff.actor, audit.Action.CHANGE_STATUS, receipt)
    audit.record(session, staff.actor, audit.Action.COMPLETE_VISIT, f"visit:{visit_id}")
    return _changed(session, visit_id, context, receipts)
