"""One application for reception staff: detail, PDF, status changes, identity checks.

Every read of a record (detail or PDF) is written to the audit log in the same transaction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from backoffice.api.deps import ContextDep, CurrentUser, SessionDep
from backoffice.api.presenters import detail, refusals, summary
from backoffice.errors import PdfNotAttached
from backoffice.services import applications, audit
from sync.protocol.office import (
    ApplicationDetail,
    ApplicationSummary,
    IdentityCheckCreate,
    IdentityCheckPublic,
    StatusUpdate,
)

router = APIRouter(tags=["records"])

ReceiptNumber = Annotated[str, Path(pattern=r"^[0-9]{4}-[0-9]{6,}$", max_length=16)]
_NOT_FOUND = refusals(404)


@router.get(
    "/applications/{receipt_number}",
    response_model=ApplicationDetail,
    responses=_NOT_FOUND,
    summary="申請の詳細 / one application (staff; audited)",
)
def read_application(
    receipt_number: ReceiptNumber, staff: CurrentUser, session: SessionDep, context: ContextDep
) -> ApplicationDetail:
    app = applications.get(session, receipt_number)
    audit.record(session, staff.actor, audit.Action.READ_RECORD, receipt_number)
    return detail(context, session, app, "/applications")


@router.get(
    "/applications/{receipt_number}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **_NOT_FOUND},
    summary="申請書 PDF / the printed PDF (staff; audited)",
)
def read_pdf(receipt_number: ReceiptNumber, staff: CurrentUser, session: SessionDep) -> Response:
    """404 `pdf_not_attached` for a paper import whose kiosk copy has not arrived (the
    terminal renders the form from the record instead)."""
    app = applications.get(session, receipt_number)
    if not app.has_pdf:
        raise PdfNotAttached(receipt_number)
    audit.record(session, staff.actor, audit.Action.READ_PDF, receipt_number)
    return Response(app.pdf, media_type="application/pdf")


@router.post(
    "/applications/{receipt_number}/status",
    response_model=ApplicationSummary,
    responses=refusals(404, 409, 422),
    summary="状態の変更 / change the status (staff)",
)
def change_status(
    receipt_number: ReceiptNumber,
    change: StatusUpdate,
    staff: CurrentUser,
    session: SessionDep,
    context: ContextDep,
) -> ApplicationSummary:
    """受付 → 審査中 → 完了, or 差戻し (returned) with a reason; who and when are recorded."""
    app = applications.change_status(
        session, receipt_number, change.status, staff.actor, change.reason, clock=context.clock
    )
    audit.record(session, staff.actor, audit.Action.CHANGE_STATUS, receipt_number)
    return summary(app)


@router.post(
    "/applications/{receipt_number}/identity-checks",
    status_code=201,
    response_model=IdentityCheckPublic,
    responses=_NOT_FOUND,
    summary="本人確認の記録 / record the identity document seen (staff)",
)
def add_identity_check(
    receipt_number: ReceiptNumber,
    check: IdentityCheckCreate,
    staff: CurrentUser,
    session: SessionDep,
    context: ContextDep,
) -> IdentityCheckPublic:
    app = applications.get(session, receipt_number)
    row = applications.add_identity_check(
        session, app, check.document.value, staff.actor, check.note, clock=context.clock
    )
    audit.record(session, staff.actor, audit.Action.IDENTITY_CHECK, receipt_number)
    return IdentityCheckPublic.model_validate(row)


@router.post(
    "/applications/{receipt_number}/call",
    response_model=ApplicationSummary,
    responses=refusals(404, 409),
    summary="窓口へ呼出し / call the resident to the counter (staff)",
)
def call(
    receipt_number: ReceiptNumber, staff: CurrentUser, session: SessionDep, context: ContextDep
) -> ApplicationSummary:
    """The call board shows the reception number as お呼び出し; calling again re-announces."""
    app = applications.call(session, receipt_number, clock=context.clock)
    audit.record(session, staff.actor, audit.Action.CALL, receipt_number)
    return summary(app)
