"""GET /applications: the reception queue (metadata only, so listing is not a record read).

Live updates: the answer carries a weak ETag; a terminal polling every few seconds sends it back
as If-None-Match and gets 304 (no body) while nothing it shows has changed. Polling rather than
server-sent events, because a poll is one short request that any proxy, worker count and
database handle the same way, and a missed event cannot leave a terminal stale.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypedDict

from fastapi import APIRouter, Header, Query, Response

from backoffice.api.deps import ContextDep, CurrentUser, SessionDep
from backoffice.api.presenters import summary
from backoffice.services import applications
from forms.clock import OfficeClock
from sync.protocol import INT32_MAX, WireDate
from sync.protocol.office import QueuePage
from sync.protocol.vocabulary import Status

router = APIRouter(tags=["queue"])


class _QueueView(TypedDict):
    """The filter and page of one queue request (`applications.queue`'s keywords)."""

    status: Status | None
    template_id: str | None
    date_from: dt.date | None
    date_to: dt.date | None
    clock: OfficeClock
    limit: int
    offset: int


@router.get(
    "/applications",
    response_model=QueuePage,
    responses={304: {"description": "unchanged since the ETag sent as If-None-Match"}},
    summary="受付一覧 / the queue (staff)",
)
def queue(
    *,
    _staff: CurrentUser,
    response: Response,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
    session: SessionDep,
    context: ContextDep,
    status: Status | None = None,
    template_id: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)] = None,
    date_from: WireDate | None = None,
    date_to: WireDate | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=INT32_MAX)] = 0,
) -> QueuePage:
    """Oldest first. Filter by status, procedure (template id) and the day of receipt
    (office time zone, both ends included). 304 when If-None-Match holds the current ETag."""
    view: _QueueView = {
        "status": status,
        "template_id": template_id,
        "date_from": date_from,
        "date_to": date_to,
        "clock": context.clock,
        "limit": limit,
        "offset": offset,
    }
    etag = applications.queue_etag(session, **view)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match is not None and etag in (t.strip() for t in if_none_match.split(",")):
        return Response(status_code=304, headers=headers)  # type: ignore[return-value]  # FastAPI sends a Response as it is
    total, rows = applications.queue(session, **view)
    response.headers.update(headers)
    return QueuePage(total=total, items=[summary(r) for r in rows], etag=etag)
