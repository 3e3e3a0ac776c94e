"""GET /applications: the reception queue (metadata only, so listing is not a record read)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from backoffice.api.deps import ContextDep, CurrentUser, SessionDep
from backoffice.api.presenters import summary
from backoffice.models import Status
from backoffice.schemas import QueuePage
from backoffice.services import applications

router = APIRouter(tags=["queue"])


@router.get("/applications", response_model=QueuePage, summary="受付一覧 / the queue (staff)")
def queue(
    *,
    _staff: CurrentUser,
    session: SessionDep,
    context: ContextDep,
    status: Status | None = None,
    template_id: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)] = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> QueuePage:
    """Oldest first. Filter by status, procedure (template id) and the day of receipt
    (office time zone, both ends included)."""
    total, rows = applications.queue(
        session,
        status=status,
        template_id=template_id,
        date_from=date_from,
        date_to=date_to,
        time_zone=context.settings.time_zone,
        limit=limit,
        offset=offset,
    )
    return QueuePage(total=total, items=[summary(r) for r in rows])
