"""POST /ingest: a batch of sealed applications from a kiosk (see services.ingest)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from backoffice.api.deps import ContextDep, CurrentTerminal
from sync.protocol import IngestBatch, IngestRefusal, IngestResponse
from sync.protocol.office import ErrorBody

router = APIRouter(tags=["ingest"])


@router.post(
    "/ingest",
    response_model=IngestResponse,
    summary="申請の一括受信 / ingest a batch of sealed applications (kiosk)",
    responses={
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
        413: {"model": ErrorBody},
        422: {"model": IngestRefusal},
    },
)
def ingest(
    batch: IngestBatch, terminal: CurrentTerminal, context: ContextDep, request: Request
) -> IngestResponse:
    """One result per record, in order. ACCEPTED and DUPLICATE carry the receipt number;
    CONFLICT (same UUID, different body) and REJECTED (content refused) carry an error and
    store nothing. The answer is 200 whenever the batch matched its schema; otherwise 422
    `IngestRefusal` stores nothing and names each record at fault (index, UUID, REJECTED)."""
    answer = context.ingest.ingest(batch, terminal.name)
    counter = request.app.state.metrics.ingest_results
    for result in answer.results:
        counter.labels(result.status.value).inc()
    return answer
