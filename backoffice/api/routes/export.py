"""GET /export: CSV (per the template's export mapping) or JSONL, streamed (staff; audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from backoffice.api.deps import ContextDep, CurrentUser
from backoffice.services import audit
from backoffice.services.export import ExportFormat, lines
from sync.protocol.office import ErrorBody
from sync.protocol.vocabulary import Status

router = APIRouter(tags=["export"])

_MEDIA = {ExportFormat.CSV: "text/csv; charset=utf-8", ExportFormat.JSONL: "application/x-ndjson"}


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}, "application/x-ndjson": {}}},
        422: {"model": ErrorBody},
    },
    summary="一括出力 / export for the core systems (staff; audited)",
)
def export(
    staff: CurrentUser,
    context: ContextDep,
    format: ExportFormat = ExportFormat.JSONL,
    template_id: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)] = None,
    status: Status | None = None,
) -> StreamingResponse:
    body = lines(context.sessions, context.registry, format, template_id, status)
    with context.sessions() as session, session.begin():
        target = f"export:{format.value}:{template_id or '*'}:{status.value if status else '*'}"
        audit.record(session, staff.actor, audit.Action.EXPORT, target)
    name = f"madoguchi-{template_id or 'all'}.{format.value}"
    return StreamingResponse(
        body,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
