"""The pull API for core systems (基幹システム): list, fetch by receipt number, write status back.

There is no push into 住民記録 systems: they poll this, fetch each application by its receipt
number and post their status updates back. Every fetch is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from backoffice.api.deps import ContextDep, CoreSystem, SessionDep
from backoffice.api.presenters import detail, summary
from backoffice.api.routes.records import ReceiptNumber
from backoffice.services import applications, audit
from sync.protocol import INT32_MAX
from sync.protocol.office import (
    ApplicationDetail,
    ApplicationSummary,
    ErrorBody,
    QueuePage,
    StatusUpdate,
)
from sync.protocol.vocabulary import Status

router = APIRouter(prefix="/core", tags=["core systems"])


@router.get("/applications", response_model=QueuePage, summary="取得対象の一覧 / list (core)")
def list_applications(
    *,
    _core: CoreSystem,
    session: SessionDep,
    context: ContextDep,
    status: Status | None = None,
    template_id: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=INT32_MAX)] = 0,
) -> QueuePage:
    total, rows = applications.queue(
        session,
        status=status,
        template_id=template_id,
        time_zone=context.settings.time_zone,
        limit=limit,
        offset=offset,
    )
    return QueuePage(total=total, items=[summary(r) for r in rows])


@router.get(
    "/applications/{receipt_number}",
    response_model=ApplicationDetail,
    responses={404: {"model": ErrorBody}},
    summary="受付番号で取得 / fetch by receipt number (core; audited)",
)
def fetch(
    receipt_number: ReceiptNumber, core: CoreSystem, session: SessionDep, context: ContextDep
) -> ApplicationDetail:
    app = applications.get(session, receipt_number)
    audit.record(session, core.actor, audit.Action.CORE_READ, receipt_number)
    return detail(context, session, app, "/core/applications")


@router.get(
    "/applications/{receipt_number}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 404: {"model": ErrorBody}},
)
def fetch_pdf(receipt_number: ReceiptNumber, core: CoreSystem, session: SessionDep) -> Response:
    app = applications.get(session, receipt_number)
    audit.record(session, core.actor, audit.Action.READ_PDF, receipt_number)
    return Response(app.pdf, media_type="application/pdf")


@router.post(
    "/applications/{receipt_number}/status",
    response_model=ApplicationSummary,
    responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="状態の書き戻し / status write-back (core)",
)
def write_back(
    receipt_number: ReceiptNumber, change: StatusUpdate, core: CoreSystem, session: SessionDep
) -> ApplicationSummary:
    app = applications.change_status(
        session, receipt_number, change.status, core.actor, change.reason
    )
    audit.record(session, core.actor, audit.Action.CHANGE_STATUS, receipt_number)
    return summary(app)
