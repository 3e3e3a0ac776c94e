"""Visits for reception staff: the queue with one row per visit, a visit with all its forms,
and the actions that work a whole visit (see `backoffice.services.visits`).

Listing is metadata only (not a record read); opening a visit reads each of its records and
is audited per form. Every action is audited per form it changed, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response
from sqlalchemy.orm import Session

from backoffice.api.deps import ContextDep, CurrentUser, SessionDep
from backoffice.api.presenters import detail, refusals
from backoffice.services import audit, visits
from forms.clock import OfficeClock
from sync.protocol import INT32_MAX, WireDate
from sync.protocol.office import IdentityCheckCreate, IdentityCheckPublic
from sync.protocol.visits import VisitChanged, VisitDetail, VisitPage, VisitState

router = APIRouter(tags=["visits"])

VisitId = Annotated[uuid.UUID, Path(description="the visit (its kiosk session's record id)")]
_NOT_FOUND = refusals(404)
_REFUSED = refusals(404, 409)


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


def _audited(session: Session, actor: str, action: str, receipts: list[str]) -> None:
    for receipt in receipts:
        audit.record(session, actor, action, receipt)


def _visit_action(
    path: str,
    name: str,
    summary: str,
    *,
    action: str,
    act: Callable[[Session, uuid.UUID, str, OfficeClock], list[str]],
    description: str | None = None,
) -> None:
    """`POST /visits/{visit_id}/<path>`: `act(session, visit_id, actor, clock)` changes the
    visit's forms and names them; each is audited as `action`. The operation is `name`."""

    def handler(
        visit_id: VisitId, staff: CurrentUser, session: SessionDep, context: ContextDep
    ) -> VisitChanged:
        receipts = act(session, visit_id, staff.actor, context.clock)
        _audited(session, staff.actor, action, receipts)
        return _changed(session, visit_id, context, receipts)

    handler.__doc__ = description  # the operation's description, as a docstring would be
    router.post(
        f"/visits/{{visit_id}}/{path}",
        response_model=VisitChanged,
        responses=_REFUSED,
        summary=summary,
        name=name,
    )(handler)


_visit_action(
    "review",
    "start_review",
    "審査開始 / every 受付 form of the visit to 審査中 (staff)",
    action=audit.Action.CHANGE_STATUS,
    act=visits.start_review,
    description="Each form's own status and history row; 409 when no form is 受付.",
)


@router.post(
    "/visits/{visit_id}/identity",
    status_code=201,
    response_model=VisitChanged,
    responses=refusals(404, 409, 422),
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
    _audited(session, staff.actor, audit.Action.IDENTITY_CHECK, receipts)
    return _changed(session, visit_id, context, receipts)


_visit_action(
    "call",
    "call_visit",
    "窓口へ呼出し / call the visit to the counter (staff)",
    action=audit.Action.CALL,
    act=lambda session, visit_id, _actor, clock: visits.call(session, visit_id, clock),
)


def _complete(session: Session, visit_id: uuid.UUID, actor: str, clock: OfficeClock) -> list[str]:
    receipts = visits.complete(session, visit_id, actor, clock)
    audit.record(session, actor, audit.Action.COMPLETE_VISIT, f"visit:{visit_id}")
    return receipts


_visit_action(
    "complete",
    "complete_visit",
    "すべて完了 / every form of the visit to 完了 in one transaction (staff)",
    action=audit.Action.CHANGE_STATUS,
    act=_complete,
    description="""Every form not done and not returned moves to 完了 (each with its own history row),
    or none does: 409 `visit_cannot_complete` naming the first form still 受付 or without an
    identity check. A form returned on its own stays returned.""",
)
