"""POST /paper-imports: a printed form's data QR scanned back in (staff; see services.paper)."""

from __future__ import annotations

from fastapi import APIRouter

from backoffice.api.deps import ContextDep, CurrentUser
from backoffice.services import audit
from sync.protocol.office import ErrorBody, PaperImportRequest, PaperImportResult

router = APIRouter(tags=["records"])


@router.post(
    "/paper-imports",
    response_model=PaperImportResult,
    responses={422: {"model": ErrorBody}},
    summary="紙の申請書の取込み / import a printed form from its data QR (staff)",
)
def import_paper(
    body: PaperImportRequest, staff: CurrentUser, context: ContextDep
) -> PaperImportResult:
    """Opens the application when it is already here (synced or imported before: nothing is
    stored), imports it otherwise. The QR must be signed by a registered kiosk's key and
    encrypted to this office's key; anything else is refused with the payload's reason."""
    result = context.paper.import_digits(body.digits, staff.actor)
    with context.sessions() as session, session.begin():
        for item in result.items:
            audit.record(session, staff.actor, audit.Action.PAPER_IMPORT, item.receipt_number)
    return result
